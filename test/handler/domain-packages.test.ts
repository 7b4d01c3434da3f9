/**
 * DomainPackages over HTTP: a domain's whole set of packages in one AssociatePackages or
 * DissociatePackages call, reconciled from ListPackagesForDomain, with the blue/green
 * deployments the emulator counts per domain.
 */
import {
  beingDeleted, createEvent, deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, LICENSE, LOGICAL_ID, PLUGIN, play, playFailure,
  playRollback, QUERY_INTERVAL_MS, silenceAndCloseEachTest, STACK_ID, startHarness, updateEvent,
} from './handler-harness';
import type { StackResourceView } from '../../emulator/cloudformation-api-emulator';
import type { EmulatedPackage, EmulatorOptions } from '../../emulator/packages-api-emulator';
import { onEvent } from '../../lambda';
import { estimatedResponseBytes, RESPONSE_LIMIT_BYTES } from '../../lib/set-response-size';
import { REPLACEMENT_ROLLBACKS, ReplacementRollback } from '../../local/stack-operation-phases';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const TYPE = 'Custom::OpenSearchDomainPackages';
const CONFIG: EmulatedPackage = { id: 'pkg-a3', name: 'my-plugin-config', type: 'PACKAGE-CONFIG' };
const PLUGIN_B: EmulatedPackage = { id: 'pkg-b1', name: 'plugin-b', type: 'ZIP-PLUGIN' };
const PLUGIN_C: EmulatedPackage = { id: 'pkg-c1', name: 'plugin-c', type: 'ZIP-PLUGIN' };
const BLUE_GREEN_MS = 60_000;

async function start(options: Partial<EmulatorOptions> = {}): Promise<void> {
  harness = await startHarness({
    packages: [DICTIONARY, PLUGIN, LICENSE, CONFIG, PLUGIN_B, PLUGIN_C],
    blueGreenMs: BLUE_GREEN_MS,
    ...options,
  });
}

interface Entry {
  readonly PackageID: string;
  readonly PrerequisitePackageIDList?: string[];
  readonly PackageVersion?: string;
  readonly AssociationConfiguration?: unknown;
}

/** Plugin, license and configuration (both needing the plugin) and a dictionary. */
const PLUGIN_SET: Entry[] = [
  { PackageID: PLUGIN.id },
  { PackageID: LICENSE.id, PrerequisitePackageIDList: [PLUGIN.id] },
  { PackageID: CONFIG.id, PrerequisitePackageIDList: [PLUGIN.id] },
  { PackageID: DICTIONARY.id },
];
const KEYS = ['Plugin', 'License', 'Config', 'Synonyms'];

const keyOf = (entry: Entry) => KEYS[PLUGIN_SET.findIndex((p) => p.PackageID === entry.PackageID)] ?? entry.PackageID;

function setProps(entries: Entry[], keys: string[] = entries.map(keyOf), timeout = '3000') {
  return { ServiceToken: 'token', DomainName: DOMAIN, PackageList: entries, PackageKeys: keys, Timeout: timeout };
}
const SET_ID = `${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3`;

const listed = () => harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`).sort();
const calls = (operation: 'AssociatePackages' | 'DissociatePackages' | 'AssociatePackage' | 'DissociatePackage') => harness.emulator.count(operation);
const accepted = (operation: 'AssociatePackages' | 'DissociatePackages') =>
  harness.emulator.requests.filter((r) => r.operation === operation && r.status === 200).map((r) => [...r.packageIds ?? []].sort().join(','));
const writeRequests = () => harness.emulator.requests.filter((r) => /Associate|Dissociate/.test(r.operation)).length;

describe('create', () => {
  test('one AssociatePackages with every package, one blue/green, every package ACTIVE with its attributes', async () => {
    await start();
    const { complete, physicalId } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));

    expect(calls('AssociatePackages')).toBe(1);
    expect(calls('AssociatePackage')).toBe(0);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(1);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE']);
    expect(physicalId).toBe(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3`);
    expect(complete.Data).toEqual({
      'Plugin.ReferencePath': '',
      'Plugin.PackageVersion': 'v1',
      'License.ReferencePath': '',
      'License.PackageVersion': 'v1',
      'Config.ReferencePath': '',
      'Config.PackageVersion': 'v1',
      'Synonyms.ReferencePath': 'analyzers/F111',
      'Synonyms.PackageVersion': 'v1',
    });
  });

  test('a package already on the domain is adopted: not sent, marked in the physical id', async () => {
    await start();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { physicalId } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));

    expect(physicalId).toBe(`${DOMAIN}/packages/F111*+pkg-a1+pkg-a2+pkg-a3`);
    expect(calls('AssociatePackages')).toBe(1);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE']);
  });

  test('a package on the domain with another configuration is not taken over and changed at once: ConfigurationConflict, nothing sent', async () => {
    await start();
    harness.emulator.seedAssociation(DOMAIN, CONFIG.id); // associated by hand, without its plugin as prerequisite
    const failure = await failureOf(onEvent(createEvent(setProps(PLUGIN_SET), TYPE)));

    expect(failure.message).toMatch(new RegExp(`^ConfigurationConflict: ${CONFIG.id} is on the domain already, held by no resource this operation updates, `
      + `with prerequisites \\[\\] \\(asked: \\[${PLUGIN.id}\\]\\)`));
    expect(writeRequests()).toBe(0);
  });

  test('a failed package fails the resource with its ErrorDetails; the rollback Delete leaves the domain as it was', async () => {
    await start();
    harness.emulator.failNextAssociation(DOMAIN, LICENSE.id, 'PluginLicenseError', 'license does not match the plugin');
    const failure = await failureOf(play(harness, createEvent(setProps(PLUGIN_SET), TYPE)));

    expect(failure.message).toBe(`ASSOCIATION_FAILED: ${LICENSE.id} ASSOCIATION_FAILED: PluginLicenseError: license does not match the plugin `
      + `(domain ${DOMAIN}, packages ${LICENSE.id})`);
    harness.setStack({ status: 'ROLLBACK_IN_PROGRESS' });
    await play(harness, deleteEvent(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3`, {}, TYPE));
    expect(listed()).toEqual([]);
    expect(calls('DissociatePackages')).toBe(1);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(2);
  });
});

describe('update', () => {
  const ID = `${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3`;

  async function created(): Promise<void> {
    await start();
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
  }

  /** CloudFormation's cleanup phase: the Delete of the set's old physical id, while the stack lists its new one. */
  async function cleanup(oldId: string, newId: string): Promise<void> {
    harness.setStack({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [{ logicalId: LOGICAL_ID, type: TYPE, physicalId: newId, status: 'UPDATE_COMPLETE' }] });
    await play(harness, deleteEvent(oldId, {}, TYPE));
  }

  test('adding one plugin and removing another: the Update only adds (one AssociatePackages); the Delete of the old id in cleanup removes (one DissociatePackages)', async () => {
    await start();
    const before = [...PLUGIN_SET, { PackageID: PLUGIN_B.id }];
    await play(harness, createEvent(setProps(before), TYPE));
    const after = [...PLUGIN_SET, { PackageID: PLUGIN_C.id }];
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    const oldId = `${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3+pkg-b1`;
    const { physicalId, complete } = await play(harness, updateEvent(oldId, setProps(after), setProps(before), TYPE));

    expect(physicalId).toBe(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3+pkg-c1`);
    expect(calls('DissociatePackages')).toBe(0);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE', 'pkg-c1:ACTIVE']);
    expect(complete.Data?.['pkg-c1.PackageVersion']).toBe('v1');

    await cleanup(oldId, physicalId);
    expect(harness.emulator.blueGreenDeployments(DOMAIN).map((bg) => `${bg.kind} ${bg.packageIds.join(',')}`))
      .toEqual(['association pkg-a1,pkg-a2,pkg-a3,F111,pkg-b1', 'association pkg-c1', 'dissociation pkg-b1']);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-c1:ACTIVE']);
  });

  test('nothing the service sees changed: no write', async () => {
    await created();
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    const { physicalId } = await play(harness, updateEvent(ID, { ...setProps(PLUGIN_SET), Timeout: '600' }, setProps(PLUGIN_SET), TYPE));

    expect(physicalId).toBe(ID);
    expect(calls('AssociatePackages')).toBe(1);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(1);
  });

  test('the plugin replaced by another with its companions re-pointed in the same update: ConfigurationConflict before any write; in three deploys the companions never leave', async () => {
    await created();
    const repointed = (plugin: string): Entry[] => [
      { PackageID: LICENSE.id, PrerequisitePackageIDList: [plugin] },
      { PackageID: CONFIG.id, PrerequisitePackageIDList: [plugin] },
      { PackageID: DICTIONARY.id },
    ];
    const swapped = [{ PackageID: PLUGIN_B.id }, ...repointed(PLUGIN_B.id)];
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    const refused = await failureOf(play(harness, updateEvent(ID, setProps(swapped, KEYS), setProps(PLUGIN_SET), TYPE)));
    expect(refused.message).toMatch(/^ConfigurationConflict: the configuration \(prerequisites, key-store access\) of pkg-a2, pkg-a3 changes in the same update that adds or removes packages of the set/);
    expect(writeRequests()).toBe(1); // the create's

    // 1. add the new plugin; 2. point the companions at it (the set keeps its packages: an ordinary update); 3. remove the old plugin.
    const added = [{ PackageID: PLUGIN.id }, { PackageID: PLUGIN_B.id }, ...repointed(PLUGIN.id)];
    const step1 = await play(harness, updateEvent(ID, setProps(added), setProps(PLUGIN_SET), TYPE));
    await cleanup(ID, step1.physicalId);
    const moved = [{ PackageID: PLUGIN.id }, { PackageID: PLUGIN_B.id }, ...repointed(PLUGIN_B.id)];
    const step2 = await play(harness, updateEvent(step1.physicalId, setProps(moved), setProps(added), TYPE));
    expect(step2.physicalId).toBe(step1.physicalId);
    const step3 = await play(harness, updateEvent(step2.physicalId, setProps(swapped), setProps(moved), TYPE));
    await cleanup(step2.physicalId, step3.physicalId);

    expect(harness.emulator.blueGreenDeployments(DOMAIN).map((bg) => `${bg.kind} ${bg.packageIds.sort().join(',')}`))
      .toEqual(['association F111,pkg-a1,pkg-a2,pkg-a3', 'association pkg-b1', 'association pkg-a2,pkg-a3', 'dissociation pkg-a1']);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE']);
    expect(harness.emulator.associations(DOMAIN).find((a) => a.packageId === LICENSE.id)?.prerequisites).toEqual([PLUGIN_B.id]);
  });

  test.each([
    ['re-associates a package whose configuration changed', 'exact' as const],
    ['skips a package already ACTIVE whatever its configuration', 'version' as const],
  ])('one configuration changed, one package added, the service %s: the domain already shows the configuration, so only the new package is sent', async (_how, desiredState) => {
    await start({ desiredState });
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    // The configuration's new prerequisites are on the domain already (a rollback that could not take them back, a console change).
    harness.emulator.seedAssociation(DOMAIN, CONFIG.id, { prerequisites: [PLUGIN.id, LICENSE.id] });
    const after = [
      ...PLUGIN_SET.map((e) => (e.PackageID === CONFIG.id ? { ...e, PrerequisitePackageIDList: [PLUGIN.id, LICENSE.id] } : e)),
      { PackageID: PLUGIN_B.id },
    ];
    const { polls } = await play(harness, updateEvent(SET_ID, setProps(after), setProps(PLUGIN_SET), TYPE));

    expect(accepted('AssociatePackages')).toEqual(['F111,pkg-a1,pkg-a2,pkg-a3', 'pkg-b1']);
    expect(polls).toBeLessThan(10); // one blue/green, not the timeout
  });

  test('one configuration changed that the domain does not show yet, one package added: ConfigurationConflict at once, nothing sent (a rollback might not undo it)', async () => {
    await start({ desiredState: 'version' });
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    const after = [...PLUGIN_SET.map((e) => (e.PackageID === CONFIG.id ? { PackageID: CONFIG.id } : e)), { PackageID: PLUGIN_B.id }];
    const failure = await failureOf(play(harness, updateEvent(SET_ID, setProps(after), setProps(PLUGIN_SET), TYPE)));

    expect(failure.message).toMatch(new RegExp(`^ConfigurationConflict: the configuration \\(prerequisites, key-store access\\) of ${CONFIG.id} changes in the same update that adds or removes packages of the set`));
    expect(failure.message).toMatch(/Change the configuration in a deploy of its own, before or after the one that adds or removes packages \(domain search-one, packages pkg-a3\)$/);
    expect(accepted('AssociatePackages')).toEqual(['F111,pkg-a1,pkg-a2,pkg-a3']);
  });

  const FAILURES = [['its timeout while the new plugin is still ASSOCIATING', 'timeout'], ['VersionNotApplied', 'version']];
  test.each(REPLACEMENT_ROLLBACKS.flatMap((model) => FAILURES.map(([how, failure]) => [how, model, failure])))(
    'a failed update (%s) takes nothing back itself; the rollback (%s) restores the old id and the Delete of the failed id withdraws the added plugin', async (_how, model, failure) => {
      await start({ desiredState: 'version' });
      await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
      const after = setProps([...PLUGIN_SET, { PackageID: PLUGIN_B.id, ...(failure === 'version' && { PackageVersion: 'v9' }) }], undefined, failure === 'timeout' ? '30' : '3000');
      const failed = await playFailure(harness, updateEvent(SET_ID, after, setProps(PLUGIN_SET), TYPE));
      expect(failed.error.message).toMatch({
        timeout: /^Timeout: still waiting for pkg-b1 ASSOCIATING after 30 seconds/,
        version: /^VersionNotApplied: pkg-b1 runs v1, expected v9/,
      }[failure]!);
      expect(failed.physicalId).toBe(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3+pkg-b1`);
      expect(calls('DissociatePackages')).toBe(0);

      const restored = await playRollback(harness, {
        previous: { physicalId: SET_ID, properties: setProps(PLUGIN_SET) },
        current: { physicalId: failed.physicalId, properties: after },
        attempted: after,
      }, model as ReplacementRollback, TYPE);

      expect(restored).toBe(SET_ID);
      expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE']);
      expect(accepted('DissociatePackages')).toEqual(['pkg-b1']);
    });
});

describe('delete', () => {
  test('one DissociatePackages with every package, waits until all are gone', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    const { polls } = await play(harness, deleteEvent(physicalId, {}, TYPE));

    expect(calls('DissociatePackages')).toBe(1);
    expect(listed()).toEqual([]);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(2);
    expect(polls).toBeGreaterThanOrEqual(BLUE_GREEN_MS / QUERY_INTERVAL_MS);
  });

  test('a physical id this handler did not issue (a create interrupted before it answered): no request at all', async () => {
    await start();
    const { complete } = await play(harness, deleteEvent('Sets-SearchPackages-1A2B3C4D5E6F', {}, TYPE));

    expect(complete.IsComplete).toBe(true);
    expect(harness.emulator.requests).toHaveLength(0);
    expect(harness.cloudFormation.count('ListStackResources')).toBe(0);
  });

  test('packages already gone are not sent; none left means no call', async () => {
    await start();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    await play(harness, deleteEvent(`${DOMAIN}/packages/F111+pkg-a1`, {}, TYPE));
    expect(harness.emulator.requests.filter((r) => r.operation === 'DissociatePackages').map((r) => r.packageIds)).toEqual([[DICTIONARY.id]]);
    expect(listed()).toEqual([]);

    await play(harness, deleteEvent(`${DOMAIN}/packages/F111+pkg-a1`, {}, TYPE));
    expect(calls('DissociatePackages')).toBe(1);
  });
});

describe('waiting and verification', () => {
  test('a domain busy with another operation: the set waits, then one accepted AssociatePackages', async () => {
    await start();
    harness.emulator.startForeignOperation(DOMAIN, 'pkg-other', 45_000);
    const { polls } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));

    expect(accepted('AssociatePackages')).toEqual(['F111,pkg-a1,pkg-a2,pkg-a3']);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(1);
    expect(polls).toBeGreaterThan(45_000 / QUERY_INTERVAL_MS);
  });

  test('a conflict that persists with nothing in flight and an unchanged domain fails after the spaced attempts, naming the packages', async () => {
    await start();
    harness.emulator.refuseNextAssociation(DOMAIN, PLUGIN.id, 'Package pkg-a1 is in use', 6);
    const failure = await failureOf(play(harness, createEvent(setProps(PLUGIN_SET), TYPE)));

    expect(failure.message).toBe('ConflictException: Package pkg-a1 is in use (refused 6 times in 15 seconds while nothing was in flight on the domain '
      + 'and nothing on it changed, so waiting would not help; the package or the domain refuses the change; check them in the console, then deploy again) '
      + `(domain ${DOMAIN}, packages pkg-a1, pkg-a2, pkg-a3, F111)`);
    expect(calls('AssociatePackages')).toBe(6);
  }, 30_000);

  test('busy past the timeout: the Timeout failure, and no write after it', async () => {
    await start();
    harness.emulator.startForeignOperation(DOMAIN, 'pkg-other', 300_000);
    const failure = await failureOf(play(harness, createEvent(setProps(PLUGIN_SET, undefined, '60'), TYPE), 60));

    expect(failure.message).toBe(`Timeout: domain ${DOMAIN} still busy after 1 minute (in flight: domain Modifying) `
      + `(domain ${DOMAIN}, packages pkg-a1, pkg-a2, pkg-a3, F111)`);
    expect(harness.emulator.count('AssociatePackages')).toBe(0); // every attempt read the domain busy first
    expect(harness.emulator.count('DescribeDomain')).toBeGreaterThan(1);
  });

  test('new entries missing from the list for a while: the set waits for them and never sends its call again', async () => {
    await start({ listLagMs: 35_000 });
    const { complete } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));

    expect(calls('AssociatePackages')).toBe(1);
    expect(complete.Data?.['Synonyms.ReferencePath']).toBe('analyzers/F111');
  });

  test('a new version of one package: only that package is associated again, and the set waits past a stale list', async () => {
    await start({ staleListMs: 25_000 });
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    harness.emulator.publishVersion(PLUGIN.id, 'v2');
    const moved = PLUGIN_SET.map((e) => (e.PackageID === PLUGIN.id ? { ...e, PackageVersion: 'v2' } : e));
    const { complete, physicalId } = await play(harness, updateEvent(SET_ID, setProps(moved), setProps(PLUGIN_SET), TYPE));

    expect(physicalId).toBe(SET_ID);
    expect(accepted('AssociatePackages')).toEqual(['F111,pkg-a1,pkg-a2,pkg-a3', 'pkg-a1']);
    expect(complete.Data?.['Plugin.PackageVersion']).toBe('v2');
    // PackageVersion is the library's: the service never sees it.
    const sent = harness.emulator.requests.filter((r) => r.operation === 'AssociatePackages').pop();
    expect(sent?.body).toEqual({ DomainName: DOMAIN, PackageList: [{ PackageID: PLUGIN.id }] });
  });

  test('a version the service does not move to: VersionNotApplied, naming the package and both versions', async () => {
    await start();
    const wanted = PLUGIN_SET.map((e) => (e.PackageID === PLUGIN.id ? { ...e, PackageVersion: 'v3' } : e));
    const failure = await failureOf(play(harness, createEvent(setProps(wanted), TYPE)));

    expect(failure.message).toBe(`VersionNotApplied: pkg-a1 runs v1, expected v3 (domain ${DOMAIN}, packages pkg-a1, pkg-a2, pkg-a3, F111)`);
    expect(calls('AssociatePackages')).toBe(1);
  });

  test('"already in desired state" for a changed configuration the domain did not take: ConfigurationNotApplied', async () => {
    await start({ desiredState: 'version' });
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    const unchained = PLUGIN_SET.map((e) => (e.PackageID === CONFIG.id ? { PackageID: CONFIG.id } : e));
    const failure = await failureOf(play(harness, updateEvent(SET_ID, setProps(unchained), setProps(PLUGIN_SET), TYPE)));

    expect(failure.message).toBe(`ConfigurationNotApplied: ${CONFIG.id} kept prerequisites [${PLUGIN.id}] (asked: []); dissociate and associate again `
      + `to change it (domain ${DOMAIN}, packages pkg-a1, pkg-a2, pkg-a3, F111)`);
    expect(accepted('AssociatePackages')).toHaveLength(1);
  });
});

describe('invalid properties fail before any request', () => {
  const many = Array.from({ length: 21 }, (_, i) => ({ PackageID: `F${1000 + i}` }));
  test.each([
    ['a prerequisite outside the set', [{ PackageID: LICENSE.id, PrerequisitePackageIDList: [PLUGIN.id] }], undefined,
      `InvalidProperty: PrerequisitePackageIDList: '${PLUGIN.id}' (a prerequisite of '${LICENSE.id}') is not a package of the set (domain ${DOMAIN})`],
    ['a package twice', [{ PackageID: PLUGIN.id }, { PackageID: PLUGIN.id }], undefined, `InvalidProperty: PackageList: '${PLUGIN.id}' is listed twice (domain ${DOMAIN})`],
    ['more than the domain holds', many, undefined, `InvalidProperty: PackageList: 21 packages: a domain holds at most 20 (domain ${DOMAIN})`],
    ['an empty list', [], undefined, expect.stringMatching(/^InvalidProperty: PackageList: \[\] must be a non-empty list/)],
    ['an invalid id', [{ PackageID: 'pkg_1' }], undefined, expect.stringMatching(/^InvalidProperty: PackageID: 'pkg_1' must match/)],
    ['keys of another length', [{ PackageID: PLUGIN.id }], ['a', 'b'], `InvalidProperty: PackageKeys: ["a","b"] must be 1 non-empty strings, one per package (domain ${DOMAIN})`],
  ])('%s', async (_what, entries, keys, message) => {
    await start();
    const failure = await failureOf(play(harness, createEvent({ ...setProps(entries as Entry[]), PackageKeys: keys }, TYPE)));
    expect(failure.message).toEqual(message);
    expect(harness.emulator.requests).toHaveLength(0);
  });
});

describe('what the stack still wants is never removed', () => {
  const holder = (physicalId: string): StackResourceView => ({ logicalId: 'Other', type: 'Custom::OpenSearchPackageAssociation', physicalId, status: 'CREATE_COMPLETE' });

  test('a package another resource of the stack holds stays; the rest goes in one call', async () => {
    await start();
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    harness.setStack({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [{ ...beingDeleted(SET_ID), type: TYPE }, holder(`${DOMAIN}/F111`)] });
    await play(harness, deleteEvent(SET_ID, {}, TYPE));

    expect(accepted('DissociatePackages')).toEqual(['pkg-a1,pkg-a2,pkg-a3']);
    expect(listed()).toEqual(['F111:ACTIVE']);
  });

  test('the same logical id under its new physical id (an update\'s cleanup) holds what it still names', async () => {
    await start();
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    const newId = `${DOMAIN}/packages/F111+pkg-a1+pkg-a2`;
    harness.setStack({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [{ logicalId: LOGICAL_ID, type: TYPE, physicalId: newId, status: 'UPDATE_COMPLETE' }] });
    await play(harness, deleteEvent(SET_ID, {}, TYPE));

    expect(accepted('DissociatePackages')).toEqual(['pkg-a3']);
  });

  test('an update never removes a package another resource of the stack took over', async () => {
    await start();
    await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    harness.setStack({ status: 'UPDATE_IN_PROGRESS', resources: [holder(`${DOMAIN}/F111/adopted`)] });
    const without = PLUGIN_SET.filter((e) => e.PackageID !== DICTIONARY.id);
    const { physicalId } = await play(harness, updateEvent(SET_ID, setProps(without), setProps(PLUGIN_SET), TYPE));

    expect(physicalId).toBe(`${DOMAIN}/packages/pkg-a1+pkg-a2+pkg-a3`);
    expect(writeRequests()).toBe(1);
    expect(listed()).toContain('F111:ACTIVE');
  });

  test('a rollback keeps what the set adopted and removes what it associated', async () => {
    await start();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { physicalId } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE));
    harness.setStack({ status: 'ROLLBACK_IN_PROGRESS', resources: [{ ...beingDeleted(physicalId), type: TYPE }] });
    await play(harness, deleteEvent(physicalId, {}, TYPE));

    expect(accepted('DissociatePackages')).toEqual(['pkg-a1,pkg-a2,pkg-a3']);
    expect(listed()).toEqual(['F111:ACTIVE']);
  });
});

describe('responses fit CloudFormation', () => {
  /** Twenty dictionaries, the most a domain holds, under 22-character construct ids. */
  const TWENTY: EmulatedPackage[] = Array.from({ length: 20 }, (_, i) => ({ id: `F${100000000 + i}`, name: `dictionary-${i}`, type: 'TXT-DICTIONARY' }));
  const keys = TWENTY.map((_, i) => `SynonymsDictionary${String(i).padStart(4, '0')}`);

  test('a set of 20 packages: the success response is under 4,096 bytes, and the synth-time estimate is not below it', async () => {
    harness = await startHarness({ packages: TWENTY });
    const { complete, physicalId } = await play(harness, createEvent(setProps(TWENTY.map((p) => ({ PackageID: p.id })), keys), TYPE));
    const response = JSON.stringify({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: STACK_ID,
      RequestId: '00000000-0000-0000-0000-000000000000',
      PhysicalResourceId: physicalId,
      LogicalResourceId: LOGICAL_ID,
      Data: complete.Data,
    });
    const estimate = estimatedResponseBytes({ domainName: DOMAIN, logicalId: LOGICAL_ID, packageIds: TWENTY.map((p) => p.id), keys }, () => false);

    expect(Object.keys(complete.Data ?? {})).toHaveLength(40);
    expect(Buffer.byteLength(response)).toBeLessThanOrEqual(estimate);
    expect(estimate).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
  });

  test('a failure of a set of 20 packages: its response stays within 4,096 bytes', async () => {
    harness = await startHarness({ packages: TWENTY });
    harness.emulator.failNextAssociation(DOMAIN, TWENTY[3].id, 'DictionaryValidationFailed', `bad rule ${'x'.repeat(5_000)}`);
    const { error: failure, response } = await playFailure(harness, createEvent(setProps(TWENTY.map((p) => ({ PackageID: p.id })), keys), TYPE));

    expect(Buffer.byteLength(response)).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(failure.message).toMatch(/^ASSOCIATION_FAILED: F100000003 ASSOCIATION_FAILED: DictionaryValidationFailed: bad rule x+ \[\.\.\. \d+ characters/);
  });
});

describe('transient faults', () => {
  test.each([1, 2])('one request in five throttled, failed or dropped: create, update and delete still succeed, one accepted write each (seed %d)', async (seed) => {
    await start({ faults: { rate: 0.2, seed } });
    const { physicalId } = await play(harness, createEvent(setProps(PLUGIN_SET), TYPE), 60);
    const changed = [...PLUGIN_SET.filter((e) => e.PackageID !== CONFIG.id), { PackageID: PLUGIN_B.id }];
    const updated = await play(harness, updateEvent(physicalId, setProps(changed), setProps(PLUGIN_SET), TYPE), 60);
    harness.setStack({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [{ logicalId: LOGICAL_ID, type: TYPE, physicalId: updated.physicalId, status: 'UPDATE_COMPLETE' }] });
    await play(harness, deleteEvent(physicalId, {}, TYPE), 60);
    harness.setStack({ status: 'DELETE_IN_PROGRESS', resources: [] });
    await play(harness, deleteEvent(updated.physicalId, {}, TYPE), 60);

    expect(accepted('AssociatePackages')).toEqual(['F111,pkg-a1,pkg-a2,pkg-a3', 'pkg-b1']);
    expect(accepted('DissociatePackages')).toEqual(['pkg-a3', 'F111,pkg-a1,pkg-a2,pkg-b1']);
    expect(listed()).toEqual([]);
    expect(harness.emulator.requests.some((r) => r.fault)).toBe(true);
  }, 60_000);

  test('onEvent reads the domain before anything else: an unreadable list is read again, not guessed', async () => {
    await start({ faults: { rate: 1, kinds: ['unavailable'], operations: ['ListPackagesForDomain'] } });
    const pending = onEvent(createEvent(setProps(PLUGIN_SET), TYPE));
    setTimeout(() => harness.emulator.setFaults(undefined), 3_000);
    const started = await pending;

    expect(started.Sent).toEqual({ Operation: 'AssociatePackages', PackageIds: ['pkg-a1', 'pkg-a2', 'pkg-a3', 'F111'] });
    expect(started.Snapshots).toEqual({ 'pkg-a1': null, 'pkg-a2': null, 'pkg-a3': null, 'F111': null });
  }, 20_000);
});
