import {
  DICTIONARY, DOMAIN, failureOf, Harness, OTHER_DOMAIN, play, playFailure, playRollback, PLUGIN, properties, ROLE_ARN,
  silenceAndCloseEachTest, startHarness, updateEvent,
} from './handler-harness';
import { onEvent } from '../../lambda';
import { REPLACEMENT_ROLLBACKS } from '../../local/stack-operation-phases';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const KEY_STORE = { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: ROLE_ARN } } };

/** An ACTIVE association of `packageId` on DOMAIN, as a previous deploy left it. */
async function deployed(packageId: string, options: Parameters<typeof startHarness>[0] = {}): Promise<string> {
  harness = await startHarness(options);
  harness.emulator.seedAssociation(DOMAIN, packageId);
  harness.clock.advance(60_000);
  return `${DOMAIN}/${packageId}`;
}

const operations = () => harness.emulator.requests.map((r) => `${r.operation} ${r.domain}/${r.packageId ?? ''} ${r.status}`);

describe('update', () => {
  test('a changed package id associates the new pair under a new physical id and leaves the old pair alone', async () => {
    const oldId = await deployed(DICTIONARY.id);
    const { started, complete } = await play(harness, updateEvent(oldId, properties(PLUGIN.id), properties(DICTIONARY.id)));

    expect(started.PhysicalResourceId).toBe(`${DOMAIN}/${PLUGIN.id}`);
    expect(complete.Data?.PackageName).toBe(PLUGIN.name);
    expect(harness.emulator.count('DissociatePackage')).toBe(0);
    expect(harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`)).toEqual([`${DICTIONARY.id}:ACTIVE`, `${PLUGIN.id}:ACTIVE`]);
  });

  test('a changed domain name associates the pair on the new domain', async () => {
    const oldId = await deployed(DICTIONARY.id);
    const { started } = await play(harness, updateEvent(oldId, properties(DICTIONARY.id, {}, OTHER_DOMAIN), properties(DICTIONARY.id)));

    expect(started.PhysicalResourceId).toBe(`${OTHER_DOMAIN}/${DICTIONARY.id}`);
    expect(harness.emulator.associations(OTHER_DOMAIN).map((a) => a.status)).toEqual(['ACTIVE']);
    expect(harness.emulator.associations(DOMAIN).map((a) => a.status)).toEqual(['ACTIVE']);
  });

  test('a new PackageVersion associates the same pair again, moving the domain to the newest version', async () => {
    const id = await deployed(DICTIONARY.id);
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    const { started, complete } = await play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id, { PackageVersion: 'v1' })));

    expect(started.PhysicalResourceId).toBe(id);
    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(operations().filter((o) => !o.startsWith('List'))).toEqual([`DescribeDomain ${DOMAIN}/ 200`, `AssociatePackage ${id} 200`]);
  });

  test('a list that still shows the old ACTIVE entry after AssociatePackage does not complete the update early', async () => {
    const id = await deployed(DICTIONARY.id, { staleListMs: 15_000 });
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    const { complete, polls } = await play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id)));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(polls).toBe(4); // listed as the old v1 ACTIVE at 0 and 10 s, ASSOCIATING at 20 s, ACTIVE at 30 s
    expect(harness.emulator.count('AssociatePackage')).toBe(1);
  });

  test('an association removed outside CloudFormation is restored by an update that changes nothing else', async () => {
    harness = await startHarness();
    const id = `${DOMAIN}/${DICTIONARY.id}`;
    const { complete } = await play(harness, updateEvent(id, { ...properties(DICTIONARY.id), ServiceToken: 'new-token' }, properties(DICTIONARY.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(operations().filter((o) => !o.startsWith('List'))).toEqual([`DescribeDomain ${DOMAIN}/ 200`, `AssociatePackage ${id} 200`]);
  });

  test('a changed configuration is applied to the same pair', async () => {
    const id = await deployed(PLUGIN.id);
    const { started } = await play(harness, updateEvent(id, properties(PLUGIN.id, KEY_STORE), properties(PLUGIN.id)));

    expect(started.PhysicalResourceId).toBe(id);
    expect(harness.emulator.requests.find((r) => r.operation === 'AssociatePackage')?.body)
      .toEqual({ AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: ROLE_ARN } } });
    expect(harness.emulator.associations(DOMAIN)).toEqual([expect.objectContaining({ packageId: PLUGIN.id, status: 'ACTIVE', keyStoreAccessEnabled: true })]);
  });

  test('a change the domain already shows (the version it runs, now named) makes no call', async () => {
    const id = await deployed(DICTIONARY.id);
    const { complete } = await play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v1' }), properties(DICTIONARY.id)));

    expect(complete.Data).toMatchObject({ DomainPackageStatus: 'ACTIVE', PackageVersion: 'v1' });
    expect(harness.emulator.count('AssociatePackage')).toBe(0);
  });

  test('properties the service does not see (ServiceToken) call nothing but status checks', async () => {
    const id = await deployed(DICTIONARY.id);
    const { complete } = await play(harness, updateEvent(id, { ...properties(DICTIONARY.id), ServiceToken: 'new-token' }, properties(DICTIONARY.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(operations()).toEqual([`ListPackagesForDomain ${DOMAIN}/ 200`, `ListPackagesForDomain ${DOMAIN}/ 200`]);
  });

  test.each(REPLACEMENT_ROLLBACKS)('a failed move to another package rolls back (%s): the old id is restored, the failed id\'s Delete withdraws the new pair, the old pair stays ACTIVE throughout', async (model) => {
    const oldId = await deployed(DICTIONARY.id);
    harness.emulator.failNextAssociation(DOMAIN, PLUGIN.id, 'PluginValidationFailed', 'bad plugin');
    const failed = await playFailure(harness, updateEvent(oldId, properties(PLUGIN.id), properties(DICTIONARY.id)));
    expect(failed.error.message).toMatch(/^ASSOCIATION_FAILED: PluginValidationFailed: bad plugin \(domain search-one, package pkg-a1\)$/);
    // The FAILED response carries the new pair's id: CloudFormation records it, so the rollback deletes it.
    expect(failed.physicalId).toBe(`${DOMAIN}/${PLUGIN.id}`);
    expect(harness.emulator.count('DissociatePackage')).toBe(0); // a failure takes nothing back by itself

    const restored = await playRollback(harness, {
      previous: { physicalId: oldId, properties: properties(DICTIONARY.id) },
      current: { physicalId: failed.physicalId, properties: properties(PLUGIN.id) },
      attempted: properties(PLUGIN.id),
    }, model);

    expect(restored).toBe(oldId);
    expect(harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`)).toEqual([`${DICTIONARY.id}:ACTIVE`]);
    expect(operations().filter((o) => /^(Associate|Dissociate)/.test(o))).toEqual([`AssociatePackage ${DOMAIN}/${PLUGIN.id} 200`, `DissociatePackage ${DOMAIN}/${PLUGIN.id} 200`]);
  });

  test.each(REPLACEMENT_ROLLBACKS)('a move to another package that times out while it is ASSOCIATING rolls back (%s): the Delete of the failed id waits for it, then withdraws it', async (model) => {
    const oldId = await deployed(DICTIONARY.id, { associationMs: 45_000 });
    const failed = await playFailure(harness, updateEvent(oldId, properties(PLUGIN.id, { Timeout: '20' }), properties(DICTIONARY.id)));
    expect(failed.error.message).toBe(`Timeout: ASSOCIATING for 20 seconds (domain ${DOMAIN}, package ${PLUGIN.id})`);

    await playRollback(harness, {
      previous: { physicalId: oldId, properties: properties(DICTIONARY.id) },
      current: { physicalId: failed.physicalId, properties: properties(PLUGIN.id, { Timeout: '20' }) },
      attempted: properties(PLUGIN.id, { Timeout: '20' }),
    }, model);

    expect(harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`)).toEqual([`${DICTIONARY.id}:ACTIVE`]);
  });

  test('PackageVersion is the exact version: the service activating another one fails with VersionNotApplied', async () => {
    const id = await deployed(DICTIONARY.id);
    harness.emulator.publishVersion(DICTIONARY.id, 'v3'); // the package moved on past the version asked for
    const error = await failureOf(play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id))));

    expect(error.message).toBe(`VersionNotApplied: the domain runs v3, expected v2 (domain ${DOMAIN}, package ${DICTIONARY.id})`);
  });

  test('in an update rollback the newest version is accepted without a call: versions only move forward', async () => {
    const id = await deployed(DICTIONARY.id);
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    await play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id, { PackageVersion: 'v1' })));
    harness.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const { complete } = await play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v1' }), properties(DICTIONARY.id, { PackageVersion: 'v2' })));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(harness.emulator.count('AssociatePackage')).toBe(1); // the update's, none for the rollback
  });

  test('an Update that arrives while the pair is DISSOCIATING waits for the dissociation to end, then associates again', async () => {
    const id = await deployed(DICTIONARY.id, { dissociationMs: 25_000 });
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id, { status: 'DISSOCIATING' });
    const { started, complete } = await play(harness, updateEvent(id, { ...properties(DICTIONARY.id), Timeout: '300' }, properties(DICTIONARY.id)));

    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    // Nothing was sent while it was on its way out: one call once it was gone.
    expect(operations().filter((o) => o.startsWith('Associate'))).toEqual([`AssociatePackage ${id} 200`]);
  });

  test('a failed update of the same pair (new version) leaves the association in place', async () => {
    const id = await deployed(DICTIONARY.id);
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    harness.emulator.failNextAssociation(DOMAIN, DICTIONARY.id, 'AssociationFailed', 'v2 is broken');
    await failureOf(play(harness, updateEvent(id, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id))));

    expect(harness.emulator.count('DissociatePackage')).toBe(0);
    expect(harness.emulator.associations(DOMAIN).map((a) => a.packageId)).toEqual([DICTIONARY.id]);
  });

  test('an update from properties an older version wrote (unreadable now) applies the new ones', async () => {
    const id = await deployed(PLUGIN.id);
    const olderShape = { ...properties(PLUGIN.id), AssociationConfiguration: { keyStoreAccessEnabled: true } };
    const { complete } = await play(harness, updateEvent(id, properties(PLUGIN.id, KEY_STORE), olderShape));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(harness.emulator.associations(DOMAIN)[0]).toMatchObject({ keyStoreAccessEnabled: true });
  });

  test('a rollback to properties with keys this version does not know and real booleans still applies', async () => {
    const id = await deployed(PLUGIN.id);
    const olderShape = {
      ...properties(PLUGIN.id),
      Version: '0',
      AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: ROLE_ARN } },
    };
    const { complete } = await play(harness, updateEvent(id, olderShape, properties(PLUGIN.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(harness.emulator.associations(DOMAIN)[0]).toMatchObject({ keyStoreAccessEnabled: true, keyAccessRoleArn: ROLE_ARN });
  });

  test('invalid new properties fail before any call', async () => {
    const id = await deployed(DICTIONARY.id);
    const error = await failureOf(onEvent(updateEvent(id, properties('F-1'), properties(DICTIONARY.id))));
    expect(error.message).toMatch(/^InvalidProperty: PackageID: .*'F-1'/);
    expect(harness.emulator.requests).toEqual([]);
  });
});
