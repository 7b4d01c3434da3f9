/**
 * The association handler's entry points, named in the Lambda functions'
 * `Handler` (`index.onEvent`, `index.isComplete`).
 */
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './events';
import { withDeadline } from './invocation-deadline';
import { isComplete as completion } from './is-complete';
import { onEvent as start } from './on-event';

export const onEvent = (event: OnEventRequest): Promise<OnEventResponse> => withDeadline(() => start(event));

export const isComplete = (event: IsCompleteRequest): Promise<IsCompleteResponse> => withDeadline(() => completion(event));
