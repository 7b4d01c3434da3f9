/**
 * Bounded, verified waiting, whichever way the real service behaves where it is undocumented:
 * the operation's own timeout, busy domains versus packages in use, results checked against the
 * request, and failures that fit CloudFormation's 4 KB response.
 */
import {
  createEvent, deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, LICENSE, play, playFailure, PLUGIN, properties, ROLE_ARN,
  silenceAndCloseEachTest, startHarness, updateEvent,
} from './handler-harness';
import { isComplete, onEvent } from '../../lambda';
import { RESPONSE_LIMIT_BYTES } from '../../lib/set-response-size';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const ID = `${DOMAIN}/${DICTIONARY.id}`;
/** A 30-second timeout: three polls of the harness's 10 s. */
const SHORT = { Timeout: '30' };
const writes = () => harness.emulator.requests.filter((r) => r.operation === 'AssociatePackage' || r.operation === 'DissociatePackage');
const state = () => harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}:${a.version}`);

describe('the operation\'s timeout', () => {
  test('a busy domain that never frees: fails with what it waited for, and sends nothing after the timeout', async () => {
    harness = await startHarness();
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 3_600_000);

    const error = await failureOf(play(harness, createEvent(properties(DICTIONARY.id, SHORT))));

    expect(error.message).toBe(`Timeout: domain ${DOMAIN} still busy after 30 seconds (in flight: domain Modifying) (domain ${DOMAIN}, package ${DICTIONARY.id})`);
    // onEvent and the polls at 0, 10 and 20 s read the domain busy (DescribeDomain) and sent nothing; the poll at 30 s only read.
    expect(writes()).toEqual([]);
    expect(harness.emulator.count('DescribeDomain')).toBe(5);
  });

  test('an association still ASSOCIATING when the timeout passes fails with its status', async () => {
    harness = await startHarness({ associationMs: 3_600_000 });

    const error = await failureOf(play(harness, createEvent(properties(DICTIONARY.id, SHORT))));

    expect(error.message).toBe(`Timeout: ASSOCIATING for 30 seconds (domain ${DOMAIN}, package ${DICTIONARY.id})`);
    expect(writes()).toHaveLength(1);
  });

  test('a dissociation still DISSOCIATING when the timeout passes fails with its status', async () => {
    harness = await startHarness({ dissociationMs: 3_600_000 });
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);

    const error = await failureOf(play(harness, deleteEvent(ID, properties(DICTIONARY.id, SHORT))));

    expect(error.message).toBe(`Timeout: DISSOCIATING for 30 seconds (domain ${DOMAIN}, package ${DICTIONARY.id})`);
  });

  test('no write is sent once the timeout has passed, even by a poll that would start the operation', async () => {
    harness = await startHarness();
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 15_000);
    const started = await onEvent(createEvent(properties(DICTIONARY.id, SHORT)));
    harness.advance(60_000); // the domain is free now, but the operation's 30 s are over

    const error = await failureOf(isComplete({ ...createEvent(properties(DICTIONARY.id, SHORT)), ...started }));

    expect(error.message).toMatch(/^Timeout: domain search-one still busy after 30 seconds \(in flight: nothing now\)/);
    expect(writes()).toEqual([]); // onEvent read the domain busy, the poll found the timeout passed
  });

  test('without a Timeout property (a resource deployed by an earlier version) the default of 50 minutes applies', async () => {
    harness = await startHarness();
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 3_600_000);
    const started = await onEvent(createEvent(properties(DICTIONARY.id)));
    const event = { ...createEvent(properties(DICTIONARY.id)), ...started };

    harness.advance(49 * 60_000);
    await expect(isComplete(event)).resolves.toEqual({ IsComplete: false });
    harness.advance(60_000);
    const error = await failureOf(isComplete(event));
    expect(error.message).toMatch(/^Timeout: domain search-one still busy after 50 minutes/);
  });

  test('an invalid Timeout property fails before any call', async () => {
    harness = await startHarness();
    const error = await failureOf(onEvent(createEvent(properties(DICTIONARY.id, { Timeout: '1.5' }))));
    expect(error.message).toBe('InvalidProperty: Timeout: "1.5" must be a positive whole number of seconds');
    expect(harness.emulator.requests).toEqual([]);
  });
});

describe('a busy domain versus a package in use', () => {
  /** The spaced attempts of a conflict with nothing in flight: the first, at once, then after 1, 2, 4 and 8 s. */
  const IN_USE_ATTEMPTS = 6;

  test('delete: a package in use (refused with a conflict, nothing in flight, the domain unchanged) fails after 15 seconds of spaced attempts', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.emulator.markInUse(DOMAIN, DICTIONARY.id, true, { answer: 'conflict' });

    const error = await failureOf(onEvent(deleteEvent(ID)));

    expect(error.message).toMatch(/^ConflictException: Package F111 is in use by index products and cannot be dissociated \(refused 6 times in 15 seconds while nothing was in flight on the domain and nothing on it changed, so waiting would not help; likely cause: an index still uses the package\. Remove it from the index settings, then delete again; after an update \(the stack ended UPDATE_COMPLETE, and CloudFormation does not retry its cleanup\) dissociate it by hand: aws opensearch dissociate-packages --domain-name search-one --package-list F111\)/);
    expect(error.message).toMatch(/\(domain search-one, package F111\)$/);
    expect(writes().map((r) => r.status)).toEqual(Array(IN_USE_ATTEMPTS).fill(409));
    // The domain was read before the first attempt (idle) and after each: seven readings, each the same.
    expect(harness.emulator.count('DescribeDomain')).toBe(IN_USE_ATTEMPTS + 1);
  }, 30_000);

  test('create: a conflict that never goes away with nothing in flight fails, naming the service\'s message', async () => {
    harness = await startHarness();
    harness.emulator.refuseNextAssociation(DOMAIN, DICTIONARY.id, 'Package F111 conflicts with the domain', IN_USE_ATTEMPTS);

    const error = await failureOf(onEvent(createEvent(properties(DICTIONARY.id))));

    expect(error.message).toMatch(/^ConflictException: Package F111 conflicts with the domain \(refused 6 times/);
  }, 30_000);

  test('a conflict the retry at once gets past starts the operation', async () => {
    harness = await startHarness();
    harness.emulator.refuseNextAssociation(DOMAIN, DICTIONARY.id, 'the other operation just ended');

    const { complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(writes().map((r) => r.status)).toEqual([409, 200]);
    expect(harness.emulator.count('DescribeDomain')).toBe(2); // before the write, and the reading that found nothing in flight
  });

  test('409 busy, a retry, 409 again, then nothing in flight: a race, and a later attempt starts the operation (no failure)', async () => {
    harness = await startHarness();
    harness.emulator.refuseNextAssociation(DOMAIN, DICTIONARY.id, 'Another package operation is in progress', 3);

    const { complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(writes().map((r) => r.status)).toEqual([409, 409, 409, 200]);
  }, 30_000);

  test('a conflict while the domain changes between attempts is a race: the operation waits for the next poll instead of failing', async () => {
    harness = await startHarness();
    harness.emulator.refuseNextAssociation(DOMAIN, DICTIONARY.id, 'Another package operation is in progress', 2);
    // Right after the second refusal, another operation's result shows on the domain.
    let refusals = 0;
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
      if (String(line).includes('"operation":"AssociatePackage"') && String(line).includes('ConflictException') && ++refusals === 2) {
        harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);
      }
    });

    const { started, complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(writes().map((r) => r.status)).toEqual([409, 409, 200]);
  });

  test('a domain busy with a configuration change (nothing in the package list) is waited out', async () => {
    harness = await startHarness({ busyMessage: 'An undocumented wording of a busy domain' });
    harness.emulator.startConfigurationChange(DOMAIN, 25_000);

    const { started, complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(writes().map((r) => r.status)).toEqual([200]); // none while DescribeDomain showed the change
  });

  test('an engine upgrade (UpgradeProcessing) is waited out', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.emulator.startEngineUpgrade(DOMAIN, 15_000);

    const { complete } = await play(harness, deleteEvent(ID));

    expect(complete.IsComplete).toBe(true);
    expect(state()).toEqual([]);
  });
});

describe('the result is checked, not assumed', () => {
  test('key-store access answered "already in desired state" but not applied: ConfigurationNotApplied', async () => {
    harness = await startHarness({ desiredState: 'version' });
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id, { keyStoreAccess: { enabled: false } });
    const access = { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: ROLE_ARN } } };

    const error = await failureOf(play(harness, updateEvent(`${DOMAIN}/${PLUGIN.id}`, properties(PLUGIN.id, access), properties(PLUGIN.id))));

    expect(error.message).toBe('ConfigurationNotApplied: the service answered "already in desired state" but the domain kept '
      + `key-store access disabled (asked: enabled); dissociate and associate again to change it (domain ${DOMAIN}, package ${PLUGIN.id})`);
  });

  test('prerequisites answered "already in desired state" but not applied: ConfigurationNotApplied', async () => {
    harness = await startHarness({ desiredState: 'version' });
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);
    harness.emulator.seedAssociation(DOMAIN, LICENSE.id, { prerequisites: [PLUGIN.id] });

    const error = await failureOf(play(harness, updateEvent(`${DOMAIN}/${LICENSE.id}`,
      properties(LICENSE.id), properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] }))));

    expect(error.message).toMatch(/^ConfigurationNotApplied: .* kept prerequisites \[pkg-a1\] \(asked: \[\]\)/);
  });

  test('a field the list leaves out is not a mismatch', async () => {
    harness = await startHarness({ desiredState: 'version' });
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id); // listed without AssociationConfiguration
    const access = { AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true' } } };

    const { complete } = await play(harness, updateEvent(`${DOMAIN}/${PLUGIN.id}`, properties(PLUGIN.id, access), properties(PLUGIN.id)));

    expect(complete.IsComplete).toBe(true);
  });

  test('an adoption whose listed configuration matches completes', async () => {
    harness = await startHarness({ desiredState: 'version' });
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);
    harness.emulator.seedAssociation(DOMAIN, LICENSE.id, { prerequisites: [PLUGIN.id] });

    const { complete, physicalId } = await play(harness, createEvent(properties(LICENSE.id, { PrerequisitePackageIDList: [PLUGIN.id] })));

    expect(complete.IsComplete).toBe(true);
    expect(physicalId).toBe(`${DOMAIN}/${LICENSE.id}/adopted`);
  });

  test.each([
    ['a minute ahead', 60_000],
    ['a minute behind', -60_000],
  ])('the service\'s clock %s of the function\'s: the old entry listed after the call does not complete the update', async (_why, clockSkewMs) => {
    harness = await startHarness({ clockSkewMs, staleListMs: 25_000, associationMs: 5_000 });
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');

    const { complete, polls } = await play(harness, updateEvent(ID, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id)));

    expect(complete.Data?.PackageVersion).toBe('v2');
    expect(polls).toBe(4); // the old ACTIVE v1 entry is listed at 0, 10 and 20 s
    expect(state()).toEqual([`${DICTIONARY.id}:ACTIVE:v2`]);
  });

  test('delete: a ValidationException of any wording while the pair is not listed counts as gone', async () => {
    harness = await startHarness({ notAssociatedMessage: 'The package is not in use on this domain' });

    const { complete } = await play(harness, deleteEvent(ID));

    expect(complete.IsComplete).toBe(true);
    expect(writes().map((r) => `${r.status} ${r.errorType}`)).toEqual(['400 ValidationException']);
  });

});

describe('failures that fit CloudFormation', () => {
  test('a 10 KB ErrorMessage loses its middle so the response fits 4,096 bytes, keeping its start, its end and the pair', async () => {
    harness = await startHarness();
    const detail = `Line 1: invalid synonym rule 'a => '${' and more'.repeat(1_200)} (rule 1200)`;
    harness.emulator.failNextAssociation(DOMAIN, DICTIONARY.id, 'DictionaryValidationFailed', detail);

    const { error, response } = await playFailure(harness, createEvent(properties(DICTIONARY.id)));

    expect(detail.length).toBeGreaterThan(10_000);
    expect(Buffer.byteLength(response)).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(error.message).toMatch(/^ASSOCIATION_FAILED: DictionaryValidationFailed: Line 1: invalid synonym rule 'a => ' and more/);
    expect(error.message).toMatch(/\[\.\.\. \d+ characters cut to fit CloudFormation's 4,096-byte response; the logs have them\] .*and more \(rule 1200\) \(domain search-one, package F111\)$/);
  });

  test('LimitExceededException fails at once: one request, the service\'s message', async () => {
    harness = await startHarness({ maxPackagesPerDomain: 1 });
    harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);

    const error = await failureOf(onEvent(createEvent(properties(DICTIONARY.id))));

    expect(error.message).toBe(`LimitExceededException: Domain ${DOMAIN} has reached the limit of 1 packages (domain ${DOMAIN}, package ${DICTIONARY.id})`);
    expect(writes()).toHaveLength(1);
  });
});
