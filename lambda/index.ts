/**
 * The handler's entry points, named in the Lambda functions' `Handler`
 * (`index.onEvent`, `index.isComplete`): each event goes to the module of its
 * resource type, under the invocation's deadline.
 */
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './events';
import { withDeadline } from './invocation-deadline';
import { handlersFor } from './resource-handlers';

export const onEvent = (event: OnEventRequest): Promise<OnEventResponse> => withDeadline(() => handlersFor(event).onEvent(event));

export const isComplete = (event: IsCompleteRequest): Promise<IsCompleteResponse> => withDeadline(() => handlersFor(event).isComplete(event));
