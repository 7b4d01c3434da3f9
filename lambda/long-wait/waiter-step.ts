import { CLEAN_UP_CHECK_SECONDS, POLL_SECONDS, SIGNAL_RETRY_SECONDS } from '../../lib/long-wait-contract';
import { stackStatus } from '../cloudformation-api';
import type { IsCompleteResponse } from '../events';
import { asReported } from '../handler-failure';
import { logCall } from '../log';
import { handlersFor } from '../resource-handlers';
import { runningExecutions } from '../state-machine-api';
import { signal, SignalResult, waitState, WaitState } from './signal';
import type { CleanUp, Outcome, WaiterState } from './waiter-state';

/** Polls (of 30 s) during which a condition the stack does not list counts as not created yet: 10 minutes. */
const NOT_CREATED_POLLS = 20;

/** How many times a signal is tried while the condition is not created yet, or the send failed: about 10 minutes. */
const SIGNAL_ATTEMPTS = 60;

/**
 * One step of the waiter's workflow: ask isComplete once, as the provider
 * framework would; once the operation has ended, signal the condition. It
 * never throws: every answer, failures included, goes into the state, so the
 * workflow always ends with a decision.
 */
export async function waiterStep(state: WaiterState): Promise<WaiterState> {
  if (state.CleanUp) {
    return cleanUpStep(state, state.CleanUp);
  }
  // The stack is read once per step: whether it still waits decides both polling and signalling.
  const wait = state.Signal ? await readWaitState(state) : undefined;
  const superseded = state.Outcome ? undefined : noLongerAsked(state, wait);
  if (superseded) {
    logCall({ operation: 'LongWait', outcome: 'superseded', detail: `${state.Request!.LogicalResourceId} ${state.Request!.RequestType}: ${superseded}; stopped` });
    return { ...state, Next: 'done', Ended: superseded };
  }
  const outcome = state.Outcome ?? await poll(state);
  if (!outcome) {
    return { ...state, Next: 'wait', WaitSeconds: POLL_SECONDS, Polls: (state.Polls ?? 0) + 1 };
  }
  if (!state.Signal) {
    report(state, outcome, 'no condition waits for it');
    return { ...state, Outcome: outcome, Next: 'done', Ended: 'nothing to signal' };
  }
  const result = await signalFor(state, wait, outcome);
  const attempts = (state.SignalAttempts ?? 0) + 1;
  if (result.sent === 'retry' && attempts < SIGNAL_ATTEMPTS) {
    return { ...state, Outcome: outcome, SignalAttempts: attempts, Next: 'wait', WaitSeconds: SIGNAL_RETRY_SECONDS };
  }
  report(state, outcome, `${result.sent}: ${result.why}`);
  return { ...state, Outcome: outcome, SignalAttempts: attempts, Next: 'done', Ended: result.sent === 'signalled' ? 'signalled' : result.why };
}

/** Whether the stack still waits for this execution's condition; undefined when CloudFormation could not be read. */
async function readWaitState(state: WaiterState): Promise<WaitState | undefined> {
  try {
    return await waitState(state.Request!.StackId ?? '', state.Signal!);
  } catch {
    return undefined; // the next step asks again
  }
}

/**
 * Why the stack no longer waits for this execution's condition, if it does
 * not: the stack rolled back, or a later operation started after this one
 * ended without it. The execution then stops before it writes anything (an
 * isComplete may retry a write the domain refused while busy). A condition
 * the stack does not list is taken as not created yet during the first polls
 * only.
 */
function noLongerAsked(state: WaiterState, wait: WaitState | undefined): string | undefined {
  if (wait?.asked === 'no') {
    return wait.why;
  }
  return wait?.asked === 'not yet' && (state.Polls ?? 0) >= NOT_CREATED_POLLS ? `${wait.why} after ${state.Polls} polls` : undefined;
}

/** The operation's end, or undefined while it runs. */
async function poll(state: WaiterState): Promise<Outcome | undefined> {
  let response: IsCompleteResponse;
  try {
    response = await handlersFor(state.Request!).isComplete(state.Request!);
  } catch (error) {
    return { Status: 'FAILURE', Detail: error instanceof Error ? error.message : asReported(String(error)) };
  }
  return response.IsComplete ? { Status: 'SUCCESS', Detail: JSON.stringify(response.Data ?? {}) } : undefined;
}

/** Signals the condition as `wait` found it: sent, not wanted any more, or to try again (not created yet, or unread). */
async function signalFor(state: WaiterState, wait: WaitState | undefined, outcome: Outcome): Promise<SignalResult> {
  if (!wait) {
    return { sent: 'retry', why: 'CloudFormation could not be read' };
  }
  return wait.asked === 'yes'
    ? signal(wait.url, state.Request!.LogicalResourceId ?? 'resource', outcome, state.Signal!.Condition)
    : { sent: wait.asked === 'no' ? 'superseded' : 'retry', why: wait.why };
}

/** One line for the log: what the background operation came to, and whether the stack was told. */
function report(state: WaiterState, outcome: Outcome, told: string): void {
  const request = state.Request!;
  logCall({
    operation: 'LongWait',
    outcome: outcome.Status === 'SUCCESS' ? 'ok' : 'failed',
    detail: `${request.LogicalResourceId} ${request.RequestType} ${outcome.Status === 'SUCCESS' ? 'completed' : `failed: ${outcome.Detail}`}; ${told}`,
  });
}

/**
 * The clean-up execution: once the stack operation that removed the waiter
 * has ended and no other execution runs (a withdrawal may still wait for a
 * busy domain), the workflow deletes the waiter. Until then it checks again.
 */
async function cleanUpStep(state: WaiterState, cleanUp: CleanUp): Promise<WaiterState> {
  const waitFor = await stillRunning(cleanUp).catch((error: Error) => `an answer (${error.name})`);
  if (waitFor) {
    return { ...state, Next: 'wait', WaitSeconds: CLEAN_UP_CHECK_SECONDS, Ended: `waiting for ${waitFor}` };
  }
  logCall({ operation: 'LongWait', outcome: 'ok', detail: `no execution runs and the stack operation has ended: the waiter ${cleanUp.StateMachine} deletes itself` });
  return { ...state, Next: 'clean-up', Ended: 'cleaned up' };
}

/** What the clean-up still waits for, or undefined. */
async function stillRunning(cleanUp: CleanUp): Promise<string | undefined> {
  const status = await stackStatus(cleanUp.StackId);
  if (status?.endsWith('_IN_PROGRESS')) {
    return `the stack operation (${status})`;
  }
  const others = (await runningExecutions(cleanUp.StateMachine)).filter((name) => name !== cleanUp.Execution);
  return others.length > 0 ? `${others.length} execution(s): ${others.slice(0, 3).join(', ')}` : undefined;
}
