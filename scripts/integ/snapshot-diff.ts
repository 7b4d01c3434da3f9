import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { maskHandlerRuntimes } from './handler-runtime-mask';

/*
 * What integ-runner's snapshot check compares, for a cloud assembly of any schema version: the templates, the
 * test manifest (integ.json) and, where the test cases ask for it (`diffAssets`), the asset hashes.
 * The rest of the assembly (manifest.json, *.assets.json) holds hashes of the templates: compared through them.
 */

/** integ-tests-alpha gives each assertion a `salt` of Date.now() so that every deploy runs it again. */
const ASSERTION_TYPE = /^Custom::DeployAssert@/;
const HASH = /[0-9a-f]{64}/g;

/** The differences between the snapshot `expectedDir` and a fresh synthesis `actualDir`, each a readable text. */
export function snapshotDifferences(expectedDir: string, actualDir: string): string[] {
  if (!fs.existsSync(expectedDir)) {
    return [`no snapshot: ${expectedDir} does not exist`];
  }
  const diffAssets = everyTestCaseDiffsAssets(actualDir);
  const differences: string[] = [];
  const integ = compareText('integ.json', readJson(expectedDir, 'integ.json'), readJson(actualDir, 'integ.json'));
  differences.push(...integ);
  for (const file of union(templates(expectedDir), templates(actualDir))) {
    const normalize = (dir: string) => {
      const template = readJson(dir, file);
      return template === undefined ? undefined : normalizeTemplate(template, diffAssets);
    };
    differences.push(...compareText(file, normalize(expectedDir), normalize(actualDir)));
  }
  if (diffAssets) {
    const expected = assetNames(expectedDir);
    const actual = assetNames(actualDir);
    const missing = actual.filter((name) => !expected.includes(name));
    const stale = expected.filter((name) => !actual.includes(name));
    if (missing.length > 0 || stale.length > 0) {
      differences.push(`assets: not in the snapshot: ${missing.join(', ') || 'none'}; only in the snapshot: ${stale.join(', ') || 'none'}`);
    }
  }
  return differences;
}

/** Whether every test case of the assembly sets `diffAssets` (integ-runner's default is false: hashes masked). */
function everyTestCaseDiffsAssets(dir: string): boolean {
  const testCases = Object.values((readJson(dir, 'integ.json') as { testCases?: Record<string, { diffAssets?: boolean }> })?.testCases ?? {});
  return testCases.length > 0 && testCases.every((testCase) => testCase.diffAssets === true);
}

/**
 * The template with assertion salts, the provider functions' runtime (it follows the installed aws-cdk-lib) and,
 * unless asset hashes count, the hashes masked.
 */
function normalizeTemplate(template: any, diffAssets: boolean): unknown {
  const copy = maskHandlerRuntimes(template);
  for (const resource of Object.values<any>(copy.Resources ?? {})) {
    if (ASSERTION_TYPE.test(resource.Type ?? '') && resource.Properties?.salt !== undefined) {
      resource.Properties.salt = '[SALT]';
    }
  }
  return diffAssets ? copy : JSON.parse(JSON.stringify(copy).replace(HASH, '[ASSET HASH]'));
}

/** A unified diff of the two values as pretty JSON, or nothing when they are equal. */
function compareText(label: string, expected: unknown, actual: unknown): string[] {
  const [a, b] = [expected, actual].map((value) => (value === undefined ? '' : `${JSON.stringify(value, null, 1)}\n`));
  if (a === b) {
    return [];
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-diff-'));
  try {
    fs.writeFileSync(path.join(tmp, 'snapshot'), a);
    fs.writeFileSync(path.join(tmp, 'synthesized'), b);
    const diff = spawnSync('diff', ['-u', '--label', `snapshot/${label}`, '--label', `synthesized/${label}`, 'snapshot', 'synthesized'], { cwd: tmp, encoding: 'utf8' });
    return [diff.stdout || `${label} differs`];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function readJson(dir: string, file: string): any {
  const full = path.join(dir, file);
  return fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, 'utf8')) : undefined;
}

function templates(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => file.endsWith('.template.json')) : [];
}

function assetNames(dir: string): string[] {
  return fs.readdirSync(dir).filter((file) => file.startsWith('asset.')).sort();
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
