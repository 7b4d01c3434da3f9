import { CLEAN_UP_CHECK_SECONDS } from '../../lib/long-wait-contract';
import type { IsCompleteResponse, OnEventRequest, OnEventResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { logCall } from '../log';
import { errorName } from '../service-errors';
import { startExecution } from '../state-machine-api';
import { executionName } from './long-wait-event';
import type { WaiterState } from './waiter-state';

/**
 * The waiter's own custom resource (`Custom::OpenSearchPackagesWaiter`).
 * CloudFormation keeps the waiter on delete, so that withdrawals handed to it
 * outlive the stack; this resource's Delete starts the execution that
 * removes the waiter once they have ended (see waiter-step.ts cleanUpStep).
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const stateMachine = String(event.ResourceProperties?.StateMachine ?? '');
  if (!stateMachine.includes(':stateMachine:')) {
    throw new HandlerFailure('InvalidProperty', `StateMachine: ${JSON.stringify(event.ResourceProperties?.StateMachine)} must be a state machine ARN`);
  }
  if (event.RequestType === 'Delete') {
    await startCleanUp(event, stateMachine);
  }
  return { PhysicalResourceId: stateMachine };
}

export const isComplete = async (): Promise<IsCompleteResponse> => ({ IsComplete: true });

/**
 * Starts the clean-up, once per Delete (its name is a hash of its input).
 * A Delete never fails for it: what could not be started is logged with
 * what to delete by hand.
 */
async function startCleanUp(event: OnEventRequest, stateMachine: string): Promise<void> {
  const base = { StackId: event.StackId ?? '', StateMachine: stateMachine };
  const name = executionName({ ...event, PhysicalResourceId: stateMachine }, JSON.stringify(base));
  const state: WaiterState = { CleanUp: { ...base, Execution: name }, Next: 'wait', WaitSeconds: CLEAN_UP_CHECK_SECONDS };
  try {
    await startExecution(stateMachine, name, JSON.stringify(state));
    logCall({ operation: 'LongWait', outcome: 'ok', detail: `the waiter removes itself once its executions end: execution ${name}` });
  } catch (error) {
    logCall({
      operation: 'LongWait',
      outcome: 'failed',
      detail: `the waiter's clean-up did not start (${errorName(error)}): delete the state machine ${stateMachine}, its step function and their roles by hand`,
    });
  }
}
