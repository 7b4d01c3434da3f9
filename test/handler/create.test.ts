import { AssociatePackageCommandInput } from '@aws-sdk/client-opensearch';
import {
  captureLogs, createEvent, DICTIONARY, DOMAIN, failureOf, Harness, LICENSE, play, PLUGIN, properties, ROLE_ARN, silenceAndCloseEachTest,
  startHarness,
} from './handler-harness';
import { isComplete, onEvent } from '../../lambda';
import type { OnEventRequest } from '../../lambda/events';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

describe('create', () => {
  test('associates the package, waits until ACTIVE and returns its attributes as strings', async () => {
    harness = await startHarness();
    const { started, complete, polls } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(started).toEqual({ PhysicalResourceId: `${DOMAIN}/${DICTIONARY.id}`, StartedAt: expect.any(String), Before: null });
    expect(complete).toEqual({
      IsComplete: true,
      Data: {
        ReferencePath: `analyzers/${DICTIONARY.id}`,
        PackageVersion: 'v1',
        PackageName: DICTIONARY.name,
        PackageType: 'TXT-DICTIONARY',
        DomainPackageStatus: 'ACTIVE',
      },
    });
    expect(polls).toBe(4); // at 0, 10, 20 and 30 s: a 25 s association
    expect(harness.emulator.count('AssociatePackage')).toBe(1);
    expect(harness.emulator.count('ListPackagesForDomain')).toBe(1 + 4); // the read before the call, then one per poll
    expect(harness.emulator.associations(DOMAIN)).toEqual([expect.objectContaining({ packageId: DICTIONARY.id, status: 'ACTIVE' })]);
  });

  test('a package without a reference path answers an empty string', async () => {
    harness = await startHarness();
    const { complete } = await play(harness, createEvent(properties(PLUGIN.id)));
    expect(complete.Data).toMatchObject({ ReferencePath: '', PackageType: 'ZIP-PLUGIN' });
  });

  test('sends prerequisites and the key-store configuration, with "true" as a JSON boolean', async () => {
    harness = await startHarness();
    await play(harness, createEvent(properties(PLUGIN.id)));
    await play(harness, createEvent(properties(LICENSE.id, {
      PrerequisitePackageIDList: [PLUGIN.id],
      AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: ROLE_ARN } },
    })));

    const request = harness.emulator.requests.find((r) => r.operation === 'AssociatePackage' && r.packageId === LICENSE.id);
    expect(request?.body).toEqual({
      PrerequisitePackageIDList: [PLUGIN.id],
      AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: ROLE_ARN } },
    } satisfies Partial<AssociatePackageCommandInput>);
    expect(harness.emulator.associations(DOMAIN).find((a) => a.packageId === LICENSE.id)).toMatchObject({
      status: 'ACTIVE', prerequisites: [PLUGIN.id], keyStoreAccessEnabled: true,
    });
  });

  test('"false" reaches the service as false', async () => {
    harness = await startHarness();
    await play(harness, createEvent(properties(PLUGIN.id, {
      AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'false' } },
    })));
    const request = harness.emulator.requests.find((r) => r.operation === 'AssociatePackage');
    expect(request?.body).toEqual({ AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: false } } });
  });

  test('a prerequisite that is not active fails at once with the service error, naming the pair', async () => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent(properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] }))));
    expect(error.message).toMatch(new RegExp(`^ValidationException: .*${PLUGIN.id}.* \\(domain ${DOMAIN}, package ${LICENSE.id}\\)$`));
    expect(harness.emulator.count('AssociatePackage')).toBe(1);
  });

  test('an existing association that shows what is asked is adopted, without a call (no second blue/green, no version move)', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { started, complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    // The physical id records the adoption: a rollback of this deploy leaves the association in place.
    expect(started.PhysicalResourceId).toBe(`${DOMAIN}/${DICTIONARY.id}/adopted`);
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(harness.emulator.count('AssociatePackage')).toBe(0);
  });

  test('a deferred create that later finds the pair associated ("already in desired state") is marked adopted', async () => {
    // onEvent cannot read the domain (unavailable beyond the SDK's retries): it leaves the association to isComplete.
    harness = await startHarness({ faults: { rate: 1, kinds: ['unavailable'], operations: ['ListPackagesForDomain'] } });
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    expect(started).toEqual({ PhysicalResourceId: `${DOMAIN}/${DICTIONARY.id}`, PendingOperation: 'AssociatePackage', StartedAt: expect.any(String) });
    // Meanwhile someone else associates the dictionary. Without a reading from before, isComplete
    // cannot tell that entry from one its own earlier retry made: the service's answer decides.
    harness.emulator.setFaults(undefined);
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.clock.advance(10_000);

    const complete = await isComplete({ ...createEvent(properties(DICTIONARY.id)), ...started });
    expect(harness.emulator.requests.filter((r) => r.operation === 'AssociatePackage').map((r) => r.status)).toEqual([409]);
    expect(complete).toMatchObject({ IsComplete: true, PhysicalResourceId: `${DOMAIN}/${DICTIONARY.id}/adopted` });
  });

  test('an existing association with another configuration is not taken over and changed at once: ConfigurationConflict, nothing sent', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);
    harness.emulator.seedAssociation(DOMAIN, LICENSE.id); // associated by hand, without its prerequisite

    const error = await failureOf(onEvent(createEvent(properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] }))));

    expect(error.message).toMatch(new RegExp(`^ConfigurationConflict: ${LICENSE.id} is on the domain already, held by no resource this operation updates, `
      + `with prerequisites \\[\\] \\(asked: \\[${PLUGIN.id}\\]\\): taking it over and changing it in one deploy could not be undone by a rollback`));
    expect(error.message).toMatch(/Take it over as it is first .*; or dissociate it first \(domain search-one, package pkg-a2\)$/);
    expect(harness.emulator.count('AssociatePackage')).toBe(0);
  });

  test('a pair found ASSOCIATING before the call is adopted', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id, { status: 'ASSOCIATING' });
    const { physicalId } = await play(harness, createEvent(properties(DICTIONARY.id)));
    expect(physicalId).toBe(`${DOMAIN}/${DICTIONARY.id}/adopted`);
  });

  test('a busy domain defers the association to isComplete until it can start', async () => {
    harness = await startHarness();
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 35_000);
    const { started, complete, polls } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(started).toEqual({ PhysicalResourceId: `${DOMAIN}/${DICTIONARY.id}`, PendingOperation: 'AssociatePackage', StartedAt: expect.any(String), Before: null });
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    // onEvent and the polls at 0-30 s read the domain busy (DescribeDomain shows the other operation) and
    // send nothing; the poll at 40 s reads it idle and starts the association, and nothing more once it is
    const attempts = harness.emulator.requests.filter((r) => r.operation === 'AssociatePackage').map((r) => r.status);
    expect(attempts).toEqual([200]);
    expect(harness.emulator.count('DescribeDomain')).toBe(6);
    expect(polls).toBe(8); // at 0-70 s: ACTIVE at 65 s
  });

  test('an old failed entry on a busy domain is retried, not reported as this failure', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id, { status: 'ASSOCIATION_FAILED' });
    harness.clock.advance(60_000);
    harness.emulator.startForeignOperation(DOMAIN, DICTIONARY.id, 15_000);
    const { complete } = await play(harness, createEvent(properties(PLUGIN.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    // no write while the domain shows the other operation
    expect(harness.emulator.requests.filter((r) => r.operation === 'AssociatePackage').map((r) => r.status)).toEqual([200]);
  });

  test('waits while the new association is not listed yet', async () => {
    harness = await startHarness({ associationMs: 5_000, listLagMs: 25_000 });
    const { polls } = await play(harness, createEvent(properties(DICTIONARY.id)));
    expect(polls).toBe(4); // not listed at 0, 10 and 20 s; ACTIVE at 30 s
    // minus the read before the call and the poll that found it
    const notListed = harness.emulator.requests.filter((r) => r.operation === 'ListPackagesForDomain').length - 2;
    expect(notListed).toBe(3);
  });

  test('pages through the domain packages until the entry is found', async () => {
    const others = Array.from({ length: 230 }, (_, i) => ({ id: `F${9000 + i}`, name: `dictionary-${i}`, type: 'TXT-DICTIONARY' as const }));
    harness = await startHarness({ packages: [DICTIONARY, PLUGIN, LICENSE, ...others], associationMs: 5_000 });
    others.forEach((p) => harness.emulator.seedAssociation(DOMAIN, p.id));
    const { complete, polls } = await play(harness, createEvent(properties(PLUGIN.id)));

    expect(complete.Data?.PackageName).toBe(PLUGIN.name);
    // 231 entries, the plugin last: three pages of 100 per poll, and per read before the call
    expect(harness.emulator.count('ListPackagesForDomain')).toBe(3 * (polls + 1));
  });

  test('ASSOCIATION_FAILED fails with the error details, the domain and the package', async () => {
    harness = await startHarness();
    harness.emulator.failNextAssociation(DOMAIN, PLUGIN.id, 'PluginValidationFailed', 'the plugin is not compatible with OpenSearch 2.19');
    const error = await failureOf(play(harness, createEvent(properties(PLUGIN.id))));
    expect(error.message).toBe(
      `ASSOCIATION_FAILED: PluginValidationFailed: the plugin is not compatible with OpenSearch 2.19 (domain ${DOMAIN}, package ${PLUGIN.id})`,
    );
  });
});

describe('invalid properties fail at once, without a call to the service', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a missing domain name', { DomainName: undefined }, /^InvalidProperty: DomainName: undefined must be a non-empty string$/],
    ['an upper-case domain name', { DomainName: 'Search-One' }, /^InvalidProperty: DomainName: .*'Search-One'.*\(domain Search-One, package F111\)$/],
    ['a bad package id', { PackageID: 'X123' }, /^InvalidProperty: PackageID: .*'X123'/],
    ['a 29-character domain name', { DomainName: `s${'a'.repeat(28)}` }, /^InvalidProperty: DomainName: .*'saaaa+'/],
    ['a prerequisite listed twice', { PrerequisitePackageIDList: ['pkg-a1', 'pkg-a1'] }, /^InvalidProperty: PrerequisitePackageIDList: 'pkg-a1' is listed twice/],
    ['a bad prerequisite id', { PrerequisitePackageIDList: ['pkg-a1', 'nope'] }, /^InvalidProperty: PrerequisitePackageIDList: .*'nope'/],
    ['prerequisites that are not a list', { PrerequisitePackageIDList: 'pkg-a1' }, /^InvalidProperty: PrerequisitePackageIDList: "pkg-a1" must be a list of package ids/],
    ['the package as its own prerequisite', { PrerequisitePackageIDList: ['F111'] }, /^InvalidProperty: PrerequisitePackageIDList: 'F111' is the package itself/],
    ['a malformed configuration', { AssociationConfiguration: { KeyStoreAccess: 'true' } }, /^InvalidProperty: AssociationConfiguration: .* must be \{ KeyStoreAccessOption/],
    ['a non-boolean KeyStoreAccessEnabled', { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'yes' } } }, /^InvalidProperty: KeyStoreAccessEnabled: "yes" must be true or false/],
    ['a bad role ARN', { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: 'arn:aws:iam::1:user/x' } } }, /^InvalidProperty: KeyAccessRoleArn: .*'arn:aws:iam::1:user\/x'/],
  ];

  test.each(cases)('%s', async (_name, override, message) => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent({ ...properties(DICTIONARY.id), ...override })));
    expect(error.message).toMatch(message);
    expect(harness.emulator.requests).toEqual([]);
  });
});

describe('a request this handler does not serve', () => {
  // InvalidRequest failures, not bugs: named, one line, and not logged as an unexpected error with its frames.
  test.each([
    ['ResourceType', { ResourceType: 'Custom::Unknown' }, 'InvalidRequest: unknown ResourceType "Custom::Unknown"'],
    ['RequestType', { RequestType: 'Replace' }, 'InvalidRequest: unknown RequestType "Replace"'],
  ])('an unknown %s fails as InvalidRequest, without a stack trace', async (_field, override, message) => {
    harness = await startHarness();
    const logs = captureLogs();
    const error = await failureOf(onEvent({ ...createEvent(properties(DICTIONARY.id)), ...override } as OnEventRequest));
    expect(error).toMatchObject({ name: 'InvalidRequest', message, stack: message });
    expect(logs.filter((line) => line.operation === 'Response')).toEqual([]);
    expect(harness.emulator.requests).toEqual([]);
  });
});
