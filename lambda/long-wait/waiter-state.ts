import type { IsCompleteRequest } from '../events';
import type { LongWaitIds } from './long-wait-event';

/**
 * The state a waiter execution carries from one step to the next (its input
 * and each step's output). Nothing in it is secret: the request without the
 * framework's response URL, and the WaitCondition by logical ids.
 */
export interface WaiterState {
  /** The isComplete request the waiter keeps asking, as the provider framework would (absent in a clean-up). */
  readonly Request?: IsCompleteRequest;
  /** The condition to signal once the operation ends; absent for a Delete or a rollback, which nothing waits for. */
  readonly Signal?: Pick<LongWaitIds, 'Handle' | 'Condition'>;
  /** Set instead of the above in the clean-up execution the waiter's own Delete starts. */
  readonly CleanUp?: CleanUp;
  /** How the operation ended, once it has. */
  readonly Outcome?: Outcome;
  /** Polls made so far (those that found the operation still running). */
  readonly Polls?: number;
  /** Signal attempts made while CloudFormation had not created the condition yet. */
  readonly SignalAttempts?: number;
  /** What the workflow does next: wait `WaitSeconds`, then step again; end; or delete the waiter (clean-up only). */
  readonly Next?: 'wait' | 'done' | 'clean-up';
  readonly WaitSeconds?: number;
  /** Why the execution ended without a signal, or `signalled`. */
  readonly Ended?: string;
}

export interface Outcome {
  readonly Status: 'SUCCESS' | 'FAILURE';
  /** SUCCESS: the resource's attributes as JSON; FAILURE: the handler's failure message. */
  readonly Detail: string;
}

/** What the clean-up execution waits for before the workflow deletes the waiter. */
export interface CleanUp {
  /** The stack whose operation must have ended. */
  readonly StackId: string;
  /** The waiter, whose other executions must have ended. */
  readonly StateMachine: string;
  /** This execution's own name. */
  readonly Execution: string;
}
