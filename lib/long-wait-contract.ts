/**
 * What the construct and the handler agree on for long waits (`timeout`
 * above 55 minutes): property and variable names, and the waiter's pace.
 * Plain values only: the handler bundle imports this file.
 */

/**
 * The custom resource's property naming its WaitCondition pair by logical ids
 * and the waiter that signals it: `{ Handle, Condition, Waiter }`.
 */
export const LONG_WAIT_PROPERTY = 'LongWait';

/** The type of the waiter's own custom resource, whose Delete starts the waiter's clean-up. */
export const WAITER_RESOURCE_TYPE = 'Custom::OpenSearchPackagesWaiter';

/** Seconds between two checks of a clean-up execution waiting for the others and for the stack operation to end. */
export const CLEAN_UP_CHECK_SECONDS = 60;

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
