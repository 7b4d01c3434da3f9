/**
 * One custom resource operation as aws-cdk-lib's provider framework runs it
 * (custom-resources/lib/provider-framework/runtime/framework.js and the waiter state machine):
 * onEvent once; its answer merged into the request; isComplete at once, then retried every
 * query interval up to totalTimeout / queryInterval times; then "Operation timed out".
 *
 * Every answer goes to CloudFormation as the framework's response (see cloudformation-response.ts), which
 * CloudFormation refuses above 4,096 bytes.
 *
 * The one simulator of the framework: the local CloudFormation player and the handler tests
 * (test/handler/handler-harness.ts) both run their operations through runProviderOperation.
 */
import { CREATE_FAILED_MARKER, failedResponse, ResourceFailure, RESPONSE_TOO_LONG, responseBody, withinLimit } from './cloudformation-response';
import type { CustomResourceHandlers, CustomResourceRequest } from './custom-resource-events';
import { messageOf } from './error-message';

export { CREATE_FAILED_MARKER, ResourceFailure } from './cloudformation-response';

/** Lambda's longest function name: the framework's `Logs:` line names the user function. */
export const LONGEST_FUNCTION_NAME = 'stack-ProviderHandler'.padEnd(64, '0');

export interface WaiterTiming {
  readonly queryIntervalMs: number;
  readonly totalTimeoutMs: number;
}

export interface ProviderOptions {
  /** Lets `ms` pass between two isComplete calls. @default sleep (real time) */
  readonly wait?: (ms: number) => Promise<void>;
  /** The user functions' name, which the FAILED reason's `Logs:` line shows. @default LONGEST_FUNCTION_NAME */
  readonly functionName?: string;
}

export interface OperationResult {
  /** What CloudFormation records: onEvent's physical id, unless isComplete answered one. */
  readonly physicalResourceId: string;
  /** onEvent's Data, then isComplete's. */
  readonly data: Record<string, string>;
  /** onEvent's answer as the framework received it; undefined when the framework answered without calling the handlers. */
  readonly onEventAnswer?: Record<string, unknown>;
  /** The isComplete answer that completed the operation; undefined as onEventAnswer. */
  readonly isCompleteAnswer?: Record<string, unknown>;
  /** How many times isComplete was called (the call at once included). */
  readonly isCompleteCalls: number;
}

export async function runProviderOperation(
  handlers: CustomResourceHandlers,
  request: CustomResourceRequest,
  timing: WaiterTiming,
  options: ProviderOptions = {},
): Promise<OperationResult> {
  // The framework's safeHandler answers a Delete of a create that failed early without calling the handler.
  if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_MARKER) {
    return { physicalResourceId: CREATE_FAILED_MARKER, data: {}, isCompleteCalls: 0 };
  }
  const functionName = options.functionName ?? LONGEST_FUNCTION_NAME;
  const { answer, waiterInput } = await startOperation(handlers, request, functionName);
  return { onEventAnswer: answer, ...await waitForCompletion(handlers, waiterInput, timing, options.wait ?? sleep, functionName) };
}

async function startOperation(
  handlers: CustomResourceHandlers,
  request: CustomResourceRequest,
  functionName: string,
): Promise<{ answer: Record<string, unknown>; waiterInput: Record<string, unknown> }> {
  let answer: Record<string, unknown>;
  try {
    answer = (await invoke((event) => handlers.onEvent(event), request, functionName)) ?? {};
  } catch (error) {
    // safeHandler: a Create that failed before answering reports the marker, whose Delete it skips.
    const event = { ...request, PhysicalResourceId: request.PhysicalResourceId ?? CREATE_FAILED_MARKER };
    throw handlerFailure(event, error);
  }
  const physicalId = stringOr(answer.PhysicalResourceId, request.PhysicalResourceId ?? request.RequestId);
  if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
    const reason = `DELETE: cannot change the physical resource ID from "${request.PhysicalResourceId}" to "${physicalId}" during deletion`;
    throw failedResponse({ ...request }, reason, reason);
  }
  return { answer, waiterInput: { ...request, ...answer, PhysicalResourceId: physicalId } };
}

async function waitForCompletion(
  handlers: CustomResourceHandlers,
  input: Record<string, unknown>,
  timing: WaiterTiming,
  wait: (ms: number) => Promise<void>,
  functionName: string,
): Promise<Omit<OperationResult, 'onEventAnswer'>> {
  // The waiter's Retry: MaxAttempts = totalTimeout / queryInterval retries after the first call.
  const retries = Math.max(1, Math.floor(timing.totalTimeoutMs / timing.queryIntervalMs));
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      await wait(timing.queryIntervalMs);
    }
    let answer: Record<string, unknown>;
    try {
      answer = (await invoke((event) => handlers.isComplete(event), input, functionName)) ?? {};
    } catch (error) {
      throw handlerFailure(input, error);
    }
    const data = answer.Data as Record<string, string> | undefined;
    if (answer.IsComplete === true) {
      return completed(input, answer, attempt + 1);
    }
    if (data && Object.keys(data).length > 0) {
      const reason = '"Data" is not allowed if "IsComplete" is "False"';
      throw failedResponse(input, reason, reason);
    }
  }
  throw failedResponse(input, 'Operation timed out', 'Operation timed out'); // the waiter's onTimeout
}

/** The framework answers CloudFormation with { ...request, ...isCompleteResult }: a physical id there wins. */
function completed(input: Record<string, unknown>, answer: Record<string, unknown>, calls: number): Omit<OperationResult, 'onEventAnswer'> {
  const data = { ...(input.Data as Record<string, string> | undefined), ...(answer.Data as Record<string, string> | undefined) };
  const physicalResourceId = stringOr(answer.PhysicalResourceId, String(input.PhysicalResourceId));
  const body = responseBody('SUCCESS', { ...input, ...answer, PhysicalResourceId: physicalResourceId, Data: data });
  if (!withinLimit(body)) {
    throw new ResourceFailure(RESPONSE_TOO_LONG, physicalResourceId, undefined, body);
  }
  return { physicalResourceId, data, isCompleteAnswer: answer, isCompleteCalls: calls };
}

/** The FAILED response for what a user function threw: its reason is the framework's error's stack (safeHandler). */
function handlerFailure(event: Record<string, unknown>, error: unknown): ResourceFailure {
  const thrown = error instanceof FunctionError ? error.thrown : error;
  return failedResponse(event, error instanceof FunctionError ? error.reason : messageOf(error), messageOf(thrown), thrown);
}

/**
 * What the framework makes of a user function's error (framework.js, invokeUserFunction), from what the
 * Node.js Lambda runtime reports of it (toRapidResponse: the message and the stack's lines, DEL as `%7F`):
 * the message, a `Logs:` line, then every line of the trace but its first.
 */
class FunctionError extends Error {
  readonly reason: string;

  constructor(readonly thrown: unknown, functionName: string) {
    const reported = (text: string) => text.replace(/\x7F/g, '%7F');
    const errorMessage = thrown instanceof Error ? reported(thrown.message) : String(thrown);
    const trace = thrown instanceof Error ? reported(thrown.stack ?? '').split('\n') : [];
    const message = [errorMessage || 'error', '', `Logs: /aws/lambda/${functionName}`, ''].join('\n');
    super(message);
    this.reason = [message, ...trace.slice(1)].join('\n');
  }
}

/** Lambda passes JSON both ways: neither side can share objects with the other. */
async function invoke(
  handler: (event: unknown) => Promise<unknown>, event: unknown, functionName: string,
): Promise<Record<string, unknown> | undefined> {
  let answer: unknown;
  try {
    answer = await handler(JSON.parse(JSON.stringify(event)));
  } catch (error) {
    throw new FunctionError(error, functionName);
  }
  return answer === undefined || answer === null ? undefined : JSON.parse(JSON.stringify(answer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
