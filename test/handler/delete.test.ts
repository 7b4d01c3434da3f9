import {
  deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, play, PLUGIN, silenceAndCloseEachTest, startHarness,
} from './handler-harness';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const ID = `${DOMAIN}/${DICTIONARY.id}`;
const dissociations = () => harness.emulator.requests.filter((r) => r.operation === 'DissociatePackage').map((r) => r.status);

describe('delete', () => {
  test('dissociates and waits until the entry is gone from the list', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { started, complete, polls } = await play(harness, deleteEvent(ID));

    expect(started).toEqual({ PhysicalResourceId: ID, StartedAt: expect.any(String), Before: { Status: 'ACTIVE', Version: 'v1', LastUpdated: expect.any(String) } });
    expect(complete).toEqual({ IsComplete: true });
    expect(polls).toBe(3); // at 0, 10 and 20 s: a 15 s dissociation
    expect(dissociations()).toEqual([200]);
    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
  });

  test.each([
    ['the pair is not associated (ValidationException)', ID, [400], {}],
    ['the domain was deleted (ResourceNotFoundException)', `search-deleted/${DICTIONARY.id}`, [409], {}],
    ['the package was deleted (ResourceNotFoundException)', `${DOMAIN}/F999`, [409], {}],
    ['the package was deleted (ValidationException "Package not found")', `${DOMAIN}/F999`, [400], { missingPackage: 'ValidationException' as const }],
  ])('already gone counts as success: %s', async (_name, physicalId, statuses, options) => {
    harness = await startHarness(options);
    const { complete } = await play(harness, deleteEvent(physicalId));

    expect(complete.IsComplete).toBe(true);
    expect(dissociations()).toEqual(statuses);
    // Known from the answer alone: the domain is read before the write (is it busy?), not between the refusal and the first poll.
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(['ListPackagesForDomain', 'DescribeDomain', 'DissociatePackage', 'ListPackagesForDomain']);
    expect(harness.emulator.requests.filter((r) => r.operation === 'DissociatePackage').map((r) => r.errorType))
      .toEqual([statuses[0] === 400 ? 'ValidationException' : 'ResourceNotFoundException']);
  });

  test('an entry already absent from the list completes on the first poll', async () => {
    harness = await startHarness();
    const { polls } = await play(harness, deleteEvent(ID));
    expect(polls).toBe(1);
  });

  test.each([
    'OpenSearchPackagesExample-Synonyms-1A2B3C4D5E6F',
    'search-one',
    'search-one/F111/extra',
  ])('a physical id the handler never issued (%s) succeeds without any call', async (physicalId) => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { complete } = await play(harness, deleteEvent(physicalId));

    expect(complete.IsComplete).toBe(true);
    expect(harness.emulator.requests).toEqual([]);
    expect(harness.emulator.associations(DOMAIN)).toHaveLength(1);
  });

  test('DISSOCIATION_FAILED fails with the error details and the likely cause', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.emulator.markInUse(DOMAIN, DICTIONARY.id, true);
    const error = await failureOf(play(harness, deleteEvent(ID)));

    expect(error.message).toMatch(/^DISSOCIATION_FAILED: likely cause: an index still uses the package\. Remove it from the index settings, then delete again; /);
    // How to finish a removal the cleanup phase will not retry, then the service's own details and the pair.
    expect(error.message).toMatch(/dissociate it by hand: aws opensearch dissociate-packages --domain-name search-one --package-list F111; \w+: .+ \(domain search-one, package F111\)$/);
    expect(dissociations()).toEqual([200]);
  });

  test('a busy domain defers the dissociation until it can start', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 25_000);
    const { started, complete } = await play(harness, deleteEvent(ID));

    expect(started.PendingOperation).toBe('DissociatePackage');
    expect(complete.IsComplete).toBe(true);
    // onEvent and the polls at 0-20 s read the domain busy (DescribeDomain) and send nothing; the poll at 30 s starts it
    expect(dissociations()).toEqual([200]);
    expect(harness.emulator.count('DescribeDomain')).toBe(5);
    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
  });

  test.each([
    ['still ASSOCIATING (a create CloudFormation gave up on)', 'ASSOCIATING' as const, [200]],
    ['already DISSOCIATING (a delete CloudFormation sent again)', 'DISSOCIATING' as const, []],
  ])('an entry %s is dissociated once the domain is free', async (_name, status, statuses) => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id, { status });
    const { started, complete } = await play(harness, deleteEvent(ID));

    expect(started.PendingOperation).toBe('DissociatePackage');
    expect(complete.IsComplete).toBe(true);
    expect(dissociations()).toEqual(statuses);
    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
  });

  test('an old DISSOCIATION_FAILED entry on a busy domain is retried, not reported as this failure', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id, { status: 'DISSOCIATION_FAILED' });
    harness.clock.advance(60_000);
    harness.emulator.startForeignOperation(DOMAIN, PLUGIN.id, 15_000);
    const { complete } = await play(harness, deleteEvent(ID));

    expect(complete.IsComplete).toBe(true);
    expect(dissociations()).toEqual([200]); // none while the domain showed the other operation
  });

  test('AccessDeniedException is waited out while a new policy may still reach IAM (30 s), then fails naming the pair', async () => {
    harness = await startHarness({ deniedDomains: [DOMAIN] });
    const error = await failureOf(play(harness, deleteEvent(ID)));

    expect(error.message).toMatch(/^AccessDeniedException: .+ \(domain search-one, package F111\)$/);
    // onEvent and the polls at 0, 10 and 20 s read and wait; the poll at 30 s fails. Nothing is dissociated.
    expect(harness.emulator.requests.map((r) => r.operation)).toEqual(Array(5).fill('ListPackagesForDomain'));
  });

  test('properties written by an older handler version do not matter: the physical id is enough', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
    const { complete } = await play(harness, deleteEvent(ID, { domain: 'search-one', package: { id: 'F111' }, Enabled: 1 }));

    expect(complete.IsComplete).toBe(true);
    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
  });

  test('a failed create is cleaned up: the failed entry is dissociated', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id, { status: 'ASSOCIATION_FAILED' });
    const { complete } = await play(harness, deleteEvent(ID));

    expect(complete.IsComplete).toBe(true);
    expect(harness.emulator.associations(DOMAIN)).toEqual([]);
  });
});
