/**
 * The waiter removes itself: the Delete of its own resource starts a clean-up execution, whose steps
 * wait until the stack operation has ended and no other execution runs, then tell the workflow to
 * delete the waiter. Over HTTP against the CloudFormation and Step Functions emulators.
 */
import { captureLogs, failureOf, Harness, RESPONSE_URL, silenceAndCloseEachTest, STACK_ID, startHarness } from './handler-harness';
import { StepFunctionsApiEmulator } from '../../emulator/step-functions-api-emulator';
import { onEvent, waiterStep } from '../../lambda';
import type { WaiterState } from '../../lambda/long-wait/waiter-state';
import { CLEAN_UP_CHECK_SECONDS, WAITER_RESOURCE_TYPE } from '../../lib/long-wait-contract';

const WAITER = 'arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-1';

let harness: Harness | undefined;
let stepFunctions: StepFunctionsApiEmulator | undefined;
silenceAndCloseEachTest(() => harness);
afterEach(async () => {
  await stepFunctions?.close();
  delete process.env.AWS_ENDPOINT_URL_SFN;
});

/** Executions that run until `release` is called. */
let release: () => void = () => undefined;

beforeEach(async () => {
  harness = await startHarness();
  stepFunctions = await StepFunctionsApiEmulator.start();
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  stepFunctions.executions.register(WAITER, async () => held);
  process.env.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;
});

function waiterEvent(requestType: 'Create' | 'Delete') {
  return {
    RequestType: requestType,
    ResponseURL: RESPONSE_URL,
    StackId: STACK_ID,
    RequestId: 'r',
    LogicalResourceId: 'LongWaiter',
    ResourceType: WAITER_RESOURCE_TYPE,
    ResourceProperties: { StateMachine: WAITER },
    ...requestType === 'Delete' ? { PhysicalResourceId: WAITER } : {},
  } as const;
}

test('create names the state machine and starts nothing', async () => {
  expect(await onEvent(waiterEvent('Create'))).toMatchObject({ PhysicalResourceId: WAITER });
  expect(stepFunctions!.executions.all()).toHaveLength(0);
});

test('delete starts one clean-up execution that knows its own name; asked again, it starts nothing more', async () => {
  await onEvent(waiterEvent('Delete'));
  await onEvent(waiterEvent('Delete'));
  const executions = stepFunctions!.executions.all();
  expect(executions).toHaveLength(1);
  const input = JSON.parse(executions[0].input) as WaiterState;
  expect(input.CleanUp).toEqual({ StackId: STACK_ID, StateMachine: WAITER, Execution: executions[0].name });
  release();
});

test('a clean-up that cannot start is logged with what to delete by hand, and the delete succeeds', async () => {
  const logs = captureLogs();
  const missing = { ...waiterEvent('Delete'), ResourceProperties: { StateMachine: `${WAITER}-gone` } };
  await expect(onEvent(missing)).resolves.toMatchObject({ PhysicalResourceId: `${WAITER}-gone` });
  expect(JSON.stringify(logs)).toContain(`delete the state machine ${WAITER}-gone, its step function and their roles by hand`);
});

test('a property that is not a state machine ARN fails, naming it', async () => {
  const error = await failureOf(onEvent({ ...waiterEvent('Create'), ResourceProperties: { StateMachine: 'nope' } }));
  expect(error.message).toBe('InvalidProperty: StateMachine: "nope" must be a state machine ARN');
});

describe('the clean-up step', () => {
  const cleanUp = (execution: string): WaiterState => ({ CleanUp: { StackId: STACK_ID, StateMachine: WAITER, Execution: execution } });

  test('waits while the stack operation runs', async () => {
    harness!.setStack({ status: 'DELETE_IN_PROGRESS', resources: [] });
    expect(await waiterStep(cleanUp('me'))).toMatchObject({ Next: 'wait', WaitSeconds: CLEAN_UP_CHECK_SECONDS, Ended: 'waiting for the stack operation (DELETE_IN_PROGRESS)' });
  });

  test('waits while another execution runs (a withdrawal), then cleans up', async () => {
    harness!.setStack({ status: 'DELETE_COMPLETE', resources: [] });
    const other = stepFunctions!.executions.start(WAITER, 'withdrawal', '{}');
    const me = stepFunctions!.executions.start(WAITER, 'me', '{}');
    expect(await waiterStep(cleanUp(me.name))).toMatchObject({ Next: 'wait', Ended: 'waiting for 1 execution(s): withdrawal' });
    release();
    await stepFunctions!.settled();
    expect(other.status).toBe('SUCCEEDED');
    expect(await waiterStep(cleanUp(me.name))).toMatchObject({ Next: 'clean-up', Ended: 'cleaned up' });
  });
});
