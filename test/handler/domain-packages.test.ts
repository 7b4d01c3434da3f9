/**
 * DomainPackages over HTTP: a domain's whole set of packages in one AssociatePackages or
 * DissociatePackages call, reconciled from ListPackagesForDomain, with the blue/green
 * deployments the emulator counts per domain.
 */
import type { EmulatedPackage } from '../../emulator/packages-api-emulator';
import {
  createEvent, deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, LICENSE, PLUGIN, play, QUERY_INTERVAL_MS, silenceAndCloseEachTest, startHarness, updateEvent,
} from './handler-harness';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const TYPE = 'Custom::OpenSearchDomainPackages';
const CONFIG: EmulatedPackage = { id: 'pkg-a3', name: 'my-plugin-config', type: 'PACKAGE-CONFIG' };
const PLUGIN_B: EmulatedPackage = { id: 'pkg-b1', name: 'plugin-b', type: 'ZIP-PLUGIN' };
const PLUGIN_C: EmulatedPackage = { id: 'pkg-c1', name: 'plugin-c', type: 'ZIP-PLUGIN' };
const BLUE_GREEN_MS = 60_000;

async function start(): Promise<void> {
  harness = await startHarness({
    packages: [DICTIONARY, PLUGIN, LICENSE, CONFIG, PLUGIN_B, PLUGIN_C],
    blueGreenMs: BLUE_GREEN_MS,
  });
}

interface Entry { readonly PackageID: string; readonly PrerequisitePackageIDList?: string[]; readonly PackageVersion?: string }

/** Plugin, license and configuration (both needing the plugin) and a dictionary. */
const PLUGIN_SET: Entry[] = [
  { PackageID: PLUGIN.id },
  { PackageID: LICENSE.id, PrerequisitePackageIDList: [PLUGIN.id] },
  { PackageID: CONFIG.id, PrerequisitePackageIDList: [PLUGIN.id] },
  { PackageID: DICTIONARY.id },
];
const KEYS = ['Plugin', 'License', 'Config', 'Synonyms'];

function setProps(entries: Entry[], keys: string[] = entries.map((e) => KEYS[PLUGIN_SET.findIndex((p) => p.PackageID === e.PackageID)] ?? e.PackageID)) {
  return { ServiceToken: 'token', DomainName: DOMAIN, PackageList: entries, PackageKeys: keys, Timeout: '3000' };
}

const listed = () => harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`).sort();
const calls = (operation: 'AssociatePackages' | 'DissociatePackages' | 'AssociatePackage' | 'DissociatePackage') => harness.emulator.count(operation);

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
      'Plugin.ReferencePath': '', 'Plugin.PackageVersion': 'v1',
      'License.ReferencePath': '', 'License.PackageVersion': 'v1',
      'Config.ReferencePath': '', 'Config.PackageVersion': 'v1',
      'Synonyms.ReferencePath': 'analyzers/F111', 'Synonyms.PackageVersion': 'v1',
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

  test('adding one plugin and removing another: one DissociatePackages, then one AssociatePackages', async () => {
    await start();
    const before = [...PLUGIN_SET, { PackageID: PLUGIN_B.id }];
    await play(harness, createEvent(setProps(before), TYPE));
    const after = [...PLUGIN_SET, { PackageID: PLUGIN_C.id }];
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    const { physicalId, complete } = await play(harness, updateEvent(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3+pkg-b1`, setProps(after), setProps(before), TYPE));

    expect(physicalId).toBe(`${DOMAIN}/packages/F111+pkg-a1+pkg-a2+pkg-a3+pkg-c1`);
    expect(calls('DissociatePackages')).toBe(1);
    expect(calls('AssociatePackages')).toBe(2);
    expect(harness.emulator.blueGreenDeployments(DOMAIN).map((bg) => `${bg.kind} ${bg.packageIds.join(',')}`))
      .toEqual(['association pkg-a1,pkg-a2,pkg-a3,F111,pkg-b1', 'dissociation pkg-b1', 'association pkg-c1']);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-c1:ACTIVE']);
    expect(complete.Data?.['pkg-c1.PackageVersion']).toBe('v1');
  });

  test('nothing the service sees changed: no write', async () => {
    await created();
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    const { physicalId } = await play(harness, updateEvent(ID, { ...setProps(PLUGIN_SET), Timeout: '600' }, setProps(PLUGIN_SET), TYPE));

    expect(physicalId).toBe(ID);
    expect(calls('AssociatePackages')).toBe(1);
    expect(harness.emulator.blueGreens(DOMAIN)).toBe(1);
  });

  test('the plugin replaced by another: its companions, removed with it by the service, are associated again in the same call', async () => {
    await created();
    const after: Entry[] = [
      { PackageID: PLUGIN_B.id },
      { PackageID: LICENSE.id, PrerequisitePackageIDList: [PLUGIN_B.id] },
      { PackageID: CONFIG.id, PrerequisitePackageIDList: [PLUGIN_B.id] },
      { PackageID: DICTIONARY.id },
    ];
    harness.setStack({ status: 'UPDATE_IN_PROGRESS' });
    await play(harness, updateEvent(ID, setProps(after, KEYS), setProps(PLUGIN_SET), TYPE));

    expect(harness.emulator.blueGreenDeployments(DOMAIN).map((bg) => `${bg.kind} ${bg.packageIds.sort().join(',')}`))
      .toEqual(['association F111,pkg-a1,pkg-a2,pkg-a3', 'dissociation pkg-a1', 'association pkg-a2,pkg-a3,pkg-b1']);
    expect(listed()).toEqual(['F111:ACTIVE', 'pkg-a2:ACTIVE', 'pkg-a3:ACTIVE', 'pkg-b1:ACTIVE']);
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
