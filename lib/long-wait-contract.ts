/**
 * What the construct and the handler agree on for long waits (`timeout`
 * above 55 minutes): property and variable names, and the waiter's pace.
 * Plain values only: the handler bundle imports this file.
 */

/** The custom resource's property naming its WaitCondition pair: `{ Handle, Condition }`, logical ids. */
export const LONG_WAIT_PROPERTY = 'LongWait';

/** The isComplete handler's environment variable holding the waiter's state machine ARN. */
export const WAITER_ARN_VARIABLE = 'LONG_WAIT_STATE_MACHINE_ARN';

/**
 * Seconds between two steps of the waiter. Each poll costs 3 state
 * transitions and about 9 history events: 12 hours (1,440 polls) stay far
 * below a standard workflow's 25,000-event history and cost about $0.11.
 */
export const POLL_SECONDS = 30;

/** Seconds between two attempts to signal a condition CloudFormation has not created yet. */
export const SIGNAL_RETRY_SECONDS = 10;

/** The waiter state's fields the workflow reads: what to do next, and how long to wait first. */
export const NEXT_FIELD = 'Next';
export const WAIT_SECONDS_FIELD = 'WaitSeconds';

/** A logical id as CloudFormation takes it. */
export const LOGICAL_ID_PATTERN = /^[A-Za-z0-9]{1,255}$/;
