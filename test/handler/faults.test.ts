import {
  captureLogs, createEvent, deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, LICENSE, OTHER_DOMAIN, play, PLUGIN, properties,
  RESPONSE_URL, SECRET_ACCESS_KEY, startHarness,
} from './handler-harness';
import { isComplete, onEvent } from '../../lambda';

let harness: Harness;
let logs: Array<Record<string, unknown>>;

beforeEach(() => {
  logs = captureLogs();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await harness?.close();
});

/** Creates a plugin, its license and a dictionary on one domain, then deletes them, as one stack would. */
async function lifecycle(): Promise<void> {
  const plugin = await play(harness, createEvent(properties(PLUGIN.id)), 60);
  const license = await play(harness, createEvent(properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] })), 60);
  const dictionary = await play(harness, createEvent(properties(DICTIONARY.id, {}, OTHER_DOMAIN)), 60);
  for (const { started } of [dictionary, license, plugin]) {
    await play(harness, deleteEvent(started.PhysicalResourceId), 60);
  }
}

describe('transient faults', () => {
  test.each([1, 2, 3])('one request in five throttled, failed (500, 503) or dropped: the lifecycle still succeeds (seed %d)', async (seed) => {
    harness = await startHarness({ faults: { rate: 0.2, seed } });
    await lifecycle();

    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
    expect(harness.emulator.associations(OTHER_DOMAIN)).toEqual([]);
    const faults = new Set(harness.emulator.requests.filter((r) => r.fault).map((r) => r.fault));
    expect(faults.size).toBeGreaterThanOrEqual(2);
    expect(harness.emulator.requests.filter((r) => r.operation === 'AssociatePackage' && r.status === 200)).toHaveLength(3);
  }, 60_000);

  test('a service that keeps failing while polled is "not complete yet", not a failure', async () => {
    harness = await startHarness({ faults: { rate: 1, kinds: ['unavailable'], operations: ['ListPackagesForDomain'] } });
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    // onEvent could not read the domain before associating: it leaves the association to isComplete.
    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(harness.emulator.count('AssociatePackage')).toBe(0);
    const before = harness.emulator.count('ListPackagesForDomain');
    await expect(isComplete({ ...createEvent(properties(DICTIONARY.id)), ...started })).resolves.toEqual({ IsComplete: false });
    expect(harness.emulator.count('ListPackagesForDomain') - before).toBe(5); // the SDK's attempts
  }, 30_000);

  test('a service that keeps throttling AssociatePackage defers it to isComplete', async () => {
    harness = await startHarness({ faults: { rate: 1, kinds: ['throttle'], operations: ['AssociatePackage'] } });
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    expect(started.PendingOperation).toBe('AssociatePackage');

    harness.emulator.setFaults(undefined);
    const { complete } = await play(harness, createEvent(properties(DICTIONARY.id)));
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
  }, 30_000);
});

describe('AccessDeniedException: a new policy may take seconds to reach IAM', () => {
  test('within 30 seconds of the operation\'s start it is waited out, then it fails, named, without SDK retries', async () => {
    harness = await startHarness({ deniedDomains: [DOMAIN] });
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    expect(started.PendingOperation).toBe('AssociatePackage');

    const error = await failureOf(play(harness, createEvent(properties(DICTIONARY.id))));

    expect(error.message).toMatch(/^AccessDeniedException: .+ \(domain search-one, package F111\)$/);
    // Two onEvents and the polls at 0, 10 and 20 s read once each (one attempt: not retried by the SDK); 30 s fails.
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(Array(6).fill('ListPackagesForDomain'));
  });

  test('a policy that arrives within the 30 seconds lets the operation go on', async () => {
    harness = await startHarness({ deniedDomains: [DOMAIN] });
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    harness.emulator.denyDomain(DOMAIN, false);
    const { complete } = await play(harness, createEvent(properties(DICTIONARY.id)));
    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
  });

  test('after 30 seconds, while polling, it fails at once', async () => {
    harness = await startHarness();
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    harness.emulator.denyDomain(DOMAIN, true);
    const before = harness.emulator.count('ListPackagesForDomain');
    harness.advance(31_000);
    const error = await failureOf(isComplete({ ...createEvent(properties(DICTIONARY.id)), ...started }));

    expect(error.message).toMatch(/^AccessDeniedException: .+ \(domain search-one, package F111\)$/);
    expect(harness.emulator.count('ListPackagesForDomain') - before).toBe(1);
  });
});

describe('permanent errors fail at once, named, without retries', () => {

  test('ValidationException', async () => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent(properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] }))));

    expect(error.message).toMatch(/^ValidationException: .+ \(domain search-one, package pkg-a2\)$/);
    // The reads of the pair and of the domain before the call, then the one call.
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(['ListPackagesForDomain', 'DescribeDomain', 'AssociatePackage']);
  });

  test('a missing domain on create (ResourceNotFoundException)', async () => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent(properties(DICTIONARY.id, {}, 'search-gone'))));
    expect(error.message).toMatch(/^ResourceNotFoundException: .+ \(domain search-gone, package F111\)$/);
  });
});

describe('logging', () => {
  test('one structured line per call and outcome, without credentials or the response URL', async () => {
    harness = await startHarness({ faults: { rate: 0.2, seed: 4 } });
    await lifecycle();

    // every request the emulators received is one attempt of a logged call
    const attempts = logs.reduce((sum, line) => sum + Number(line.attempt), 0);
    expect(harness.cloudFormation.requests.length).toBeGreaterThan(0);
    expect(attempts).toBe(harness.emulator.requests.length + harness.cloudFormation.requests.length);
    for (const line of logs) {
      expect(line).toEqual(expect.objectContaining({ operation: expect.any(String), outcome: expect.any(String) }));
      expect(line.domain ?? line.detail).toBeDefined();
    }
    const text = logs.map((line) => JSON.stringify(line)).join('\n');
    expect(text).not.toContain(SECRET_ACCESS_KEY);
    expect(text).not.toContain('AKIDTEST');
    expect(text).not.toContain(RESPONSE_URL.split('?')[0]);
    expect(text).not.toContain('SIGNATURE');
  }, 60_000);

  test('a failed call is logged with the error name and the attempts made', async () => {
    harness = await startHarness({ deniedDomains: [DOMAIN] });
    await onEvent(createEvent(properties(DICTIONARY.id)));
    // The read before the association is denied (once: not an error the SDK retries); the handler waits there.
    expect(logs).toEqual([{ level: 'warn', operation: 'ListPackagesForDomain', domain: DOMAIN, package: DICTIONARY.id, outcome: 'AccessDeniedException', attempt: 1 }]);
  });
});
