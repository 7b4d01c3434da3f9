/**
 * One whole-stack regression test for each way a domain used to end up with something other than
 * what the last successful template declares, played by the local CloudFormation player (every
 * undocumented rollback variant where a rollback is involved) with the real constructs, the
 * handler and the emulators:
 * 1. a package moved out of a DomainPackages is never dissociated on the way;
 * 2. a failed update takes back what it added (set and single association);
 * 3. a set update that changes one configuration and adds a package does not wait for its timeout;
 * 4. a replaced OpenSearchPackage rolls back;
 * 5. a write refused twice while nothing is in flight (a race) does not fail the deploy;
 * 6. an Update that arrives while its entry is DISSOCIATING associates it again.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { pointSdkAt } from './handler-harness';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { EmulatedPackage, EmulatorOptions, PackagesApiEmulator } from '../../emulator/packages-api-emulator';
import * as handler from '../../lambda';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { CloudFormationPlayer } from '../../local/cloudformation-player';
import { REPLACEMENT_ROLLBACKS, ReplacementRollback } from '../../local/stack-operation-phases';

jest.setTimeout(30_000);

const ONE = 'search-one';
const STACK = 'Regressions';
const PACKAGES: EmulatedPackage[] = [
  { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' },
  { id: 'F222', name: 'stopwords', type: 'TXT-DICTIONARY' },
  { id: 'F999', name: 'broken', type: 'TXT-DICTIONARY' },
  { id: 'pkg-a1', name: 'plugin', type: 'ZIP-PLUGIN' },
  { id: 'pkg-a2', name: 'plugin-license', type: 'PACKAGE-LICENSE' },
  { id: 'pkg-b1', name: 'plugin-b', type: 'ZIP-PLUGIN' },
];
const QUERY_INTERVAL_MS = 20;

let emulator: PackagesApiEmulator;
let cloudFormation: CloudFormationApiEmulator;

async function start(options: Partial<EmulatorOptions> = {}): Promise<void> {
  emulator = await PackagesApiEmulator.start({
    domains: [ONE], packages: PACKAGES, associationMs: 80, dissociationMs: 60, blueGreenMs: 150, ...options,
  });
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => (player ? [player.stackView()] : []) });
  pointSdkAt(emulator, cloudFormation);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
}

let player: CloudFormationPlayer | undefined;
function newPlayer(replacementRollback: ReplacementRollback = 'update-current', timeoutScale?: number): CloudFormationPlayer {
  player = new CloudFormationPlayer({
    handlers: handler, queryIntervalMs: QUERY_INTERVAL_MS, totalTimeoutMs: 20_000, stackName: STACK, replacementRollback, timeoutScale,
  });
  return player;
}

afterEach(async () => {
  jest.restoreAllMocks();
  player = undefined;
  await Promise.all([emulator?.close(), cloudFormation?.close()]);
});

/** A stack with domain search-one, built by `build`. */
function synth(build: (stack: Stack, domain: opensearch.IDomain) => void): unknown {
  const stack = new Stack(new App(), STACK);
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${ONE}`,
    domainEndpoint: `https://search-${ONE}-abc.us-east-1.es.amazonaws.com`,
  });
  build(stack, domain);
  return Template.fromStack(stack).toJSON();
}

const imported = (stack: Stack, id: string) => OpenSearchPackage.fromPackageId(stack, id, id);
const state = () => emulator.associations(ONE).map((a) => `${a.packageId}:${a.status}`);
/** Every write that removed `packageId` (single or batch, accepted or not). */
const removalsOf = (packageId: string) => emulator.requests.filter((r) => (r.operation === 'DissociatePackage' && r.packageId === packageId)
  || (r.operation === 'DissociatePackages' && (r.packageIds ?? []).includes(packageId)));

describe('1. a package moved out of a DomainPackages is never dissociated on the way', () => {
  const before = synth((stack, domain) => {
    const set = new DomainPackages(stack, 'Packages', { domain });
    set.addPackage(imported(stack, 'pkg-a1'));
    set.addPackage(imported(stack, 'F111'));
  });
  const afterSingle = synth((stack, domain) => {
    new DomainPackages(stack, 'Packages', { domain }).addPackage(imported(stack, 'pkg-a1'));
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F111' }); // later in the domain's chain
  });
  const afterOtherSet = synth((stack, domain) => {
    new DomainPackages(stack, 'Packages', { domain }).addPackage(imported(stack, 'pkg-a1'));
    new DomainPackages(stack, 'Dictionaries', { domain }).addPackage(imported(stack, 'F111'));
  });

  test.each([
    ['a single association later in the chain', afterSingle],
    ['another set (a split)', afterOtherSet],
  ])('to %s, while an index uses the dictionary: UPDATE_COMPLETE, no removal of it ever sent, then a merge back the same way', async (_to, after) => {
    await start();
    const deployer = newPlayer();
    expect((await deployer.deploy(before)).status).toBe('CREATE_COMPLETE');
    emulator.markInUse(ONE, 'F111', true, { answer: 'conflict' });

    expect(await deployer.deploy(after)).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(await deployer.deploy(before)).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });

    expect(removalsOf('F111')).toEqual([]);
    expect(state()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE']);
    expect(emulator.blueGreens(ONE)).toBe(1); // the create's: the plugin never moved
  });
});

describe('2. a failed update takes back what it added', () => {
  /** A set with pkg-a1, plus `added`; a dictionary that fails to associate after it (the failure elsewhere). */
  const withSet = (added: string[], failing: boolean, timeout?: Duration) => synth((stack, domain) => {
    const set = new DomainPackages(stack, 'Packages', { domain, timeout });
    ['pkg-a1', ...added].forEach((id) => set.addPackage(imported(stack, id)));
    if (failing) {
      new DomainPackageAssociation(stack, 'Broken', { domain, packageId: 'F999' });
    }
  });

  test.each(REPLACEMENT_ROLLBACKS)('a set that added a plugin, the deploy failing after it (%s): the plugin is withdrawn, nothing stays in flight', async (model) => {
    await start();
    const deployer = newPlayer(model);
    await deployer.deploy(withSet([], false));
    emulator.failNextAssociation(ONE, 'F999', 'DictionaryInvalid', 'bad line 3');

    const outcome = await deployer.deploy(withSet(['pkg-b1'], true));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(state()).toEqual(['pkg-a1:ACTIVE']);
    expect(emulator.blueGreenDeployments(ONE).map((bg) => `${bg.kind} ${bg.packageIds.join(',')}`))
      .toEqual(['association pkg-a1', 'association pkg-b1', 'dissociation pkg-b1']);
  });

  test.each(REPLACEMENT_ROLLBACKS)('a set whose added dictionary is still ASSOCIATING at its timeout (%s): the rollback waits for it, then withdraws it', async (model) => {
    await start({ associationMs: 2_500, dissociationMs: 100 });
    const deployer = newPlayer(model, 1 / 30); // the one-minute timeout becomes 2 s
    await deployer.deploy(withSet([], false, Duration.minutes(1)));

    const outcome = await deployer.deploy(withSet(['F222'], false, Duration.minutes(1)));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(outcome.failures[0].reason).toMatch(/^Timeout: still waiting for F222 ASSOCIATING after 2 seconds/);
    expect(state()).toEqual(['pkg-a1:ACTIVE']);
  });

  test.each(REPLACEMENT_ROLLBACKS)('a single association moved to another package that fails VersionNotApplied (%s): the new pair is withdrawn, the old one never left', async (model) => {
    await start();
    const deployer = newPlayer(model);
    const single = (packageId: string, packageVersion?: string) => synth((stack, domain) => {
      new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId, packageVersion });
    });
    await deployer.deploy(single('F111'));

    const outcome = await deployer.deploy(single('F222', 'v7'));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(outcome.failures[0].reason).toMatch(/^VersionNotApplied: the domain runs v1, expected v7/);
    expect(state()).toEqual(['F111:ACTIVE']);
    expect(removalsOf('F111')).toEqual([]);
  });
});

describe('3. a set update that changes one configuration and adds a package never waits for its timeout', () => {
  const version = (licensed: boolean, added: boolean) => synth((stack, domain) => {
    const set = new DomainPackages(stack, 'Packages', { domain, timeout: Duration.minutes(55) });
    const plugin = imported(stack, 'pkg-a1');
    set.addPackage(plugin);
    set.addPackage(imported(stack, 'pkg-a2'), { prerequisites: licensed ? [plugin] : [] });
    if (added) set.addPackage(imported(stack, 'pkg-b1'));
  });

  test.each(['exact', 'version'] as const)('the domain already shows the configuration (the service answering \'%s\'): only the addition is sent, UPDATE_COMPLETE', async (desiredState) => {
    await start({ desiredState });
    const deployer = newPlayer();
    await deployer.deploy(version(true, false));
    emulator.seedAssociation(ONE, 'pkg-a2'); // its prerequisite dropped outside the stack

    const outcome = await deployer.deploy(version(false, true));

    expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(emulator.blueGreenDeployments(ONE).map((bg) => `${bg.kind} ${bg.packageIds.join(',')}`)).toEqual(['association pkg-a1,pkg-a2', 'association pkg-b1']);
  });

  test('the configuration would change with the addition: refused at once (a rollback could not be relied on to undo it), nothing sent, the domain as before', async () => {
    await start({ desiredState: 'version' });
    const deployer = newPlayer();
    await deployer.deploy(version(true, false));
    const started = Date.now();

    const outcome = await deployer.deploy(version(false, true));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(outcome.failures[0].reason).toMatch(/^ConfigurationConflict: the configuration \(prerequisites, key-store access\) of pkg-a2 changes in the same update that adds or removes packages/);
    expect(Date.now() - started).toBeLessThan(10_000); // not the 55-minute timeout
    expect(emulator.blueGreens(ONE)).toBe(1); // the create's
    expect(state()).toEqual(['pkg-a1:ACTIVE', 'pkg-a2:ACTIVE']);
  });
});

describe('4. a replaced OpenSearchPackage rolls back', () => {
  /** A plugin package for `engineVersion` on the domain, and, when failing, a dictionary after it that fails. */
  const version = (engineVersion: opensearch.EngineVersion, failing: boolean) => synth((stack, domain) => {
    const plugin = new OpenSearchPackage(stack, 'Plugin', {
      packageType: PackageType.ZIP_PLUGIN, source: PackageSource.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'packages-bucket'), 'plugin.zip'), engineVersion,
    });
    const association = plugin.associateWith(domain);
    if (failing) {
      new DomainPackageAssociation(stack, 'Broken', { domain, packageId: 'F999', prerequisites: [association] });
    }
  });

  test.each(REPLACEMENT_ROLLBACKS)('an engine version change, the deploy failing after it (%s): UPDATE_ROLLBACK_COMPLETE, the old package kept and associated, the new one deleted', async (model) => {
    await start({ s3Objects: [{ bucket: 'packages-bucket', key: 'plugin.zip' }], copyMs: 30, validationMs: 30 });
    const deployer = newPlayer(model);
    await deployer.deploy(version(opensearch.EngineVersion.OPENSEARCH_2_17, false));
    const [old] = emulator.packages().filter((p) => p.type === 'ZIP-PLUGIN' && p.id.startsWith('pkg-') && !PACKAGES.some((k) => k.id === p.id));
    emulator.failNextAssociation(ONE, 'F999', 'DictionaryInvalid', 'bad line 3');

    const outcome = await deployer.deploy(version(opensearch.EngineVersion.OPENSEARCH_2_19, true));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const created = emulator.packages().filter((p) => !PACKAGES.some((k) => k.id === p.id));
    expect(created.map((p) => `${p.id}:${p.engineVersion}`)).toEqual([`${old.id}:OpenSearch_2.17`]);
    expect(state()).toEqual([`${old.id}:ACTIVE`]);
    expect(emulator.count('CreatePackage')).toBe(2); // the create's and the replacement's: never the old name again
  });
});

test('5. a write refused twice while nothing is in flight (another operation ended in between) does not fail the deploy', async () => {
  await start();
  const deployer = newPlayer();
  emulator.refuseNextAssociation(ONE, 'F111', 'Another package operation is in progress', 2);

  const outcome = await deployer.deploy(synth((stack, domain) => new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F111' })));

  expect(outcome).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
  expect(state()).toEqual(['F111:ACTIVE']);
}, 40_000);

test('6. an Update that arrives while its entry is DISSOCIATING waits for the dissociation, then associates again', async () => {
  await start({ dissociationMs: 500 });
  const deployer = newPlayer();
  const single = (timeout: Duration) => synth((stack, domain) => new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F111', timeout }));
  await deployer.deploy(single(Duration.minutes(10)));
  emulator.seedAssociation(ONE, 'F111', { status: 'DISSOCIATING' }); // someone else removes it

  const outcome = await deployer.deploy(single(Duration.minutes(20)));

  expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
  expect(state()).toEqual(['F111:ACTIVE']);
});
