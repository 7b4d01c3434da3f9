/**
 * One custom resource operation as aws-cdk-lib's provider framework runs it
 * (custom-resources/lib/provider-framework/runtime/framework.js and the waiter state machine):
 * onEvent once; its answer merged into the request; isComplete at once, then retried every
 * query interval up to totalTimeout / queryInterval times; then "Operation timed out".
 *
 * The one simulator of the framework: the local CloudFormation player and the handler tests
 * (test/handler/handler-harness.ts) both run their operations through runProviderOperation.
 */
import type { CustomResourceHandlers, CustomResourceRequest } from './custom-resource-events';
import { messageOf } from './error-message';

/** The id the framework reports when a Create failed before onEvent answered; its Delete is skipped. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

export interface WaiterTiming {
  readonly queryIntervalMs: number;
  readonly totalTimeoutMs: number;
}

export interface ProviderOptions {
  /** Lets `ms` pass between two isComplete calls. @default sleep (real time) */
  readonly wait?: (ms: number) => Promise<void>;
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

/** A FAILED response: CloudFormation records the reason and, for a Create, the physical id. */
export class ResourceFailure extends Error {
  /** @param cause what the handler threw, when the failure is the handler's */
  constructor(message: string, public readonly physicalResourceId: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ResourceFailure';
  }
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
  const { answer, waiterInput } = await startOperation(handlers, request);
  return { onEventAnswer: answer, ...await waitForCompletion(handlers, waiterInput, timing, options.wait ?? sleep) };
}

async function startOperation(
  handlers: CustomResourceHandlers,
  request: CustomResourceRequest,
): Promise<{ answer: Record<string, unknown>; waiterInput: Record<string, unknown> }> {
  let answer: Record<string, unknown>;
  try {
    answer = (await invoke((event) => handlers.onEvent(event), request)) ?? {};
  } catch (error) {
    throw new ResourceFailure(messageOf(error), request.PhysicalResourceId ?? CREATE_FAILED_MARKER, error);
  }
  const physicalId = stringOr(answer.PhysicalResourceId, request.PhysicalResourceId ?? request.RequestId);
  if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
    throw new ResourceFailure(
      `DELETE: cannot change the physical resource ID from "${request.PhysicalResourceId}" to "${physicalId}" during deletion`,
      request.PhysicalResourceId ?? physicalId,
    );
  }
  return { answer, waiterInput: { ...request, ...answer, PhysicalResourceId: physicalId } };
}

async function waitForCompletion(
  handlers: CustomResourceHandlers,
  input: Record<string, unknown>,
  timing: WaiterTiming,
  wait: (ms: number) => Promise<void>,
): Promise<Omit<OperationResult, 'onEventAnswer'>> {
  const physicalId = String(input.PhysicalResourceId);
  // The waiter's Retry: MaxAttempts = totalTimeout / queryInterval retries after the first call.
  const retries = Math.max(1, Math.floor(timing.totalTimeoutMs / timing.queryIntervalMs));
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      await wait(timing.queryIntervalMs);
    }
    let answer: Record<string, unknown>;
    try {
      answer = (await invoke((event) => handlers.isComplete(event), input)) ?? {};
    } catch (error) {
      throw new ResourceFailure(messageOf(error), physicalId, error);
    }
    const data = answer.Data as Record<string, string> | undefined;
    if (answer.IsComplete === true) {
      // The framework answers CloudFormation with { ...request, ...isCompleteResult }: a physical id there wins.
      return {
        physicalResourceId: stringOr(answer.PhysicalResourceId, physicalId),
        data: { ...(input.Data as Record<string, string> | undefined), ...data },
        isCompleteAnswer: answer,
        isCompleteCalls: attempt + 1,
      };
    }
    if (data && Object.keys(data).length > 0) {
      throw new ResourceFailure('"Data" is not allowed if "IsComplete" is "False"', physicalId);
    }
  }
  throw new ResourceFailure('Operation timed out', physicalId);
}

/** Lambda passes JSON both ways: neither side can share objects with the other. */
async function invoke(handler: (event: unknown) => Promise<unknown>, event: unknown): Promise<Record<string, unknown> | undefined> {
  const answer = await handler(JSON.parse(JSON.stringify(event)));
  return answer === undefined || answer === null ? undefined : JSON.parse(JSON.stringify(answer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
