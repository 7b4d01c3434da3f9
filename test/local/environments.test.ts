/**
 * deploy:local keeps domains and packages per account and region, as AWS does: stacks of two
 * environments that each declare a domain named alike get a domain each, while stacks of one
 * environment (an environment-agnostic stack counting as the default one) share it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aws, CfnOutput, Environment, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newApp, synthesize } from './assemblies';
import { runCli } from './cli-run';
import { EXAMPLE_SYNONYMS_FILE } from '../../bin/example-stack';
import { OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { main, RunResult } from '../../local/deploy-local';
import { parseEnvironment } from '../../local/stack-environment';

jest.setTimeout(30_000);

const DOMAIN = 'search-shared';
const IRELAND = { account: '111111111111', region: 'eu-west-1' };
const FRANKFURT = { account: '111111111111', region: 'eu-central-1' };
const OTHER_ACCOUNT = { account: '222222222222', region: 'eu-west-1' };
const name = (env: Environment, domain = DOMAIN) => `aws://${env.account}/${env.region}/${domain}`;

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-'));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A stack that declares the domain DOMAIN and associates a dictionary `packageName` with it; its outputs show its region and account. */
function declaringStack(app: App, id: string, env?: Environment, packageName = 'synonyms', stackName?: string): Stack {
  const stack = new Stack(app, id, { env, stackName });
  const domain = new opensearch.Domain(stack, 'Domain', {
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    domainName: DOMAIN,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
  });
  associateDictionary(stack, domain, packageName);
  new CfnOutput(stack, 'Region', { value: Aws.REGION });
  new CfnOutput(stack, 'Account', { value: Aws.ACCOUNT_ID });
  return stack;
}

/** A stack that associates a dictionary with the domain DOMAIN of its account and region, declared elsewhere. */
function importingStack(app: App, id: string, env: Environment | undefined, packageName: string): Stack {
  const stack = new Stack(app, id, { env });
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: stack.formatArn({ service: 'es', resource: 'domain', resourceName: DOMAIN }),
    domainEndpoint: `https://search-${DOMAIN}.example.com`,
  });
  associateDictionary(stack, domain, packageName);
  return stack;
}

function associateDictionary(stack: Stack, domain: opensearch.IDomain, packageName: string): void {
  new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(EXAMPLE_SYNONYMS_FILE), packageName })
    .associateWith(domain);
}

const packageNames = (result: RunResult, env: Environment) =>
  result.packagesByEnvironment[`aws://${env.account}/${env.region}`].map((pkg) => `${pkg.name} ${pkg.owner} ${pkg.status}`).sort();
const lineOf = (text: string, pattern: RegExp) => text.split('\n').findIndex((line) => pattern.test(line));
const associated = (result: RunResult, key: string) => result.associations[key].map((entry) => entry.status);

test('stacks of three environments that each declare a domain named alike get a domain each; two stacks of one environment share theirs', async () => {
  const app = newApp(path.join(workDir, 'apart.out'));
  declaringStack(app, 'Ireland', IRELAND);
  declaringStack(app, 'Frankfurt', FRANKFURT);
  declaringStack(app, 'OtherAccount', OTHER_ACCOUNT);
  importingStack(app, 'IrelandToo', IRELAND, 'stopwords');

  const { result, text } = await runCli(workDir, ['--app', synthesize(app).directory]);

  expect(result.exitCode).toBe(0);
  expect(text).toMatch(/^Create Ireland \(aws:\/\/111111111111\/eu-west-1\), Frankfurt \(aws:\/\/111111111111\/eu-central-1\), OtherAccount \(aws:\/\/222222222222\/eu-west-1\), IrelandToo \(aws:\/\/111111111111\/eu-west-1\)$/m);
  // One emulator per account and region, each with its own domain of that name.
  expect(text.match(/^Packages-API emulator on \S+ for aws:\/\/\d+\/[a-z0-9-]+: domains search-shared;/gm)).toHaveLength(3);
  const requests = Object.fromEntries(result.operations.map((op) => [op.stackName, op.requests]));
  // Each stack's handler reached its own environment's emulator only, though all four ran at once:
  // only stacks of one environment share request counts.
  const concurrent = Object.fromEntries(result.operations.map((op) => [op.stackName, op.concurrentWith]));
  expect(concurrent).toEqual({ Ireland: ['IrelandToo'], IrelandToo: ['Ireland'], Frankfurt: undefined, OtherAccount: undefined });
  const irelandDone = lineOf(text, /CREATE_COMPLETE\s+Ireland$/);
  expect([lineOf(text, /CREATE_IN_PROGRESS\s+Frankfurt$/), lineOf(text, /CREATE_IN_PROGRESS\s+OtherAccount$/)].every((line) => line >= 0 && line < irelandDone)).toBe(true);
  expect(requests.Frankfurt).toMatchObject({ CreatePackage: 1, AssociatePackage: 1 });
  expect(requests.OtherAccount).toMatchObject({ CreatePackage: 1, AssociatePackage: 1 });
  // Each account and region has its package named synonyms, owned by its account: no name clash.
  expect(packageNames(result, IRELAND)).toEqual(['stopwords 111111111111 AVAILABLE', 'synonyms 111111111111 AVAILABLE']);
  expect(packageNames(result, FRANKFURT)).toEqual(['synonyms 111111111111 AVAILABLE']);
  expect(packageNames(result, OTHER_ACCOUNT)).toEqual(['synonyms 222222222222 AVAILABLE']);
  expect(Object.keys(result.associations).sort()).toEqual([name(FRANKFURT), name(IRELAND), name(OTHER_ACCOUNT)].sort());
  expect(associated(result, name(IRELAND))).toEqual(['ACTIVE', 'ACTIVE']);
  expect(associated(result, name(FRANKFURT))).toEqual(['ACTIVE']);
  expect(associated(result, name(OTHER_ACCOUNT))).toEqual(['ACTIVE']);
  // Each stack reads its own region and account.
  expect(text).toMatch(/^ {2}Frankfurt\.Region = eu-central-1$/m);
  expect(text).toMatch(/^ {2}OtherAccount\.Account = 222222222222$/m);
  expect(text).toMatch(/^ {2}Ireland\.Region = eu-west-1$/m);
});

test('the summary names each domain with its environment; the environment-agnostic stack shares the default environment\'s domain', async () => {
  const app = newApp(path.join(workDir, 'shared.out'));
  declaringStack(app, 'Agnostic');
  importingStack(app, 'Explicit', { account: '123456789012', region: 'us-east-1' }, 'stopwords');
  declaringStack(app, 'Oregon', { account: '123456789012', region: 'us-west-2' });

  const { result, text } = await runCli(workDir, ['--app', synthesize(app).directory]);

  expect(result.exitCode).toBe(0);
  const DEFAULT = { account: '123456789012', region: 'us-east-1' };
  const OREGON = { account: '123456789012', region: 'us-west-2' };
  expect(associated(result, name(DEFAULT))).toEqual(['ACTIVE', 'ACTIVE']);
  expect(associated(result, name(OREGON))).toEqual(['ACTIVE']);
  expect(Object.keys(result.associations).sort()).toEqual([name(DEFAULT), name(OREGON)]);
  expect(text).toMatch(/^ {2}aws:\/\/123456789012\/us-west-2\/search-shared {2}F100000001 {2}synonyms \(TXT-DICTIONARY\)\s+ACTIVE/m);
  expect(text).toMatch(/^ {2}aws:\/\/123456789012\/us-east-1\/search-shared {2}F10000000[12]/m);
  // The app's packages, listed per environment.
  expect(text).toMatch(/^ {2}aws:\/\/123456789012\/us-west-2:\n {4}F100000001 {2}synonyms \(TXT-DICTIONARY\) {2}AVAILABLE/m);
  expect(text).toMatch(/^ {4}-\s+stopwords\s+none \(deleted, or never created\)$/m);
});

test('--fail acts in the environment whose stacks name the package only; --busy of an unknown domain is refused', async () => {
  const app = newApp(path.join(workDir, 'fail.out'));
  declaringStack(app, 'Ireland', IRELAND);
  declaringStack(app, 'Frankfurt', FRANKFURT, 'stopwords');
  const assembly = synthesize(app).directory;

  const { result } = await runCli(workDir, ['--app', assembly, '--fail', 'stopwords']);

  expect(result.exitCode).toBe(1);
  expect(result.operations.map((op) => `${op.stackName} ${op.outcome.status}`).sort()).toEqual(['Frankfurt ROLLBACK_COMPLETE', 'Ireland CREATE_COMPLETE']);
  expect(associated(result, name(IRELAND))).toEqual(['ACTIVE']);
  expect(associated(result, name(FRANKFURT))).toEqual([]);

  const output: string[] = [];
  expect(await main(['--app', assembly, '--busy', 'search-other=1'], { write: (chunk) => void output.push(chunk) }, { projectDir: workDir })).toBe(1);
  expect(output.join('')).toMatch(/^deploy:local failed: cannot keep search-other busy: the emulator has no such domain \(domains: search-shared\)$/m);
});

test('two stacks of one name in two environments are refused before anything is deployed', async () => {
  const app = newApp(path.join(workDir, 'same-name.out'));
  declaringStack(app, 'First', IRELAND, 'synonyms', 'Search');
  declaringStack(app, 'Second', FRANKFURT, 'synonyms', 'Search');
  const output: string[] = [];

  expect(await main(['--app', synthesize(app).directory], { write: (chunk) => void output.push(chunk) }, { projectDir: workDir })).toBe(1);
  expect(output.join('')).toMatch(/^deploy:local failed: stacks named Search deploy to aws:\/\/111111111111\/eu-west-1 and aws:\/\/111111111111\/eu-central-1: deploy:local needs a stack name per stack \(give one a stackName\)$/m);
});

test("a manifest's environment: unknown-account and unknown-region take the default account and region", () => {
  expect(parseEnvironment('aws://111111111111/eu-west-1')).toEqual({ account: '111111111111', region: 'eu-west-1' });
  expect(parseEnvironment('aws://unknown-account/eu-west-1')).toEqual({ account: '123456789012', region: 'eu-west-1' });
  expect(parseEnvironment('aws://111111111111/unknown-region')).toEqual({ account: '111111111111', region: 'us-east-1' });
  expect(parseEnvironment(undefined)).toEqual({ account: '123456789012', region: 'us-east-1' });
});
