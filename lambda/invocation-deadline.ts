import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every invocation gets this long for its service calls, well inside the
 * functions' two-minute timeout. A call still unanswered then is aborted and
 * counts as retryable, so a hanging service makes isComplete answer "not
 * complete yet" instead of timing out the Lambda function, which the provider
 * framework would report as a failure.
 */
const BUDGET_MS = 60_000;

const deadlines = new AsyncLocalStorage<number>();

/** Runs one handler invocation under its own deadline (concurrent invocations in one process stay apart). */
export function withDeadline<T>(invocation: () => Promise<T>): Promise<T> {
  return deadlines.run(Date.now() + BUDGET_MS, invocation);
}

/** The SDK `send` options that abort a call at the invocation's deadline. */
export function callOptions(): { abortSignal: AbortSignal } {
  const deadline = deadlines.getStore() ?? Date.now() + BUDGET_MS;
  return { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) };
}
