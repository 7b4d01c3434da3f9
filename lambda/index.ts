/**
 * The handler's entry points, named in the Lambda functions' `Handler`
 * (`index.onEvent`, `index.isComplete`): each event goes to the module of its
 * resource type, under the invocation's deadline. A failure leaves fitted to
 * the response the provider framework builds from it for this event.
 */
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './events';
import { fittedToResponse, ResponseFields } from './failure-response';
import { withDeadline } from './invocation-deadline';
import { handlersFor } from './resource-handlers';

export const onEvent = (event: OnEventRequest): Promise<OnEventResponse> => answer(event, () => handlersFor(event).onEvent(event));

export const isComplete = (event: IsCompleteRequest): Promise<IsCompleteResponse> => answer(event, () => handlersFor(event).isComplete(event));

async function answer<T>(event: ResponseFields, invocation: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(invocation);
  } catch (error) {
    throw fittedToResponse(error, event);
  }
}
