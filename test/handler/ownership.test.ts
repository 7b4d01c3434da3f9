/**
 * Before a Delete dissociates, the handler reads its own stack (CloudFormation's read API over
 * HTTP, from the emulator): another resource of the stack holding the same pair (a rename), or
 * the rollback of the deploy that adopted the pair, keeps the association.
 */
import {
  beingDeleted, createEvent, deleteEvent, DICTIONARY, DOMAIN, failureOf, Harness, LOGICAL_ID, OTHER_DOMAIN, play, properties,
  silenceAndCloseEachTest, STACK_ID, startHarness, updateEvent,
} from './handler-harness';
import type { StackResourceView } from '../../emulator/cloudformation-api-emulator';
import { isComplete, onEvent } from '../../lambda';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const ID = `${DOMAIN}/${DICTIONARY.id}`;
const ADOPTED_ID = `${ID}/adopted`;
const TYPE = 'Custom::OpenSearchPackageAssociation';
const dissociations = () => harness.emulator.count('DissociatePackage');
const listed = () => harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`);

/** Another resource of the stack. */
function other(physicalId: string | undefined, status = 'CREATE_COMPLETE', extra: Partial<StackResourceView> = {}): StackResourceView {
  return { logicalId: 'Renamed', type: TYPE, physicalId, status, ...extra };
}

async function startWithDictionary(): Promise<void> {
  harness = await startHarness();
  harness.emulator.seedAssociation(DOMAIN, DICTIONARY.id);
}

describe('another resource of the stack holds the pair', () => {
  test.each([
    ['the same id', ID],
    ['the same pair, marked adopted', ADOPTED_ID],
  ])('a rename: the old resource\'s Delete keeps the association (%s)', async (_why, holderId) => {
    await startWithDictionary();
    harness.setStack({ status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [beingDeleted(ID), other(holderId)] });

    const { started, complete } = await play(harness, deleteEvent(ID));

    expect(started).toEqual({ PhysicalResourceId: ID, StartedAt: expect.any(String), Kept: expect.stringContaining('Renamed (CREATE_COMPLETE) of the same stack holds the pair') });
    expect(complete).toEqual({ IsComplete: true });
    expect(dissociations()).toBe(0);
    expect(listed()).toEqual([`${DICTIONARY.id}:ACTIVE`]);
    // The stack was read by its id, never by its name.
    expect(harness.cloudFormation.requests.map((r) => `${r.action} ${r.stackName}`)).toEqual([`ListStackResources ${STACK_ID}`]);
  });

  test.each([
    ['is being deleted too', other(ID, 'DELETE_IN_PROGRESS')],
    ['is another pair', other(`${OTHER_DOMAIN}/${DICTIONARY.id}`)],
    ['is not an association type', other(ID, 'CREATE_COMPLETE', { type: 'AWS::CloudFormation::CustomResource' })],
    ['has no physical id yet', other(undefined, 'CREATE_IN_PROGRESS')],
    ['is this resource itself', { ...other(ID), logicalId: LOGICAL_ID }],
  ])('a resource that %s does not hold the pair: dissociated', async (_why, resource) => {
    await startWithDictionary();
    harness.setStack({ resources: [resource] });

    const { complete } = await play(harness, deleteEvent(ID));

    expect(complete.IsComplete).toBe(true);
    expect(dissociations()).toBe(1);
    expect(listed()).toEqual([]);
  });

  test('every page of the stack\'s resources is read (a stack holds up to 500)', async () => {
    await startWithDictionary();
    const filler = Array.from({ length: 250 }, (_, i) => ({ logicalId: `Other${i}`, type: 'AWS::IAM::Policy', physicalId: `policy-${i}`, status: 'CREATE_COMPLETE' }));
    harness.setStack({ resources: [beingDeleted(ID), ...filler, other(ID)] });

    await play(harness, deleteEvent(ID));

    expect(harness.cloudFormation.count('ListStackResources')).toBe(3);
    expect(dissociations()).toBe(0);
  });

  test('a deferred dissociation checks again before it starts: a holder that appeared meanwhile keeps the pair', async () => {
    await startWithDictionary();
    harness.emulator.startForeignOperation(DOMAIN, 'pkg-a1', 15_000);
    const started = await onEvent(deleteEvent(ID));
    expect(started.PendingOperation).toBe('DissociatePackage');

    harness.setStack({ resources: [other(ID)] });
    harness.clock.advance(20_000);
    await expect(isComplete({ ...deleteEvent(ID), ...started })).resolves.toEqual({ IsComplete: true });
    expect(harness.emulator.requests.filter((r) => r.operation === 'DissociatePackage')).toEqual([]); // onEvent read the domain busy
    expect(listed()).toEqual([`${DICTIONARY.id}:ACTIVE`]);
  });
});

describe('an adopted association and the rollback of the deploy that adopted it', () => {
  test.each(['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'])(
    'stack %s: the adopted association stays', async (status) => {
      await startWithDictionary();
      harness.setStack({ status, resources: [beingDeleted(ADOPTED_ID)] });

      const { started } = await play(harness, deleteEvent(ADOPTED_ID));

      expect(started.Kept).toMatch(/^the association was adopted, and the deploy that adopted it is rolling back/);
      expect(dissociations()).toBe(0);
      expect(listed()).toEqual([`${DICTIONARY.id}:ACTIVE`]);
    });

  test.each(['DELETE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'])('stack %s: an ordinary removal dissociates an adopted association', async (status) => {
    await startWithDictionary();
    harness.setStack({ status, resources: [beingDeleted(ADOPTED_ID)] });

    await play(harness, deleteEvent(ADOPTED_ID));

    expect(dissociations()).toBe(1);
    expect(listed()).toEqual([]);
  });

  test('an association this stack created is dissociated by a rollback', async () => {
    await startWithDictionary();
    harness.setStack({ status: 'ROLLBACK_IN_PROGRESS', resources: [beingDeleted(ID)] });

    await play(harness, deleteEvent(ID));

    expect(dissociations()).toBe(1);
    expect(harness.cloudFormation.count('DescribeStacks')).toBe(0); // only adopted pairs need the stack's status
  });

  test('an update to a pair that is already associated adopts it under a new physical id', async () => {
    harness = await startHarness();
    harness.emulator.seedAssociation(OTHER_DOMAIN, DICTIONARY.id);
    const { physicalId } = await play(harness, updateEvent(ID, properties(DICTIONARY.id, {}, OTHER_DOMAIN), properties(DICTIONARY.id)));
    expect(physicalId).toBe(`${OTHER_DOMAIN}/${DICTIONARY.id}/adopted`);
  });

  test('an update rollback that brings back a pair still associated is not marked adopted (it restores the id the stack had)', async () => {
    await startWithDictionary();
    harness.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS' });
    const { physicalId } = await play(harness, updateEvent(`${DOMAIN}/pkg-a1`, properties(DICTIONARY.id), properties('pkg-a1')));
    expect(physicalId).toBe(ID);
    expect(harness.cloudFormation.count('DescribeStacks')).toBe(1);
  });

  test('an update of the same pair keeps its physical id, adoption marker included', async () => {
    await startWithDictionary();
    harness.emulator.publishVersion(DICTIONARY.id, 'v2');
    const { physicalId } = await play(harness, updateEvent(ADOPTED_ID, properties(DICTIONARY.id, { PackageVersion: 'v2' }), properties(DICTIONARY.id)));
    expect(physicalId).toBe(ADOPTED_ID);
  });

  test('a pair this create had to associate is not marked adopted', async () => {
    harness = await startHarness();
    const { physicalId } = await play(harness, createEvent(properties(DICTIONARY.id)));
    expect(physicalId).toBe(ID);
  });
});

describe('when CloudFormation cannot be read', () => {
  test('throttled beyond the SDK\'s retries: the Delete waits and decides on a later poll', async () => {
    await startWithDictionary();
    harness.cloudFormation.failNext('throttling', { count: 5 });

    const started = await onEvent(deleteEvent(ID));
    expect(started).toEqual({ PhysicalResourceId: ID, PendingOperation: 'DissociatePackage', StartedAt: expect.any(String) });
    expect(dissociations()).toBe(0);

    // The first poll reads the stack, finds no holder and starts the dissociation.
    await expect(isComplete({ ...deleteEvent(ID), ...started })).resolves.toEqual({ IsComplete: false });
    expect(dissociations()).toBe(1);
    expect(harness.cloudFormation.requests.map((r) => r.fault ?? r.status)).toEqual([...Array(5).fill('throttling'), 200]);
  }, 30_000);

  test('access denied: the Delete fails with the error\'s name and message, and nothing is dissociated', async () => {
    await startWithDictionary();
    harness.cloudFormation.denyAll(true);

    const error = await failureOf(onEvent(deleteEvent(ID)));

    expect(error.message).toMatch(/^AccessDenied: .*cloudformation:ListStackResources.*; reading stack .* failed, so the package is not dissociated \(domain search-one, package F111\)$/);
    expect(dissociations()).toBe(0);
  });

  test('a Delete without a StackId fails rather than guessing', async () => {
    await startWithDictionary();
    const { StackId: _omitted, ...event } = deleteEvent(ID);
    const error = await failureOf(onEvent(event as typeof event & { RequestType: 'Delete' }));
    expect(error.message).toMatch(/^InvalidRequest: the Delete request names no StackId/);
    expect(dissociations()).toBe(0);
  });
});
