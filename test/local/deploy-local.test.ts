/**
 * `npm run deploy:local` run on cloud assemblies of the example stack: the bundled handler from
 * the assembly, the emulator, CloudFormation's order, the output a person reads. The CLI runs in
 * its own Node.js process, as a user runs it: the bundle's dynamic `import()` cannot run in
 * jest's module sandbox.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ExampleStack, ExamplePackages } from '../../bin/example-stack';
import { parseCliOptions } from '../../local/cli-options';
import { main, RunResult } from '../../local/deploy-local';
import { ProgressTable } from '../../local/progress-table';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = path.join(ROOT, 'local', 'deploy-local.ts');

jest.setTimeout(20_000);

const DOMAIN = 'search-example';
const V1: ExamplePackages = { dictionaryId: 'F111111111', pluginId: 'pkg-0a1b2c3d4e5f6a7b8', licenseId: 'pkg-1b2c3d4e5f6a7b8c9' };
const V2: ExamplePackages = { ...V1, dictionaryId: 'F222222222' };
/** 50 ms polls, 100 ms associations: a run of the example takes well under a second. */
const FAST = ['--scale', '0.005', '--association-ms', '100', '--dissociation-ms', '60'];

let workDir: string;
let v1: string;
let v2: string;
let renamed: string;

/** Synthesizes the example stack as `cdk synth -o <dir>` would (asset metadata on). */
function assembly(name: string, packages: ExamplePackages, synonymsConstructId?: string): string {
  const outdir = path.join(workDir, name);
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  new ExampleStack(app, 'OpenSearchPackagesExample', { domainName: DOMAIN, packages, synonymsConstructId });
  app.synth();
  return outdir;
}

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-local-'));
  v1 = assembly('v1.out', V1);
  v2 = assembly('v2.out', V2);
  renamed = assembly('renamed.out', V1, 'Dictionary');
}, 30_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

interface Captured {
  readonly result: RunResult;
  readonly text: string;
}

/** Runs the CLI in `workDir` (where .deploy-local/ goes) and reads back its --result-json. */
async function run(args: string[]): Promise<Captured> {
  const resultFile = path.join(workDir, 'result.json');
  fs.rmSync(resultFile, { force: true });
  const text = await new Promise<string>((resolve) => {
    execFile(process.execPath, [TSX, CLI, ...args, ...FAST, '--result-json', resultFile], { cwd: workDir }, (_error, stdout, stderr) => resolve(stdout + stderr));
  });
  if (!fs.existsSync(resultFile)) {
    throw new Error(`the CLI wrote no result:\n${text}`);
  }
  return { result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as RunResult, text };
}

const state = (result: RunResult) => result.associations[DOMAIN].map((a) => `${a.packageId}:${a.status}`);

test('create: every association ACTIVE, one line per event, a summary', async () => {
  const { result, text } = await run(['--app', v1]);

  expect(result.exitCode).toBe(0);
  expect(state(result)).toEqual(['F111111111:ACTIVE', 'pkg-0a1b2c3d4e5f6a7b8:ACTIVE', 'pkg-1b2c3d4e5f6a7b8c9:ACTIVE']);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE']);
  expect(result.operations[0].requests.AssociatePackage).toBe(3);
  const lines = text.split('\n');
  // Plain lines in dependency order: dictionary, plugin, license.
  const completed = lines.filter((line) => /CREATE_COMPLETE\s+\S+\s+search-example/.test(line)).map((line) => line.split(/\s+/)[3]);
  expect(completed).toEqual([expect.stringMatching(/^Synonyms/), expect.stringMatching(/^Plugin[0-9A-F]/), expect.stringMatching(/^PluginLicense/)]);
  expect(text).toMatch(/search-example +F111111111 +synonyms \(TXT-DICTIONARY\) +ACTIVE +v1/);
  expect(text).toMatch(/pkg-1b2c3d4e5f6a7b8c9 +plugin-license \(PACKAGE-LICENSE\) +ACTIVE +v1 +needs pkg-0a1b2c3d4e5f6a7b8/);
  expect(text).toMatch(/Requests to the packages API: \d+ \(AssociatePackage 3, ListPackagesForDomain \d+\)/);
  expect(text).not.toMatch(/\x1b\[/);
  // The handler's log lines go to a file, as they would go to CloudWatch Logs.
  expect(fs.readFileSync(path.join(workDir, '.deploy-local', 'handler.log'), 'utf8')).toMatch(/"operation":"AssociatePackage"/);
});

test('update with a changed package: the new dictionary first, the old one dissociated in cleanup', async () => {
  const { result, text } = await run(['--app', v1, '--update', v2]);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  expect(state(result)).toEqual(['F222222222:ACTIVE', 'pkg-0a1b2c3d4e5f6a7b8:ACTIVE', 'pkg-1b2c3d4e5f6a7b8c9:ACTIVE']);
  const update = text.slice(text.indexOf('Update OpenSearchPackagesExample'));
  expect(update).toMatch(/UPDATE_COMPLETE\s+Synonyms\S+\s+search-example\s+F222222222/);
  expect(update.indexOf('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBeLessThan(update.search(/DELETE_COMPLETE\s+Synonyms\S+\s+search-example\s+F111111111/));
  expect(result.operations[1].requests).toMatchObject({ AssociatePackage: 1, DissociatePackage: 1 });
});

test('update with a renamed construct: the dictionary stays ACTIVE, nothing is dissociated', async () => {
  const { result, text } = await run(['--app', v1, '--update', renamed]);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  expect(state(result)).toEqual(['F111111111:ACTIVE', 'pkg-0a1b2c3d4e5f6a7b8:ACTIVE', 'pkg-1b2c3d4e5f6a7b8c9:ACTIVE']);
  const update = text.slice(text.indexOf('Update OpenSearchPackagesExample'));
  expect(update).toMatch(/CREATE_COMPLETE\s+Dictionary\S+\s+search-example\s+F111111111/);
  expect(update).toMatch(/DELETE_COMPLETE\s+Synonyms\S+\s+search-example\s+F111111111/);
  expect(result.operations[1].requests.DissociatePackage).toBeUndefined();
  // The old resource's Delete read the stack and found the renamed one holding the pair.
  expect(update).toMatch(/reads of the stack: 1 \(ListStackResources 1\)/);
});

test('--destroy: deletes in reverse order and leaves the domain empty', async () => {
  const { result, text } = await run(['--app', v1, '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'DELETE_COMPLETE']);
  expect(state(result)).toEqual([]);
  const deleted = text.split('\n').filter((line) => /DELETE_COMPLETE\s+\S+\s+search-example/.test(line)).map((line) => line.split(/\s+/)[5]);
  expect(deleted).toEqual(['pkg-1b2c3d4e5f6a7b8c9', 'pkg-0a1b2c3d4e5f6a7b8', 'F111111111']);
  expect(text).toContain(`${DOMAIN}  (no packages)`);
});

test('--fail: the failed create rolls back, exit code 1, the summary is still printed', async () => {
  const { result, text } = await run(['--app', v1, '--fail', V1.licenseId]);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['ROLLBACK_COMPLETE']);
  expect(state(result)).toEqual([]);
  expect(text).toMatch(/CREATE_FAILED\s+PluginLicense\S+\s+search-example\s+pkg-1b2c3d4e5f6a7b8c9 \(\d+\.\ds\)\s+ASSOCIATION_FAILED: SimulatedFailure/);
  expect(text).toMatch(/ROLLBACK_IN_PROGRESS\s+OpenSearchPackagesExample\s+The following resource\(s\) failed to create: \[PluginLicense\S+\]/);
  expect(text).toMatch(/ROLLBACK_COMPLETE\s+OpenSearchPackagesExample/);
  expect(text).toContain('Summary');
  expect(text).toMatch(/failed: PluginLicense\S+: ASSOCIATION_FAILED/);
});

test('--busy longer than the --timeout-scale\'d Timeout: the handler\'s Timeout message, not the waiter\'s, then the rollback', async () => {
  // Timeout 3000 s x 0.0003 = 0.9, rounded up to 1 s; the waiter (58 min x 0.005 = 17.4 s) would give up much later.
  const { result, text } = await run(['--app', v1, '--busy', `${DOMAIN}=5`, '--timeout-scale', '0.0003']);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['ROLLBACK_COMPLETE']);
  expect(result.operations[0].outcome.failures).toEqual([{
    logicalId: expect.stringMatching(/^Synonyms/),
    reason: `Timeout: domain ${DOMAIN} still busy after 1 second (in flight: domain Modifying) (domain ${DOMAIN}, package ${V1.dictionaryId})`,
  }]);
  expect(state(result)).toEqual([]);
  expect(text).toMatch(/CREATE_FAILED\s+Synonyms\S+\s+search-example\s+F111111111 \(\d+\.\ds\)\s+Timeout: domain search-example still busy after 1 second/);
  expect(text).toMatch(/ROLLBACK_COMPLETE\s+OpenSearchPackagesExample/);
  expect(text).not.toContain('Operation timed out');
  // The dictionary was tried (and refused) until its timeout; the plugin and its license, after it on the domain, never started.
  expect(result.operations[0].requests.AssociatePackage).toBeGreaterThan(0);
  expect(text).not.toMatch(/CREATE_IN_PROGRESS\s+Plugin/);
});

test('--timeout-scale defaults to --scale; --busy needs a domain of the emulator', async () => {
  expect(parseCliOptions(['--scale', '0.01'])).toMatchObject({ scale: 0.01, timeoutScale: 0.01, busy: [] });
  expect(parseCliOptions(['--timeout-scale', '0.5', '--busy', 'a=1.5', '--busy', 'b=60'])).toMatchObject({
    timeoutScale: 0.5,
    busy: [{ domain: 'a', ms: 1500 }, { domain: 'b', ms: 60_000 }],
  });
  expect(() => parseCliOptions(['--busy', 'a'])).toThrow(/--busy expects key=value/);
  expect(() => parseCliOptions(['--busy', 'a=soon'])).toThrow(/--busy a expects a positive number/);

  // Refused before anything is played: in process is enough.
  const refusal = async (args: string[]) => {
    const output: string[] = [];
    expect(await main(['--app', v1, ...args], { write: (chunk) => void output.push(chunk) }, { projectDir: workDir })).toBe(1);
    return output.join('');
  };
  expect(await refusal(['--busy', 'search-elsewhere=5'])).toMatch(/cannot keep search-elsewhere busy: the emulator has no such domain \(domains: search-example\)/);
  // The fixture's "busy" is the same list.
  const fixture = path.join(workDir, 'busy-fixture.json');
  fs.writeFileSync(fixture, JSON.stringify({ domains: [DOMAIN], packages: [], busy: [{ domain: 'search-other', ms: 5000 }] }));
  expect(await refusal(['--fixture', fixture])).toMatch(/cannot keep search-other busy/);
});

test('a failed update rolls back to the old dictionary', async () => {
  const { result, text } = await run(['--app', v1, '--update', v2, '--fail', V2.dictionaryId]);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
  // the old dictionary is back and the failed new one is being withdrawn: what the old template declares stays
  expect(state(result).filter((entry) => !entry.startsWith('F222222222:')).sort())
    .toEqual(['F111111111:ACTIVE', 'pkg-0a1b2c3d4e5f6a7b8:ACTIVE', 'pkg-1b2c3d4e5f6a7b8c9:ACTIVE']);
  expect(state(result).filter((entry) => entry.startsWith('F222222222:'))).not.toContain('F222222222:ASSOCIATION_FAILED');
  expect(text).toMatch(/UPDATE_ROLLBACK_COMPLETE\s+OpenSearchPackagesExample/);
});

test('on a terminal the table is redrawn in place', () => {
  let text = '';
  const table = new ProgressTable({ write: (chunk) => void (text += chunk), isTTY: true, columns: 120 });
  const row = { logicalId: 'Synonyms1234', domain: DOMAIN, packageId: 'F111111111' };
  table.begin('Stack', 'Create Stack', [row]);
  table.onProgress({ ...row, status: 'CREATE_IN_PROGRESS', elapsedMs: 0 });
  table.onProgress({ ...row, status: 'CREATE_FAILED', elapsedMs: 1500, reason: 'ASSOCIATION_FAILED: broken' });
  table.end();

  expect(text).toMatch(/LOGICAL ID\s+DOMAIN\s+PACKAGE\s+STATUS\s+ELAPSED/);
  expect(text).toContain('\x1b[0J'); // cursor up and clear: the table is drawn again, not appended
  const last = text.slice(text.lastIndexOf('\x1b[0J'));
  expect(last).toMatch(/Synonyms1234\s+search-example\s+F111111111\s+\S*CREATE_FAILED\S*\s+1\.5s/);
  expect(last).toContain('Synonyms1234: ASSOCIATION_FAILED: broken');
});

test('--help and bad options', async () => {
  const help: string[] = [];
  expect(await main(['--help'], { write: (text) => void help.push(text) })).toBe(0);
  expect(help.join('')).toMatch(/--update <dir>/);
  const bad: string[] = [];
  expect(await main(['--scale', 'fast'], { write: (text) => void bad.push(text) })).toBe(2);
  expect(bad.join('')).toMatch(/--scale expects a positive number/);
});
