import type { OnEventRequest, OnEventResponse, RequestType } from './events';
import { FailureSubject, HandlerFailure } from './handler-failure';
import { currentOperation, enterOperation, OperationWindow } from './invocation-deadline';

/**
 * The timeout of an operation: the resource's `Timeout` property (whole
 * seconds), counted from when onEvent started the operation.
 */

/** For resources deployed before `Timeout` existed: the construct's default, 50 minutes. */
export const DEFAULT_TIMEOUT_SECONDS = 3000;

/** An AccessDeniedException this soon after the operation started may be a new policy still reaching IAM. */
export const IAM_PROPAGATION_MS = 30_000;

/** Whole seconds, positive. Any such value is honoured: the synth-time range is for users, tests use seconds. */
export function timeoutSecondsOf(properties: Record<string, unknown> | undefined, subject?: FailureSubject): number {
  const value = properties?.Timeout;
  if (value === undefined) {
    return DEFAULT_TIMEOUT_SECONDS;
  }
  const text = String(value);
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new HandlerFailure('InvalidProperty', `Timeout: ${JSON.stringify(value)} must be a positive whole number of seconds`, subject);
  }
  return Number(text);
}

/**
 * Enters the operation `event` belongs to: started now (onEvent) or at its
 * `StartedAt` (isComplete). Returns its window.
 */
export function enterOperationOf(event: { readonly StartedAt?: string; readonly ResourceProperties?: Record<string, unknown> }): OperationWindow {
  const startedAt = event.StartedAt === undefined ? Date.now() : Date.parse(event.StartedAt);
  const start = Number.isNaN(startedAt) ? Date.now() : startedAt;
  const window = { startedAt: start, deadline: start + timeoutSecondsOf(event.ResourceProperties) * 1000 };
  enterOperation(window);
  return window;
}

/** Whether the current operation's timeout has passed. */
export function timedOut(): boolean {
  const operation = currentOperation();
  return operation !== undefined && Date.now() >= operation.deadline;
}

/** Whether the current operation started less than the IAM propagation delay ago. */
export function withinIamPropagation(): boolean {
  const operation = currentOperation();
  return operation !== undefined && Date.now() - operation.startedAt < IAM_PROPAGATION_MS;
}

/** The operation's timeout as a person reads it: `50 minutes`, `90 seconds`. */
export function timeoutText(): string {
  const operation = currentOperation();
  const seconds = operation ? Math.round((operation.deadline - operation.startedAt) / 1000) : DEFAULT_TIMEOUT_SECONDS;
  return seconds % 60 === 0 ? plural(seconds / 60, 'minute') : plural(seconds, 'second');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** `Timeout: <what it was waiting for>`, naming what it is about. */
export function timeoutFailure(waitingFor: string, subject: FailureSubject): HandlerFailure {
  return new HandlerFailure('Timeout', waitingFor, subject);
}

/** What a resource type does on each request type. */
export type RequestHandlers = Readonly<Record<RequestType, (event: OnEventRequest) => Promise<OnEventResponse>>>;

/**
 * onEvent of every resource type: starts the operation the request asks for,
 * its timeout counting from now, and tells isComplete when that was
 * (`StartedAt`).
 */
export async function startOperation(event: OnEventRequest, handlers: RequestHandlers): Promise<OnEventResponse> {
  const startedAt = new Date(enterOperationOf(event).startedAt).toISOString();
  const handle = handlers[event.RequestType];
  if (!handle) {
    throw new HandlerFailure('InvalidRequest', `unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
  return { ...(await handle(event)), StartedAt: startedAt };
}
