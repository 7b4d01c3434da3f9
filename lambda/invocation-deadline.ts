import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every invocation gets this long for its service calls, well inside the
 * functions' two-minute timeout. A call still unanswered then is aborted and
 * counts as retryable, so a hanging service makes isComplete answer "not
 * complete yet" instead of timing out the Lambda function, which the provider
 * framework would report as a failure.
 */
const BUDGET_MS = 60_000;

/** The operation an invocation works on: when it started and when it gives up (epoch ms, the function's clock). */
export interface OperationWindow {
  readonly startedAt: number;
  readonly deadline: number;
}

interface InvocationTime {
  readonly deadline: number;
  operation?: OperationWindow;
}

const invocations = new AsyncLocalStorage<InvocationTime>();

/** Runs one handler invocation under its own deadline (concurrent invocations in one process stay apart). */
export function withDeadline<T>(invocation: () => Promise<T>): Promise<T> {
  return invocations.run({ deadline: Date.now() + BUDGET_MS }, invocation);
}

/** Records the operation this invocation works on: writes are not sent, and are aborted, past its deadline. */
export function enterOperation(window: OperationWindow): void {
  const current = invocations.getStore();
  if (current) {
    current.operation = window;
  }
}

/** The operation this invocation works on, once entered. */
export function currentOperation(): OperationWindow | undefined {
  return invocations.getStore()?.operation;
}

/** The SDK `send` options of a read: aborted at the invocation's deadline. */
export function callOptions(): { abortSignal: AbortSignal } {
  return abortAt(invocations.getStore()?.deadline ?? Date.now() + BUDGET_MS);
}

/**
 * The SDK `send` options of a write (AssociatePackage, DissociatePackage):
 * aborted, with the SDK's retries, at the invocation's or the operation's
 * deadline, whichever comes first. Undefined once the operation's deadline
 * has passed: such a write must not be sent at all.
 */
export function writeOptions(): { abortSignal: AbortSignal } | undefined {
  const store = invocations.getStore();
  const operationDeadline = store?.operation?.deadline ?? Infinity;
  if (Date.now() >= operationDeadline) {
    return undefined;
  }
  return abortAt(Math.min(store?.deadline ?? Date.now() + BUDGET_MS, operationDeadline));
}

function abortAt(deadline: number): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) };
}
