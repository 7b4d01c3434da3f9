/**
 * The association handler's entry points, named in the Lambda functions'
 * `Handler` (`index.onEvent`, `index.isComplete`).
 */
export { onEvent } from './on-event';
export { isComplete } from './is-complete';
