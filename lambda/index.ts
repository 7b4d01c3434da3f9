/**
 * The handler's entry points, named in the Lambda functions' `Handler`
 * (`index.onEvent`, `index.isComplete`, and the long waiter's
 * `index.waiterStep`): each event goes to the module of its
 * resource type, under the invocation's deadline. A failure leaves fitted to
 * the response the provider framework builds from it for this event.
 */
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './events';
import { fittedToResponse, ResponseFields } from './failure-response';
import { withDeadline } from './invocation-deadline';
import { completeOrHandOver } from './long-wait/hand-over';
import { checkLongWaitRenamed } from './long-wait/renamed-wait';
import type { WaiterState } from './long-wait/waiter-state';
import { waiterStep as step } from './long-wait/waiter-step';
import { handlersFor } from './resource-handlers';

export const onEvent = (event: OnEventRequest): Promise<OnEventResponse> => answer(event, async () => {
  await checkLongWaitRenamed(event);
  return handlersFor(event).onEvent(event);
});

export const isComplete = (event: IsCompleteRequest): Promise<IsCompleteResponse> =>
  answer(event, () => completeOrHandOver(event, handlersFor(event)));

/** One step of the long waiter's workflow (see long-wait/waiter-step.ts); it never throws. */
export const waiterStep = (state: WaiterState): Promise<WaiterState> => withDeadline(() => step(state));

async function answer<T>(event: ResponseFields, invocation: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(invocation);
  } catch (error) {
    throw fittedToResponse(error, event);
  }
}
