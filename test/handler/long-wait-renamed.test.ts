/**
 * A long resource's wait is named after what it asks for at synth time. An update that asks for
 * something new under the same name (a deploy-time value changed) fails before anything is written,
 * except in a rollback, which must restore what was.
 */
import {
  DOMAIN, failureOf, Harness, PLUGIN, properties, silenceAndCloseEachTest, startHarness, updateEvent,
} from './handler-harness';
import { onEvent } from '../../lambda';

const LONG_WAIT = {
  Handle: 'AssociationWaitHandle1a2b3c4d', Condition: 'AssociationWait1a2b3c4d', Waiter: 'arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-1',
};
const ROLE = 'arn:aws:iam::123456789012:role/key-store-access';

let harness: Harness | undefined;
silenceAndCloseEachTest(() => harness);

beforeEach(async () => {
  harness = await startHarness();
  harness.emulator.seedAssociation(DOMAIN, PLUGIN.id);
});

const asked = (extra: Record<string, unknown>) => properties(PLUGIN.id, { Timeout: '10800', LongWait: LONG_WAIT, ...extra });

test('same wait, new deploy-time value: fails naming the property and the condition, and writes nothing', async () => {
  harness!.setStack({ status: 'UPDATE_IN_PROGRESS', resources: [] });
  const error = await failureOf(onEvent(updateEvent(`${DOMAIN}/${PLUGIN.id}`,
    asked({ AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: ROLE } } }), asked({}))));
  expect(error.message).toMatch(/^InvalidProperty: LongWait: AssociationConfiguration changed at deploy time but the wait condition AssociationWait1a2b3c4d did not/);
  expect(harness!.emulator.count('AssociatePackage')).toBe(0);
});

test('same wait, same request (a new handler bundle): no failure', async () => {
  harness!.setStack({ status: 'UPDATE_IN_PROGRESS', resources: [] });
  const answer = await onEvent(updateEvent(`${DOMAIN}/${PLUGIN.id}`, asked({}), { ...asked({}), ServiceToken: 'arn:other' }));
  expect(answer.PhysicalResourceId).toMatch(new RegExp(`^${DOMAIN}/${PLUGIN.id}`));
});

test('in an update rollback the same wait may restore an older request', async () => {
  harness!.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS', resources: [] });
  const answer = await onEvent(updateEvent(`${DOMAIN}/${PLUGIN.id}`,
    asked({}), asked({ AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: ROLE } } })));
  expect(answer.PhysicalResourceId).toMatch(new RegExp(`^${DOMAIN}/${PLUGIN.id}`));
});

test('a malformed LongWait fails, naming it', async () => {
  harness!.setStack({ status: 'UPDATE_IN_PROGRESS', resources: [] });
  const error = await failureOf(onEvent(updateEvent(`${DOMAIN}/${PLUGIN.id}`,
    properties(PLUGIN.id, { LongWait: { Handle: 'https://example.com/x' } }), asked({}))));
  expect(error.message).toMatch(/^InvalidProperty: LongWait: \{"Handle":"https:\/\/example.com\/x"\} must name a Handle and a Condition by logical id, and the Waiter state machine by ARN/);
});
