/**
 * Packages as code, whole stacks: a dictionary file of the repository becomes a package associated
 * with two domains; the local CloudFormation player plays the synthesized stacks (package, then its
 * associations) with the handler talking HTTP to the emulator. Create, a content change (v1 → v2 on
 * both domains), a failed content update and its rollback, a package still held outside the stack,
 * an engine version change that replaces a plugin.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { pointSdkAt } from './handler-harness';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { PackagesApiEmulator } from '../../emulator/packages-api-emulator';
import * as handler from '../../lambda';
import { OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { CloudFormationPlayer } from '../../local/cloudformation-player';
import { fixtureFromStacks } from '../../local/emulator-fixture';

jest.setTimeout(30_000);

const ONE = 'search-one';
const TWO = 'search-two';
const STACK = 'Packages';
/** A domain no stack of the test declares. */
const OUTSIDE = 'search-outside';

let workDir: string;
let emulator: PackagesApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let player: CloudFormationPlayer;

interface Version {
  /** The dictionary's content. */
  readonly synonyms: string;
  /** The dictionary's file name. @default 'synonyms.txt' */
  readonly fileName?: string;
  /** The plugin's engine version. */
  readonly engineVersion: opensearch.EngineVersion;
}
const V1: Version = { synonyms: 'laptop, notebook\n', engineVersion: opensearch.EngineVersion.OPENSEARCH_2_17 };
const V2: Version = { ...V1, synonyms: 'laptop, notebook\ncouch, sofa\n' };
const UPGRADED: Version = { ...V1, engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 };
/** The same content under another file name. */
const RENAMED_FILE: Version = { ...V1, fileName: 'product-synonyms.txt' };

/** The stack: a dictionary on two domains, a plugin (from a folder) on one. */
function template(version: Version): unknown {
  const dir = fs.mkdtempSync(path.join(workDir, 'src-'));
  const fileName = version.fileName ?? 'synonyms.txt';
  fs.writeFileSync(path.join(dir, fileName), version.synonyms);
  fs.mkdirSync(path.join(dir, 'plugin'));
  fs.writeFileSync(path.join(dir, 'plugin', 'plugin-descriptor.properties'), 'name=example\n');
  const stack = new Stack(new App(), STACK);
  const domain = (name: string) => opensearch.Domain.fromDomainAttributes(stack, name, {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${name}`,
    domainEndpoint: `https://search-${name}-abc.us-east-1.es.amazonaws.com`,
  });
  const [one, two] = [domain(ONE), domain(TWO)];
  const synonyms = new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(path.join(dir, fileName)) });
  synonyms.associateWith(one);
  synonyms.associateWith(two);
  const plugin = new OpenSearchPackage(stack, 'Plugin', {
    packageType: PackageType.ZIP_PLUGIN, source: PackageSource.fromAsset(path.join(dir, 'plugin')), engineVersion: version.engineVersion,
  });
  plugin.associateWith(one);
  return Template.fromStack(stack).toJSON();
}

const TEMPLATES = new Map<Version, unknown>();
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-lifecycle-'));
  [V1, V2, UPGRADED, RENAMED_FILE].forEach((version) => TEMPLATES.set(version, template(version)));
}, 60_000);
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

beforeEach(async () => {
  const fixture = fixtureFromStacks([...TEMPLATES.values()].map((t) => ({ name: STACK, template: t })));
  emulator = await PackagesApiEmulator.start({
    domains: [...fixture.domains, OUTSIDE],
    packages: fixture.packages,
    s3Objects: fixture.s3Objects,
    associationMs: 100,
    dissociationMs: 60,
    copyMs: 40,
    validationMs: 40,
  });
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [player.stackView()] });
  pointSdkAt(emulator, cloudFormation);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  player = new CloudFormationPlayer({ handlers: handler, queryIntervalMs: 30, totalTimeoutMs: 10_000, stackName: STACK });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all([emulator.close(), cloudFormation.close()]);
});

const synonymsPackage = () => emulator.packages().find((p) => p.type === 'TXT-DICTIONARY');
const onDomain = (domain: string) => emulator.associations(domain).map((a) => `${a.packageId === synonymsPackage()?.id ? 'synonyms' : a.packageId}:${a.status}:${a.version}`);
const calls = (operation: string) => emulator.requests.filter((r) => r.operation === operation);

test('create: each package AVAILABLE at v1 before its associations, both domains run it', async () => {
  const outcome = await player.deploy(TEMPLATES.get(V1));

  expect(outcome).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
  expect(synonymsPackage()).toMatchObject({ status: 'AVAILABLE', availableVersion: 'v1' });
  expect(onDomain(TWO)).toEqual(['synonyms:ACTIVE:v1']);
  expect(onDomain(ONE)).toContain('synonyms:ACTIVE:v1');
  expect(calls('CreatePackage')).toHaveLength(2);
  const lastCreate = emulator.requests.lastIndexOf(calls('CreatePackage')[1]);
  expect(emulator.requests.findIndex((r) => r.operation === 'AssociatePackage')).toBeGreaterThan(lastCreate);
});

test('a new file content: UpdatePackage (v1 → v2), then both domains move to v2; the plugin is not touched', async () => {
  await player.deploy(TEMPLATES.get(V1));
  const before = emulator.requests.length;

  const outcome = await player.deploy(TEMPLATES.get(V2));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(synonymsPackage()).toMatchObject({ availableVersion: 'v2' });
  expect(onDomain(TWO)).toEqual(['synonyms:ACTIVE:v2']);
  expect(onDomain(ONE)).toContain('synonyms:ACTIVE:v2');
  const during = emulator.requests.slice(before).filter((r) => !['ListPackagesForDomain', 'DescribePackages', 'DescribeDomain'].includes(r.operation));
  expect(during.map((r) => `${r.operation} ${r.domain ?? ''}`).sort()).toEqual(['AssociatePackage search-one', 'AssociatePackage search-two', 'UpdatePackage ']);
});

test('a renamed file: the same package, no dissociation, both domains stay ACTIVE at the package\'s newest version', async () => {
  await player.deploy(TEMPLATES.get(V1));
  const id = synonymsPackage()!.id;

  const outcome = await player.deploy(TEMPLATES.get(RENAMED_FILE));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(synonymsPackage()!.id).toBe(id);
  expect(calls('CreatePackage')).toHaveLength(2); // the create's only
  expect(calls('DissociatePackage')).toHaveLength(0);
  const newest = synonymsPackage()!.availableVersion;
  expect(onDomain(TWO)).toEqual([`synonyms:ACTIVE:${newest}`]);
});

test('a content update that fails validation rolls back: the domains keep v1, the rollback reads the old object', async () => {
  await player.deploy(TEMPLATES.get(V1));
  emulator.failNextValidation(synonymsPackage()!.name, 'InvalidDictionary', 'Line 2: couch, sofa is not allowed');

  const outcome = await player.deploy(TEMPLATES.get(V2));

  expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(outcome.failures[0].reason).toMatch(/^VALIDATION_FAILED: InvalidDictionary: Line 2/);
  expect(onDomain(TWO)).toEqual(['synonyms:ACTIVE:v1']);
  const updates = calls('UpdatePackage').map((r) => (r.body as any).PackageSource.S3Key);
  expect(updates).toHaveLength(2);
  expect(updates[1]).not.toBe(updates[0]); // the rollback updates back to the previous object
});

test('an engine version change replaces the plugin: the new one first, associations move, the old one deleted in cleanup', async () => {
  await player.deploy(TEMPLATES.get(V1));
  const oldPlugin = emulator.packages().find((p) => p.type === 'ZIP-PLUGIN')!;

  const outcome = await player.deploy(TEMPLATES.get(UPGRADED));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  const plugins = emulator.packages().filter((p) => p.type === 'ZIP-PLUGIN');
  expect(plugins.map((p) => p.engineVersion)).toEqual(['OpenSearch_2.19']);
  expect(onDomain(ONE)).toContain(`${plugins[0].id}:ACTIVE:v1`);
  expect(onDomain(ONE).some((entry) => entry.startsWith(oldPlugin.id))).toBe(false);
  const [deleteOld] = calls('DeletePackage');
  expect(emulator.requests.indexOf(deleteOld)).toBeGreaterThan(emulator.requests.indexOf(calls('DissociatePackage')[0]));
});

test('destroy: associations first, then the packages; a package still held outside the stack fails the delete, naming the domain', async () => {
  await player.deploy(TEMPLATES.get(V1));
  emulator.seedAssociation(OUTSIDE, synonymsPackage()!.id);

  const outcome = await player.destroy();

  expect(outcome.status).toBe('DELETE_FAILED');
  expect(outcome.failures.map((f) => f.reason)).toEqual([expect.stringMatching(/^ConflictException: .*\(still associated with: search-outside; dissociate it there first\)/)]);
  expect(onDomain(ONE)).toEqual([]);
  expect(emulator.packages().filter((p) => p.type === 'ZIP-PLUGIN')).toEqual([]);
});
