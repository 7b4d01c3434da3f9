import type { IsCompleteRequest, IsCompleteResponse } from '../events';
import { logCall } from '../log';
import { withinIamPropagation } from '../operation-timeout';
import type { ResourceHandlers } from '../resource-handlers';
import { errorName, isRetryable } from '../service-errors';
import { startExecution } from '../state-machine-api';
import { executionName, isLongRequest, longWaitOf, waiterRequest } from './long-wait-event';
import type { Outcome, WaiterState } from './waiter-state';

const WAIT: IsCompleteResponse = { IsComplete: false };

/**
 * isComplete for every resource type. A long request (see isLongRequest) is
 * handed over to the background waiter once its operation has started: the
 * custom resource then completes at once, with the attributes as they are
 * now, and the waiter asks the same isComplete until the operation ends,
 * then signals the resource's WaitCondition. Until then, and for every short
 * request, the provider framework polls as usual.
 */
export async function completeOrHandOver(event: IsCompleteRequest, handlers: ResourceHandlers): Promise<IsCompleteResponse> {
  const response = await handlers.isComplete(event);
  if (!isLongRequest(event)) {
    return response;
  }
  if (response.IsComplete) {
    // Done already (nothing to change): the condition, created once the resource answers, still needs its signal.
    return await handOver(event, { Status: 'SUCCESS', Detail: JSON.stringify(response.Data ?? {}) }) ? response : WAIT;
  }
  const provisional = await handlers.provisional(event);
  if (!provisional) {
    return WAIT; // the operation is not under way yet: the domain does not list it
  }
  return await handOver(event) ? provisional : WAIT;
}

/**
 * Starts the waiter's execution, unless it has nothing to do (an ended
 * operation that no condition waits for). False when Step Functions cannot
 * take it yet (throttled, or a new permission still reaching IAM): the
 * framework asks again.
 */
async function handOver(event: IsCompleteRequest, outcome?: Outcome): Promise<boolean> {
  const ids = event.RequestType === 'Delete' ? undefined : longWaitOf(event.ResourceProperties);
  if (outcome && !ids) {
    return true;
  }
  const signal = ids && { Handle: ids.Handle, Condition: ids.Condition };
  // A long request names a waiter in its properties or, going back to a short timeout, in its old ones.
  const waiter = (longWaitOf(event.ResourceProperties) ?? longWaitOf(event.OldResourceProperties))!.Waiter;
  const state: WaiterState = { Request: waiterRequest(event), Signal: signal, Outcome: outcome };
  const input = JSON.stringify(state);
  const name = executionName(event, input);
  try {
    await startExecution(waiter, name, input);
  } catch (error) {
    if (isRetryable(error) || (errorName(error) === 'AccessDeniedException' && withinIamPropagation())) {
      return false;
    }
    // The name is a hash of the input: an execution of that name, running or ended, is this one.
    if (errorName(error) !== 'ExecutionAlreadyExists') {
      throw error;
    }
  }
  logCall({ operation: 'LongWait', outcome: 'handed over', detail: `${event.LogicalResourceId} ${event.RequestType} continues in execution ${name}` });
  return true;
}
