/**
 * A DomainPackages in a whole stack's lifecycle, played in CloudFormation's order and phases by
 * the local player, next to a single association on the same domain (one ordering chain): the
 * blue/green deployments per domain, an update that adds and removes packages in one deploy, a
 * failed package inside a batch with a clean rollback, a rename, and the stack's delete.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { pointSdkAt } from './handler-harness';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { EmulatedPackage, PackagesApiEmulator } from '../../emulator/packages-api-emulator';
import * as handler from '../../lambda';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage } from '../../lib';
import { CloudFormationPlayer, ProgressEvent } from '../../local/cloudformation-player';

jest.setTimeout(20_000);

const DOMAIN = 'search-one';
const PACKAGES: EmulatedPackage[] = [
  { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' },
  { id: 'pkg-a1', name: 'plugin', type: 'ZIP-PLUGIN' },
  { id: 'pkg-a2', name: 'plugin-license', type: 'PACKAGE-LICENSE' },
  { id: 'pkg-a3', name: 'plugin-config', type: 'PACKAGE-CONFIG' },
  { id: 'pkg-b1', name: 'plugin-b', type: 'ZIP-PLUGIN' },
  { id: 'pkg-c1', name: 'plugin-c', type: 'ZIP-PLUGIN' },
];
const BLUE_GREEN_MS = 300;
const QUERY_INTERVAL_MS = 30;

interface StackVersion {
  /** Packages of the set besides the plugin and its license. */
  readonly extra: readonly string[];
  /** The set's construct id. @default 'SearchPackages' */
  readonly setId?: string;
}
const V1: StackVersion = { extra: ['pkg-a3', 'pkg-b1'] };
/** The configuration and plugin b removed, plugin c added: one deploy. */
const CHANGED: StackVersion = { extra: ['pkg-c1'] };
const RENAMED: StackVersion = { ...V1, setId: 'PluginSet' };

/** The set (plugin, license needing it, extras) and a single dictionary association on the same domain. */
function template(version: StackVersion): unknown {
  const stack = new Stack(new App(), 'Sets');
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`,
    domainEndpoint: `https://search-${DOMAIN}-abc.us-east-1.es.amazonaws.com`,
  });
  new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F111' });
  const set = new DomainPackages(stack, version.setId ?? 'SearchPackages', { domain });
  const plugin = OpenSearchPackage.fromPackageId(stack, 'Plugin', 'pkg-a1');
  set.addPackage(plugin);
  set.addPackage(OpenSearchPackage.fromPackageId(stack, 'License', 'pkg-a2'), { prerequisites: [plugin] });
  version.extra.forEach((id) => set.addPackage(OpenSearchPackage.fromPackageId(stack, id, id), id === 'pkg-a3' ? { prerequisites: [plugin] } : {}));
  return Template.fromStack(stack).toJSON();
}

const TEMPLATES = new Map<StackVersion, unknown>();
beforeAll(() => {
  [V1, CHANGED, RENAMED].forEach((version) => TEMPLATES.set(version, template(version)));
}, 30_000);
const synthesized = (version: StackVersion) => TEMPLATES.get(version)!;

let emulator: PackagesApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let player: CloudFormationPlayer;
let progress: ProgressEvent[];

beforeEach(async () => {
  emulator = await PackagesApiEmulator.start({
    domains: [DOMAIN], packages: PACKAGES, associationMs: 90, dissociationMs: 60, blueGreenMs: BLUE_GREEN_MS,
  });
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [player.stackView()] });
  pointSdkAt(emulator, cloudFormation);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  progress = [];
  player = new CloudFormationPlayer({
    handlers: handler, queryIntervalMs: QUERY_INTERVAL_MS, totalTimeoutMs: 10_000, stackName: 'Sets', onProgress: (event) => progress.push(event),
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all([emulator.close(), cloudFormation.close()]);
});

const state = () => emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`);
const blueGreens = () => emulator.blueGreenDeployments(DOMAIN).map((bg) => `${bg.kind} ${[...bg.packageIds].sort().join(',')}`);
const writes = () => emulator.requests
  .filter((r) => ['AssociatePackage', 'DissociatePackage', 'AssociatePackages', 'DissociatePackages'].includes(r.operation))
  .map((r) => `${r.operation} ${r.packageId ?? [...r.packageIds ?? []].sort().join(',')}`);
const setLogicalId = (version: StackVersion) => Object.entries((synthesized(version) as any).Resources)
  .find(([, r]: [string, any]) => r.Type === 'Custom::OpenSearchDomainPackages')![0];

test('create: the set in one AssociatePackages and one blue/green, after the dictionary (one chain per domain)', async () => {
  const outcome = await player.deploy(synthesized(V1));

  expect(outcome).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
  expect(writes()).toEqual(['AssociatePackage F111', 'AssociatePackages pkg-a1,pkg-a2,pkg-a3,pkg-b1']);
  expect(blueGreens()).toEqual(['association pkg-a1,pkg-a2,pkg-a3,pkg-b1']);
  expect(state()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE']);
  expect(player.physicalIds.get(setLogicalId(V1))).toBe(`${DOMAIN}/packages/pkg-a1+pkg-a2+pkg-a3+pkg-b1`);
  const [set] = emulator.requests.filter((r) => r.operation === 'AssociatePackages');
  expect(set.body).toEqual({
    DomainName: DOMAIN,
    PackageList: [
      { PackageID: 'pkg-a1' }, { PackageID: 'pkg-a2', PrerequisitePackageIDList: ['pkg-a1'] },
      { PackageID: 'pkg-a3', PrerequisitePackageIDList: ['pkg-a1'] }, { PackageID: 'pkg-b1' },
    ],
  });
});

test('an update that adds and removes packages: one AssociatePackages in the update phase; the cleanup Delete of the old id removes what left, in one DissociatePackages', async () => {
  await player.deploy(synthesized(V1));

  const outcome = await player.deploy(synthesized(CHANGED));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(writes().slice(2)).toEqual(['AssociatePackages pkg-c1', 'DissociatePackages pkg-a3,pkg-b1']);
  expect(blueGreens().slice(1)).toEqual(['association pkg-c1', 'dissociation pkg-a3,pkg-b1']);
  expect(state()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-c1:ACTIVE']);
  expect(player.physicalIds.get(setLogicalId(CHANGED))).toBe(`${DOMAIN}/packages/pkg-a1+pkg-a2+pkg-c1`);
  // The new physical id made CloudFormation delete the old one in cleanup, after the update phase.
  const setEvents = progress.filter((e) => e.logicalId === setLogicalId(V1)).map((e) => e.status);
  expect(setEvents.slice(-2)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
  const cleanupAt = progress.findIndex((e) => e.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  expect(progress.findIndex((e) => e.logicalId === setLogicalId(V1) && e.status === 'DELETE_IN_PROGRESS')).toBeGreaterThan(cleanupAt);
});

test('a failed package inside the batch: the update rolls back cleanly, the domain ends as before', async () => {
  await player.deploy(synthesized(V1));
  emulator.failNextAssociation(DOMAIN, 'pkg-c1', 'PluginValidationFailed', 'plugin c does not load');

  const outcome = await player.deploy(synthesized(CHANGED));

  expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{
    logicalId: setLogicalId(V1),
    reason: expect.stringMatching(/^ASSOCIATION_FAILED: pkg-c1 ASSOCIATION_FAILED: PluginValidationFailed: plugin c does not load \(domain search-one, packages pkg-c1\)/),
  }]);
  // The update only added c1, which failed: a3 and b1 were never removed, and the rollback's Delete of the failed id withdraws c1.
  expect(writes().slice(2)).toEqual(['AssociatePackages pkg-c1', 'DissociatePackages pkg-c1']);
  expect(state()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE']);
  expect(player.physicalIds.get(setLogicalId(V1))).toBe(`${DOMAIN}/packages/pkg-a1+pkg-a2+pkg-a3+pkg-b1`);
});

test('a failed package inside the batch of a create: the rollback dissociates everything the stack associated', async () => {
  emulator.failNextAssociation(DOMAIN, 'pkg-a2', 'LicenseInvalid', 'the license is expired');

  const outcome = await player.deploy(synthesized(V1));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(writes()).toEqual(['AssociatePackage F111', 'AssociatePackages pkg-a1,pkg-a2,pkg-a3,pkg-b1', 'DissociatePackages pkg-a1,pkg-a2,pkg-a3,pkg-b1', 'DissociatePackage F111']);
  expect(state()).toEqual([]);
});

test('rename: the new set adopts every package without a write, the old one\'s Delete keeps them', async () => {
  await player.deploy(synthesized(V1));

  const outcome = await player.deploy(synthesized(RENAMED));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(writes()).toHaveLength(2);
  expect(player.physicalIds.get(setLogicalId(RENAMED))).toBe(`${DOMAIN}/packages/pkg-a1*+pkg-a2*+pkg-a3*+pkg-b1*`);
  expect(state()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE']);
});

test('delete: one DissociatePackages for the set (one blue/green), then the dictionary, in reverse chain order', async () => {
  await player.deploy(synthesized(V1));

  const outcome = await player.destroy();

  expect(outcome).toMatchObject({ status: 'DELETE_COMPLETE', failures: [] });
  expect(writes().slice(2)).toEqual(['DissociatePackages pkg-a1,pkg-a2,pkg-a3,pkg-b1', 'DissociatePackage F111']);
  expect(blueGreens()).toHaveLength(2);
  expect(state()).toEqual([]);
});
