/**
 * `npm run deploy:local` run on cloud assemblies of the example stack: the bundled handler from
 * the assembly, the emulator, CloudFormation's order, the output a person reads.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeExample } from './assemblies';
import { Captured, ROOT, runCli, TSX } from './cli-run';
import { EXAMPLE_SYNONYMS_FILE, ExamplePackages } from '../../bin/example-stack';
import { awsPackageId } from '../../emulator/package-ids';
import { DEFAULT_BLUE_GREEN_MS, parseCliOptions } from '../../local/cli-options';
import { main, RunResult } from '../../local/deploy-local';
import { ProgressTable } from '../../local/progress-table';

jest.setTimeout(20_000);

const DOMAIN = 'search-example';
const V1: ExamplePackages = { dictionaryId: 'F111111111', pluginId: 'pkg-0a1b2c3d4e5f6a7b8', licenseId: 'pkg-1b2c3d4e5f6a7b8c9' };
const V2: ExamplePackages = { ...V1, dictionaryId: 'F222222222' };
/** The emulator's ids for the example's own dictionary (the first dictionary created) and the Nori plugin it looks up. */
const SYNONYMS_FILE_ID = 'F100000001';
const NORI_ID = awsPackageId('analysis-nori', 'OpenSearch_2.19');
/** The example's set of plugins (the custom plugin, its license, Nori), as its row and the summary name it. */
const PLUGIN_SET = `pkg-0a1b2c3d4e5f6a7b8 + pkg-1b2c3d4e5f6a7b8c9 + ${NORI_ID}`;
const PLUGIN_SET_PATTERN = PLUGIN_SET.replace(/\+/g, '\\+');
/** Every association of the example, ACTIVE. */
const ALL_ACTIVE = [`${SYNONYMS_FILE_ID}:ACTIVE`, 'F111111111:ACTIVE', `${NORI_ID}:ACTIVE`, 'pkg-0a1b2c3d4e5f6a7b8:ACTIVE', 'pkg-1b2c3d4e5f6a7b8c9:ACTIVE'];

let workDir: string;
let v1: string;
let v2: string;
let renamed: string;

/** Synthesizes the example stack as `cdk synth -o <dir>` would (asset metadata on). */
function assembly(name: string, packages: ExamplePackages, synonymsConstructId?: string): string {
  return synthesizeExample({ domainName: DOMAIN, packages, synonymsConstructId }, path.join(workDir, name)).directory;
}

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-local-'));
  v1 = assembly('v1.out', V1);
  v2 = assembly('v2.out', V2);
  renamed = assembly('renamed.out', V1, 'Dictionary');
}, 30_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const run = (args: string[]): Promise<Captured> => runCli(workDir, args);

const readTemplate = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'OpenSearchPackagesExample.template.json'), 'utf8'));
const state = (result: RunResult) => result.associations[DOMAIN].map((a) => `${a.packageId}:${a.status}`).sort();

test('create: the package and the plugin lookup, then every association ACTIVE, one line per event, a summary', async () => {
  const { result, text } = await run(['--app', v1]);

  expect(result.exitCode).toBe(0);
  expect(state(result)).toEqual(ALL_ACTIVE);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE']);
  // The two dictionaries on their own, and every plugin (the custom plugin, its license, Nori) in one call.
  expect(result.operations[0].requests).toMatchObject({ CreatePackage: 1, AssociatePackage: 2, AssociatePackages: 1 });
  const described = (id: string) => result.packages.filter((pkg) => pkg.id === id).map((pkg) => `${pkg.name} ${pkg.status} ${pkg.availableVersion}`);
  expect(described(SYNONYMS_FILE_ID)).toEqual([expect.stringMatching(/^opensearchpackagesexample-synonymsfile-[0-9a-f]{8} AVAILABLE v1$/)]);
  expect(described(NORI_ID)).toEqual(['analysis-nori AVAILABLE v1']);
  const lines = text.split('\n');
  // The package and the lookup: no domain, their name, the version they report.
  expect(text).toMatch(/CREATE_COMPLETE\s+SynonymsFile[0-9A-F]{8}\s+-\s+opensearchpackagesexample-synonymsfile-[0-9a-f]{8} v1 \(\d+\.\ds\)/);
  expect(text).toMatch(/CREATE_COMPLETE\s+Nori[0-9A-F]{8}\s+-\s+analysis-nori v1/);
  // Plain lines in dependency order: the app's dictionary (once its package exists), the existing dictionary, the plugin set.
  const completed = lines.filter((line) => /CREATE_COMPLETE\s+\S+\s+search-example/.test(line))
    .map((line) => line.split(/\s+/)).map((cells) => `${cells[3]} ${cells[5]}`);
  expect(completed).toEqual([
    expect.stringMatching(new RegExp(`^SynonymsFileDomainDomain\\S+ ${SYNONYMS_FILE_ID}$`)),
    expect.stringMatching(/^Synonyms[0-9A-F]{8} F111111111$/),
    expect.stringMatching(/^PluginPackages[0-9A-F]{8} pkg-0a1b2c3d4e5f6a7b8$/),
  ]);
  // The set's row names its packages.
  expect(text).toMatch(new RegExp(`CREATE_COMPLETE\\s+PluginPackages[0-9A-F]{8}\\s+search-example\\s+${PLUGIN_SET_PATTERN} \\(\\d+\\.\\ds\\)`));
  expect(lines.findIndex((line) => /CREATE_COMPLETE\s+SynonymsFile[0-9A-F]{8}\s/.test(line)))
    .toBeLessThan(lines.findIndex((line) => /CREATE_IN_PROGRESS\s+SynonymsFileDomain/.test(line)));
  expect(text).toMatch(/Packages of the app \(DescribePackages\):\n +F100000001 +opensearchpackagesexample-synonymsfile-[0-9a-f]{8} \(TXT-DICTIONARY\) +AVAILABLE +v1\n +G\d+ +analysis-nori \(ZIP-PLUGIN, AWS\) +AVAILABLE +v1/);
  expect(text).toMatch(/search-example +F100000001 +opensearchpackagesexample-synonymsfile-[0-9a-f]{8} \(TXT-DICTIONARY\) +ACTIVE +v1/);
  expect(text).toMatch(/F111111111 +synonyms \(TXT-DICTIONARY\) +ACTIVE +v1/);
  expect(text).toMatch(/pkg-1b2c3d4e5f6a7b8c9 +plugin-license \(PACKAGE-LICENSE\) +ACTIVE +v1 +needs pkg-0a1b2c3d4e5f6a7b8/);
  expect(text).toMatch(/Requests to the packages API: \d+ \(AssociatePackage 2, AssociatePackages 1, CreatePackage 1, DescribeDomain 3, DescribePackages \d+, ListPackagesForDomain \d+\)/);
  // Every plugin in one set: one blue/green deployment; dictionaries none.
  expect(result.blueGreens[DOMAIN].map((deployment) => `${deployment.kind} ${deployment.packageIds.join(' + ')}`)).toEqual([
    `association ${PLUGIN_SET}`,
  ]);
  expect(result.operations[0].blueGreens).toEqual({ [DOMAIN]: 1 });
  expect(text).toMatch(/blue\/green deployments: search-example 1\n/);
  expect(text).toContain(`search-example: 1 blue/green deployment (association ${PLUGIN_SET})`);
  expect(text).toContain('OpenSearchPackagesExample.PluginVersion = v1');
  expect(text).not.toMatch(/\x1b\[/);
  // The handler's log lines go to a file, as they would go to CloudWatch Logs.
  expect(fs.readFileSync(path.join(workDir, '.deploy-local', 'handler.log'), 'utf8')).toMatch(/"operation":"AssociatePackage"/);
});

test('update with a changed package: the new dictionary first, the old one dissociated in cleanup', async () => {
  const { result, text } = await run(['--app', v1, '--update', v2]);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  expect(state(result)).toEqual(ALL_ACTIVE.map((entry) => entry.replace('F111111111', 'F222222222')).sort());
  const update = text.slice(text.indexOf('Update OpenSearchPackagesExample'));
  expect(update).toMatch(/UPDATE_COMPLETE\s+Synonyms\S+\s+search-example\s+F222222222/);
  expect(update.indexOf('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBeLessThan(update.search(/DELETE_COMPLETE\s+Synonyms\S+\s+search-example\s+F111111111/));
  expect(result.operations[1].requests).toMatchObject({ AssociatePackage: 1, DissociatePackage: 1 });
  // A dictionary only: no blue/green deployment.
  expect(result.operations[1].blueGreens).toEqual({});
});

test('update with a renamed construct: the dictionary stays ACTIVE, nothing is dissociated', async () => {
  const { result, text } = await run(['--app', v1, '--update', renamed]);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  expect(state(result)).toEqual(ALL_ACTIVE);
  const update = text.slice(text.indexOf('Update OpenSearchPackagesExample'));
  expect(update).toMatch(/CREATE_COMPLETE\s+Dictionary\S+\s+search-example\s+F111111111/);
  expect(update).toMatch(/DELETE_COMPLETE\s+Synonyms\S+\s+search-example\s+F111111111/);
  expect(result.operations[1].requests.DissociatePackage).toBeUndefined();
  // The old resource's Delete read the stack and found the renamed one holding the pair.
  expect(update).toMatch(/reads of the stack: 1 \(ListStackResources 1\)/);
});

test('--destroy: deletes in reverse order, the package once its association is gone, and leaves the domain empty', async () => {
  const { result, text } = await run(['--app', v1, '--destroy', '--blue-green-ms', '900']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'DELETE_COMPLETE']);
  expect(state(result)).toEqual([]);
  const lines = text.split('\n');
  const deleted = lines.filter((line) => /DELETE_COMPLETE\s+\S+\s+search-example/.test(line)).map((line) => line.split(/\s+/)[5]);
  expect(deleted).toEqual(['pkg-0a1b2c3d4e5f6a7b8', 'F111111111', SYNONYMS_FILE_ID]);
  expect(lines.findIndex((line) => /DELETE_IN_PROGRESS\s+SynonymsFile[0-9A-F]{8}\s/.test(line)))
    .toBeGreaterThan(lines.findIndex((line) => /DELETE_COMPLETE\s+SynonymsFileDomain/.test(line)));
  // The package is deleted; the AWS-owned plugin is not the stack's to delete.
  expect(result.operations[1].requests).toMatchObject({ DeletePackage: 1, DissociatePackage: 2, DissociatePackages: 1 });
  // The set leaves in one DissociatePackages (its pairs as its physical id names them, sorted): one blue/green deployment.
  expect(result.operations[1].blueGreens).toEqual({ [DOMAIN]: 1 });
  expect(result.blueGreens[DOMAIN].slice(1).map((deployment) => `${deployment.kind} ${deployment.packageIds.join(' + ')}`)).toEqual([
    `dissociation ${NORI_ID} + pkg-0a1b2c3d4e5f6a7b8 + pkg-1b2c3d4e5f6a7b8c9`,
  ]);
  // --blue-green-ms: each of them took that long.
  expect(result.blueGreens[DOMAIN].map((deployment) => deployment.endsAt - deployment.startedAt)).toEqual([900, 900]);
  expect(result.packages.map((pkg) => pkg.id)).not.toContain(SYNONYMS_FILE_ID);
  expect(text).toMatch(/- +opensearchpackagesexample-synonymsfile-[0-9a-f]{8} +none \(deleted, or never created\)/);
  expect(text).toContain(`${DOMAIN}  (no packages)`);
});

test('--fail: the failed create rolls back, exit code 1, the summary is still printed', async () => {
  const { result, text } = await run(['--app', v1, '--fail', V1.licenseId]);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['ROLLBACK_COMPLETE']);
  expect(state(result)).toEqual([]);
  // The license fails inside the set's AssociatePackages: the set fails, naming it.
  expect(text).toMatch(new RegExp(`CREATE_FAILED\\s+PluginPackages\\S+\\s+search-example\\s+${PLUGIN_SET_PATTERN} \\(\\d+\\.\\ds\\)\\s+ASSOCIATION_FAILED: pkg-1b2c3d4e5f6a7b8c9 ASSOCIATION_FAILED: SimulatedFailure`));
  expect(text).toMatch(/ROLLBACK_IN_PROGRESS\s+OpenSearchPackagesExample\s+The following resource\(s\) failed to create: \[PluginPackages\S+\]/);
  expect(text).toMatch(/ROLLBACK_COMPLETE\s+OpenSearchPackagesExample/);
  expect(text).toContain('Summary');
  expect(text).toMatch(/failed: PluginPackages\S+: ASSOCIATION_FAILED: pkg-1b2c3d4e5f6a7b8c9 ASSOCIATION_FAILED/);
});

test('--busy longer than the --timeout-scale\'d Timeout: the handler\'s Timeout message, not the waiter\'s, then the rollback', async () => {
  // Timeout 3000 s x 0.0003 = 0.9, rounded up to 1 s; the waiter (58 min x 0.005 = 17.4 s) would give up much later.
  const { result, text } = await run(['--app', v1, '--busy', `${DOMAIN}=5`, '--timeout-scale', '0.0003']);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['ROLLBACK_COMPLETE']);
  expect(result.operations[0].outcome.failures).toEqual([{
    logicalId: expect.stringMatching(/^SynonymsFileDomainDomain/),
    reason: `Timeout: domain ${DOMAIN} still busy after 1 second (in flight: domain Modifying) (domain ${DOMAIN}, package ${SYNONYMS_FILE_ID})`,
  }]);
  expect(state(result)).toEqual([]);
  expect(text).toMatch(/CREATE_FAILED\s+SynonymsFileDomain\S+\s+search-example\s+F100000001 \(\d+\.\ds\)\s+Timeout: domain search-example still busy after 1 second/);
  expect(text).toMatch(/ROLLBACK_COMPLETE\s+OpenSearchPackagesExample/);
  expect(text).not.toContain('Operation timed out');
  // The first association on the domain read it busy until its timeout and sent nothing; the ones after it never started.
  expect(result.operations[0].requests.AssociatePackage).toBeUndefined();
  expect(result.operations[0].requests.DescribeDomain).toBeGreaterThan(0);
  expect(text).not.toMatch(/CREATE_IN_PROGRESS\s+(Synonyms[0-9A-F]{8}|Plugin)\S*\s+search-example/);
  // The rollback deletes the package the create made.
  expect(result.operations[0].requests.DeletePackage).toBe(1);
});

test('--timeout-scale defaults to --scale; --busy needs a domain of the emulator', async () => {
  expect(parseCliOptions(['--scale', '0.01'])).toMatchObject({ scale: 0.01, timeoutScale: 0.01, busy: [], blueGreenMs: DEFAULT_BLUE_GREEN_MS });
  expect(parseCliOptions(['--blue-green-ms', '2500'])).toMatchObject({ blueGreenMs: 2500 });
  expect(() => parseCliOptions(['--blue-green-ms', '0'])).toThrow(/--blue-green-ms expects a positive number, got '0'/);
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

test('--update-context synonymsFile=<edited copy>: UpdatePackage, the package at v2, the domain moved to v2', async () => {
  // The cdk.json app of this project, synthesized twice by the CLI: with the repository's file, then with an edited copy.
  fs.writeFileSync(path.join(workDir, 'cdk.json'), JSON.stringify({ app: `"${process.execPath}" "${TSX}" "${path.join(ROOT, 'bin', 'example-app.ts')}"` }));
  const edited = path.join(workDir, 'synonyms-edited.txt');
  fs.writeFileSync(edited, `${fs.readFileSync(EXAMPLE_SYNONYMS_FILE, 'utf8')}fridge, refrigerator\n`);

  const { result, text } = await run(['--update-context', `synonymsFile=${edited}`]);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
  // A new version of the same package, not a new package; only the app's dictionary moves.
  expect(result.operations[1].requests).toMatchObject({ UpdatePackage: 1, AssociatePackage: 1 });
  expect(result.operations[1].requests.CreatePackage).toBeUndefined();
  expect(result.operations[1].requests.DissociatePackage).toBeUndefined();
  expect(result.packages.find((pkg) => pkg.id === SYNONYMS_FILE_ID)).toMatchObject({ status: 'AVAILABLE', availableVersion: 'v2' });
  expect(result.associations[DOMAIN].find((entry) => entry.packageId === SYNONYMS_FILE_ID)).toMatchObject({ status: 'ACTIVE', version: 'v2' });
  expect(result.associations[DOMAIN].filter((entry) => entry.packageId !== SYNONYMS_FILE_ID).map((entry) => entry.version)).toEqual(['v1', 'v1', 'v1', 'v1']);
  const update = text.slice(text.indexOf('Update OpenSearchPackagesExample'));
  expect(update).toMatch(/UPDATE_COMPLETE\s+SynonymsFile[0-9A-F]{8}\s+-\s+opensearchpackagesexample-synonymsfile-[0-9a-f]{8} v1 → v2/);
  expect(update).toMatch(/UPDATE_COMPLETE\s+SynonymsFileDomainDomain\S+\s+search-example\s+F100000001 v1 → v2/);
  expect(update).toMatch(/search-example +F100000001 +opensearchpackagesexample-synonymsfile-[0-9a-f]{8} \(TXT-DICTIONARY\) +ACTIVE +v2/);
}, 90_000);

test('--fail <package name>: the package\'s validation fails, nothing is associated, the rollback deletes it', async () => {
  const packageName = (JSON.stringify(readTemplate(v1)).match(/opensearchpackagesexample-synonymsfile-[0-9a-f]{8}/) ?? [''])[0];

  const { result, text } = await run(['--app', v1, '--fail', packageName]);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['ROLLBACK_COMPLETE']);
  expect(result.operations[0].outcome.failures).toEqual([{
    logicalId: expect.stringMatching(/^SynonymsFile[0-9A-F]{8}$/),
    reason: expect.stringMatching(/^VALIDATION_FAILED: SimulatedFailure: validation failed on purpose/),
  }]);
  expect(result.operations[0].requests).toMatchObject({ CreatePackage: 1, DeletePackage: 1 });
  expect(result.operations[0].requests.AssociatePackage).toBeUndefined();
  expect(text).toMatch(new RegExp(`CREATE_FAILED\\s+SynonymsFile[0-9A-F]{8}\\s+-\\s+${packageName} \\(\\d+\\.\\ds\\)\\s+VALIDATION_FAILED`));
  expect(await main(['--app', v1, '--fail', 'no-such-package'], { write: () => undefined }, { projectDir: workDir })).toBe(1);
});

test('a failed update rolls back to the old dictionary', async () => {
  const { result, text } = await run(['--app', v1, '--update', v2, '--fail', V2.dictionaryId]);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
  // the old dictionary is back and the failed new one is being withdrawn: what the old template declares stays
  expect(state(result).filter((entry) => !entry.startsWith('F222222222:'))).toEqual(ALL_ACTIVE);
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

test('the table: a package row shows no domain and its name; a planned association takes the package id it reports; versions as they move', () => {
  let text = '';
  const table = new ProgressTable({ write: (chunk) => void (text += chunk), isTTY: true, columns: 160 });
  const pkg = { logicalId: 'SynonymsFile1234', domain: '', packageId: '', packageName: 'example-synonyms' };
  const association = { logicalId: 'SynonymsFileDomain5678', domain: DOMAIN, packageId: '' };
  table.begin('Stack', 'Update Stack', [pkg, association]);
  const pending = text;
  table.onProgress({ ...pkg, status: 'UPDATE_IN_PROGRESS', elapsedMs: 0, version: 'v1' });
  table.onProgress({ ...pkg, status: 'UPDATE_COMPLETE', elapsedMs: 1200, version: 'v2' });
  table.onProgress({ ...association, packageId: 'F100000001', status: 'UPDATE_IN_PROGRESS', elapsedMs: 1200, version: 'v1' });
  table.onProgress({ ...association, packageId: 'F100000001', status: 'UPDATE_COMPLETE', elapsedMs: 2200, version: 'v2' });
  table.end();

  expect(pending).toMatch(/SynonymsFile1234\s+-\s+example-synonyms\s+PENDING/);
  expect(pending).toMatch(/SynonymsFileDomain5678\s+search-example\s+-\s+PENDING/);
  const last = text.slice(text.lastIndexOf('\x1b[0J'));
  expect(last).toMatch(/SynonymsFile1234\s+-\s+example-synonyms v1 → v2\s+\S*UPDATE_COMPLETE\S*\s+1\.2s/);
  expect(last).toMatch(/SynonymsFileDomain5678\s+search-example\s+F100000001 v1 → v2\s+\S*UPDATE_COMPLETE\S*\s+1\.0s/);
  expect(last.match(/SynonymsFileDomain5678/g)).toHaveLength(1); // the planned row, not a second one
});

test('--help and bad options', async () => {
  const help: string[] = [];
  expect(await main(['--help'], { write: (text) => void help.push(text) })).toBe(0);
  expect(help.join('')).toMatch(/--update <dir>/);
  expect(help.join('')).toMatch(/--blue-green-ms <ms>/);
  const bad: string[] = [];
  expect(await main(['--scale', 'fast'], { write: (text) => void bad.push(text) })).toBe(2);
  expect(bad.join('')).toMatch(/--scale expects a positive number/);
});
