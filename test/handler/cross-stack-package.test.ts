/**
 * An association of a package that another stack creates names the package's revision, not its
 * version (a cross-stack export CloudFormation would refuse to change): a new revision moves the
 * domain to the package's newest available version, read with DescribePackages when the handler runs.
 */
import {
  createEvent, DICTIONARY, DOMAIN, failureOf, Harness, play, PLUGIN, properties, silenceAndCloseEachTest, startHarness, updateEvent,
} from './handler-harness';
import { onEvent } from '../../lambda';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const TYPE = 'Custom::OpenSearchDomainPackages';
const following = (revision: string) => properties(DICTIONARY.id, { PackageRevision: revision });
const setOf = (revision: string) => ({
  ServiceToken: 'token',
  DomainName: DOMAIN,
  Timeout: '3000',
  PackageList: [{ PackageID: PLUGIN.id }, { PackageID: DICTIONARY.id, PackageRevision: revision }],
  PackageKeys: ['Plugin', 'Synonyms'],
});
const writes = () => harness.emulator.requests.filter((r) => /Associate|Dissociate/.test(r.operation) && r.status === 200).map((r) => r.operation);
const versionOn = (packageId: string) => harness.emulator.associations(DOMAIN).find((a) => a.packageId === packageId)?.version;

describe('an association that follows a package of another stack', () => {
  test('a new revision associates the package again and ends at its newest version', async () => {
    harness = await startHarness();
    const created = await play(harness, createEvent(following('r1')));
    expect(created.complete.Data?.PackageVersion).toBe('v1');

    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    const { complete } = await play(harness, updateEvent(created.physicalId, following('r2'), following('r1')));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(versionOn(DICTIONARY.id)).toBe('v2');
    expect(writes()).toEqual(['AssociatePackage', 'AssociatePackage']);
    expect(harness.emulator.count('DescribePackages')).toBeGreaterThan(0);
  });

  test('a domain that runs the newest version already gets no call', async () => {
    harness = await startHarness();
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    const created = await play(harness, createEvent(following('r1')));
    const { complete } = await play(harness, updateEvent(created.physicalId, following('r2'), following('r1')));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(writes()).toEqual(['AssociatePackage']);
  });

  test('the rollback of that update keeps the domain at the newest version, with no call', async () => {
    harness = await startHarness();
    const created = await play(harness, createEvent(following('r1')));
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    await play(harness, updateEvent(created.physicalId, following('r2'), following('r1')));
    harness.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const { complete } = await play(harness, updateEvent(created.physicalId, following('r1'), following('r2')));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(writes()).toEqual(['AssociatePackage', 'AssociatePackage']);
  });

  test('a package that no longer exists fails before any write, naming it and what to do', async () => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent(properties('F999', { PackageRevision: 'r1' }))));

    expect(error.message).toMatch(/^PackageNotFound: no package has this id: .*deploy that stack first \(domain search-one, package F999\)$/);
    expect(writes()).toEqual([]);
  });

  test('in a set, only the followed package moves, in one AssociatePackages call', async () => {
    harness = await startHarness({ blueGreenMs: 60_000 });
    const created = await play(harness, createEvent(setOf('r1'), TYPE));
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    harness.emulator.publishVersion(PLUGIN.id, 'v2');
    const { complete } = await play(harness, updateEvent(created.physicalId, setOf('r2'), setOf('r1'), TYPE));

    expect(complete.Data?.['Synonyms.PackageVersion']).toBe('v2');
    expect(complete.Data?.['Plugin.PackageVersion']).toBe('v1');
    const sent = harness.emulator.requests.filter((r) => r.operation === 'AssociatePackages' && r.status === 200).pop();
    expect(sent?.body).toEqual({ DomainName: DOMAIN, PackageList: [{ PackageID: DICTIONARY.id }] });
  });
});
