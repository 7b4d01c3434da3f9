/**
 * A whole stack's lifecycle (create, update, delete, and the rollbacks) played in
 * CloudFormation's order and concurrency by the local CloudFormation player, with the
 * handler source (lambda/) talking HTTP to the packages-API emulator. The stacks are built
 * with the real construct and synthesized.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { pointSdkAt } from './handler-harness';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { EmulatedPackage, PackagesApiEmulator, RecordedRequest } from '../../emulator/packages-api-emulator';
import * as handler from '../../lambda';
import { DomainPackageAssociation } from '../../lib';
import { CloudFormationPlayer, ProgressEvent } from '../../local/cloudformation-player';

jest.setTimeout(15_000);

const ONE = 'search-one';
const TWO = 'search-two';
const PACKAGES: EmulatedPackage[] = [
  { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' },
  { id: 'F222', name: 'stopwords', type: 'TXT-DICTIONARY' },
  { id: 'F333', name: 'synonyms-2', type: 'TXT-DICTIONARY' },
  { id: 'pkg-a1', name: 'my-plugin', type: 'ZIP-PLUGIN' },
  { id: 'pkg-a2', name: 'my-plugin-license', type: 'PACKAGE-LICENSE' },
];
const ASSOCIATION_MS = 150;
const QUERY_INTERVAL_MS = 50;

interface StackVersion {
  /** The dictionary on domain one. */
  readonly synonymsId: string;
  /** packageVersion of the dictionary on domain two. */
  readonly stopwordsVersion: string;
  /** The construct id of the dictionary on domain one. @default 'Synonyms' */
  readonly synonymsConstructId?: string;
  /** The domain of the stopwords association; null: the association is removed. @default TWO */
  readonly stopwordsDomain?: string | null;
}
const V1: StackVersion = { synonymsId: 'F111', stopwordsVersion: 'v1' };
const V2: StackVersion = { synonymsId: 'F333', stopwordsVersion: 'v2' };
/** The dictionary's construct renamed (a new logical id for the same pair). */
const RENAMED: StackVersion = { ...V1, synonymsConstructId: 'Dictionary' };
/** Domain two's only association removed. */
const TWO_EMPTIED: StackVersion = { ...V1, stopwordsDomain: null };
/** The stopwords association moved to domain one. */
const MOVED: StackVersion = { ...V1, stopwordsDomain: ONE };

/** Domain one: dictionary, plugin (key-store access), license needing the plugin. Domain two: a dictionary. */
function template(version: StackVersion): unknown {
  const stack = new Stack(new App(), 'Lifecycle');
  const domain = (name: string) => opensearch.Domain.fromDomainAttributes(stack, name, {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${name}`,
    domainEndpoint: `https://search-${name}-abc.us-east-1.es.amazonaws.com`,
  });
  const one = domain(ONE);
  const role = new iam.Role(stack, 'KeyAccess', { assumedBy: new iam.ServicePrincipal('es.amazonaws.com') });
  new DomainPackageAssociation(stack, version.synonymsConstructId ?? 'Synonyms', { domain: one, packageId: version.synonymsId });
  const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain: one, packageId: 'pkg-a1', keyStoreAccess: { enabled: true, keyAccessRole: role } });
  new DomainPackageAssociation(stack, 'License', { domain: one, packageId: 'pkg-a2', prerequisites: [plugin] });
  const stopwordsDomain = version.stopwordsDomain === undefined ? TWO : version.stopwordsDomain;
  if (stopwordsDomain !== null) {
    const target = stopwordsDomain === ONE ? one : domain(stopwordsDomain);
    new DomainPackageAssociation(stack, 'Stopwords', { domain: target, packageId: 'F222', packageVersion: version.stopwordsVersion });
  }
  return Template.fromStack(stack).toJSON();
}

// Synthesized once: loading aws-cdk-lib and synthesizing is the slow part, not the play.
const TEMPLATES = new Map<StackVersion, unknown>();
beforeAll(() => {
  [V1, V2, RENAMED, TWO_EMPTIED, MOVED].forEach((version) => TEMPLATES.set(version, template(version)));
}, 30_000);
const synthesized = (version: StackVersion) => TEMPLATES.get(version)!;

let emulator: PackagesApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let player: CloudFormationPlayer;
let events: any[];
let progress: ProgressEvent[];

beforeEach(async () => {
  emulator = await PackagesApiEmulator.start({ domains: [ONE, TWO], packages: PACKAGES, associationMs: ASSOCIATION_MS, dissociationMs: 100 });
  // The handler reads its stack as the player shows it at that moment.
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [player.stackView()] });
  pointSdkAt(emulator, cloudFormation);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  events = [];
  progress = [];
  player = new CloudFormationPlayer({
    handlers: {
      onEvent: (event) => {
        events.push(event);
        return handler.onEvent(event);
      },
      isComplete: (event) => handler.isComplete(event),
    },
    queryIntervalMs: QUERY_INTERVAL_MS,
    totalTimeoutMs: 5_000,
    stackName: 'Lifecycle',
    onProgress: (event) => progress.push(event),
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all([emulator.close(), cloudFormation.close()]);
});

const requests = (operation: string, packageId?: string, domain?: string): RecordedRequest[] =>
  emulator.requests.filter((r) =>
    r.operation === operation && (packageId === undefined || r.packageId === packageId) && (domain === undefined || r.domain === domain));
const indexOf = (request: RecordedRequest | undefined) => emulator.requests.indexOf(request!);
const state = (domain: string) => emulator.associations(domain).map((a) => `${a.packageId}:${a.status}:${a.version}`);
const logicalIdOf = (packageId: string) => Object.entries((synthesized(V1) as any).Resources)
  .find(([, r]: [string, any]) => r.Properties?.PackageID === packageId)![0];

test('create: dependency order on each domain, both domains at once, CloudFormation-shaped events', async () => {
  const outcome = await player.deploy(synthesized(V1));

  expect(outcome).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
  expect(state(ONE)).toEqual(['F111:ACTIVE:v1', 'pkg-a1:ACTIVE:v1', 'pkg-a2:ACTIVE:v1']);
  expect(state(TWO)).toEqual(['F222:ACTIVE:v1']);
  // One operation at a time per domain: each AssociatePackage after the previous one settled.
  const onOne = requests('AssociatePackage', undefined, ONE);
  expect(onOne.map((r) => r.packageId)).toEqual(['F111', 'pkg-a1', 'pkg-a2']);
  onOne.slice(1).forEach((r, i) => expect(r.time).toBeGreaterThanOrEqual(onOne[i].time + ASSOCIATION_MS));
  expect(onOne.every((r) => r.status === 200)).toBe(true);
  // The license only once its plugin was ACTIVE, with the plugin as prerequisite.
  const [plugin] = requests('AssociatePackage', 'pkg-a1');
  const [license] = requests('AssociatePackage', 'pkg-a2');
  expect(license.time).toBeGreaterThanOrEqual(plugin.time + ASSOCIATION_MS);
  expect(license.body).toEqual({ PrerequisitePackageIDList: ['pkg-a1'] });
  // "true" in the template's properties reaches the service as a JSON boolean.
  expect(plugin.body).toEqual({
    AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: expect.stringMatching(/^arn:aws:iam::123456789012:role\//) } },
  });
  // Domain two did not wait for domain one: it started before domain one's first association settled.
  const [stopwords] = requests('AssociatePackage', 'F222');
  expect(indexOf(stopwords)).toBeLessThan(indexOf(onOne[1]));
  expect(stopwords.time).toBeLessThan(onOne[0].time + ASSOCIATION_MS);

  const create = events.find((event) => event.ResourceProperties.PackageID === 'pkg-a1');
  expect(create).toMatchObject({
    RequestType: 'Create',
    ResourceType: 'Custom::OpenSearchPackageAssociation',
    LogicalResourceId: logicalIdOf('pkg-a1'),
    StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Lifecycle\//),
    RequestId: expect.any(String),
    ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response/),
    ServiceToken: expect.stringMatching(/^arn:aws:lambda:/),
    ResourceProperties: { ServiceToken: expect.any(String), DomainName: ONE, PackageID: 'pkg-a1', AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true' } } },
  });
  expect(create.PhysicalResourceId).toBeUndefined();
  expect(player.physicalIds.get(logicalIdOf('pkg-a1'))).toBe(`${ONE}/pkg-a1`);
});

test('update: a changed package is associated first and the old pair dissociated in cleanup; a new packageVersion re-associates', async () => {
  await player.deploy(synthesized(V1));
  emulator.publishVersion('F222', 'v2');
  const before = emulator.requests.length;

  const outcome = await player.deploy(synthesized(V2));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(state(ONE)).toEqual(['F333:ACTIVE:v1', 'pkg-a1:ACTIVE:v1', 'pkg-a2:ACTIVE:v1']);
  expect(state(TWO)).toEqual(['F222:ACTIVE:v2']);
  const during = emulator.requests.slice(before);
  // Unchanged resources get no write; the old pair is dissociated only after every update succeeded.
  expect(during.filter((r) => !['ListPackagesForDomain', 'DescribeDomain'].includes(r.operation)).map((r) => `${r.operation} ${r.packageId}`).sort())
    .toEqual(['AssociatePackage F222', 'AssociatePackage F333', 'DissociatePackage F111']);
  const [dissociateOld] = requests('DissociatePackage', 'F111');
  expect(indexOf(dissociateOld)).toBeGreaterThan(indexOf(requests('AssociatePackage', 'F333')[0]));
  expect(indexOf(dissociateOld)).toBeGreaterThan(indexOf(requests('AssociatePackage', 'F222')[1]));
  expect(dissociateOld.time).toBeGreaterThanOrEqual(requests('AssociatePackage', 'F222')[1].time + ASSOCIATION_MS);

  const synonyms = logicalIdOf('F111');
  const update = events.find((event) => event.RequestType === 'Update' && event.LogicalResourceId === synonyms);
  expect(update).toMatchObject({ PhysicalResourceId: `${ONE}/F111`, ResourceProperties: { PackageID: 'F333' }, OldResourceProperties: { PackageID: 'F111' } });
  expect(player.physicalIds.get(synonyms)).toBe(`${ONE}/F333`);
  expect(progress.filter((e) => e.logicalId === synonyms).map((e) => e.status))
    .toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
});

test('delete: reverse dependency order on each domain, everything dissociated', async () => {
  await player.deploy(synthesized(V1));

  const outcome = await player.destroy();

  expect(outcome).toMatchObject({ status: 'DELETE_COMPLETE', failures: [] });
  expect(state(ONE)).toEqual([]);
  expect(state(TWO)).toEqual([]);
  expect(requests('DissociatePackage', undefined, ONE).map((r) => r.packageId)).toEqual(['pkg-a2', 'pkg-a1', 'F111']);
  expect(events.filter((e) => e.RequestType === 'Delete').every((e) => e.PhysicalResourceId === `${e.ResourceProperties.DomainName}/${e.ResourceProperties.PackageID}`)).toBe(true);
  expect(player.physicalIds.size).toBe(0);
});

test('failed create: nothing new starts, in-flight resources finish, then everything created is deleted', async () => {
  emulator.failNextAssociation(ONE, 'pkg-a1', 'PluginValidationFailed', 'the plugin zip is invalid');

  const outcome = await player.deploy(synthesized(V1));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{ logicalId: logicalIdOf('pkg-a1'), reason: expect.stringMatching(/^ASSOCIATION_FAILED: .*PluginValidationFailed.*domain search-one, package pkg-a1/) }]);
  // The license (after the plugin) never started; the failed plugin is deleted like the rest.
  expect(requests('AssociatePackage', 'pkg-a2')).toHaveLength(0);
  expect(requests('DissociatePackage', undefined, ONE).map((r) => r.packageId)).toEqual(['pkg-a1', 'F111']);
  expect(requests('DissociatePackage', 'F222')).toHaveLength(1);
  expect(state(ONE)).toEqual([]);
  expect(state(TWO)).toEqual([]);
  expect(progress.filter((e) => e.logicalId === 'Lifecycle').map((e) => e.status)).toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
});

test('failed update: updated resources are updated back, the replacement is deleted, the old pair is never touched', async () => {
  await player.deploy(synthesized(V1));
  emulator.publishVersion('F222', 'v2');
  emulator.failNextAssociation(TWO, 'F222', 'AssociationFailed', 'version v2 is broken');
  const before = emulator.requests.length;

  const outcome = await player.deploy(synthesized(V2));

  expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{ logicalId: logicalIdOf('F222'), reason: expect.stringContaining('version v2 is broken') }]);
  expect(requests('DissociatePackage', 'F111')).toHaveLength(0);
  // Synonyms was replaced (F333) before the failure: the rollback Update returns the old id, then F333 is deleted.
  const synonyms = logicalIdOf('F111');
  const rollback = events.filter((e) => e.RequestType === 'Update' && e.LogicalResourceId === synonyms)[1];
  expect(rollback).toMatchObject({ PhysicalResourceId: `${ONE}/F333`, ResourceProperties: { PackageID: 'F111' }, OldResourceProperties: { PackageID: 'F333' } });
  const [dissociateNew] = requests('DissociatePackage', 'F333');
  expect(indexOf(dissociateNew)).toBeGreaterThan(indexOf(requests('AssociatePackage', 'F111')[1]));
  expect(player.physicalIds.get(synonyms)).toBe(`${ONE}/F111`);
  expect(state(ONE)).toEqual(['F111:ACTIVE:v1', 'pkg-a1:ACTIVE:v1', 'pkg-a2:ACTIVE:v1']);
  // Stopwords is updated back to the old properties: associated again, ACTIVE.
  expect(emulator.associations(TWO)).toMatchObject([{ packageId: 'F222', status: 'ACTIVE' }]);
  expect(emulator.requests.slice(before).filter((r) => r.packageId?.startsWith('pkg-'))).toHaveLength(0);
});

describe('what the stack still wants is never removed', () => {
  const dissociated = (packageId: string) => requests('DissociatePackage', packageId).map((r) => r.domain);

  test('rename: the new logical id adopts the pair, the old one\'s Delete in cleanup keeps it', async () => {
    await player.deploy(synthesized(V1));

    const outcome = await player.deploy(synthesized(RENAMED));

    expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(state(ONE)).toEqual(['F111:ACTIVE:v1', 'pkg-a1:ACTIVE:v1', 'pkg-a2:ACTIVE:v1']);
    expect(dissociated('F111')).toEqual([]);
    const renamed = [...player.physicalIds].find(([logicalId]) => logicalId.startsWith('Dictionary'));
    expect(renamed?.[1]).toBe(`${ONE}/F111/adopted`);
    expect(progress.filter((e) => e.logicalId.startsWith('Synonyms')).map((e) => e.status).slice(-2)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(cloudFormation.count('ListStackResources')).toBeGreaterThan(0);

    // Once renamed, the stack owns the pair: destroying it dissociates it.
    await player.destroy();
    expect(dissociated('F111')).toEqual([ONE]);
    expect(state(ONE)).toEqual([]);
  });

  test('a domain\'s last association removed: dissociated in cleanup', async () => {
    await player.deploy(synthesized(V1));

    const outcome = await player.deploy(synthesized(TWO_EMPTIED));

    expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(dissociated('F222')).toEqual([TWO]);
    expect(state(TWO)).toEqual([]);
    expect(state(ONE)).toEqual(['F111:ACTIVE:v1', 'pkg-a1:ACTIVE:v1', 'pkg-a2:ACTIVE:v1']);
  });

  test('an association moved to another domain: the new pair first, the old pair dissociated in cleanup', async () => {
    await player.deploy(synthesized(V1));

    const outcome = await player.deploy(synthesized(MOVED));

    expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(state(ONE)).toContain('F222:ACTIVE:v1');
    expect(state(TWO)).toEqual([]);
    const [moved] = requests('AssociatePackage', 'F222', ONE);
    const [old] = requests('DissociatePackage', 'F222', TWO);
    expect(indexOf(old)).toBeGreaterThan(indexOf(moved));
  });

  test('adoption followed by a rollback: the adopted association stays, what the stack created is removed', async () => {
    emulator.seedAssociation(ONE, 'F111');
    emulator.failNextAssociation(ONE, 'pkg-a1', 'PluginValidationFailed', 'the plugin zip is invalid');

    const outcome = await player.deploy(synthesized(V1));

    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(dissociated('F111')).toEqual([]);
    expect(state(ONE)).toEqual(['F111:ACTIVE:v1']);
    expect(state(TWO)).toEqual([]);
    expect(cloudFormation.count('DescribeStacks')).toBeGreaterThan(0);
  });

  test('an adopted association is dissociated by a later, ordinary removal', async () => {
    emulator.seedAssociation(TWO, 'F222');
    await player.deploy(synthesized(V1));
    expect(player.physicalIds.get(logicalIdOf('F222'))).toBe(`${TWO}/F222/adopted`);

    const outcome = await player.deploy(synthesized(TWO_EMPTIED));

    expect(outcome.status).toBe('UPDATE_COMPLETE');
    expect(dissociated('F222')).toEqual([TWO]);
    expect(state(TWO)).toEqual([]);
  });
});
