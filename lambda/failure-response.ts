/**
 * The handler's failures, fitted to the response that reports them. aws-cdk-lib's provider framework
 * (custom-resources/lib/provider-framework/runtime: framework.js, cfn-response.js) answers CloudFormation
 * with the JSON `{Status, Reason, StackId, RequestId, PhysicalResourceId, LogicalResourceId, NoEcho, Data}`
 * of the event it called the handler with, Reason being the error's message, `\n\nLogs: /aws/lambda/<the
 * handler's function name>\n`, and every line of the error's trace after its first. CloudFormation takes at
 * most 4,096 bytes of that JSON; a longer one fails the resource with "Response object is too long.", and
 * the user never sees the reason.
 */
import { asReported, fitMessage, HandlerFailure } from './handler-failure';
import { logCall } from './log';
import { RESPONSE_LIMIT_BYTES } from '../lib/set-response-size';

/** Lambda's longest function name: the budget when the environment does not name the function. */
const LONGEST_FUNCTION_NAME = 'f'.repeat(64);

/** The framework's stand-ins for a missing physical id (cfn-response.js); the longer of the two. */
const MISSING_PHYSICAL_ID = 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID';

/** What of the event the framework copies into its response. */
export interface ResponseFields {
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly PhysicalResourceId?: string;
  readonly LogicalResourceId?: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, unknown>;
}

/**
 * `error`, its message cut to what the FAILED response for `event` has room for, and its stack one line
 * (the framework would append further lines). A HandlerFailure keeps its name and subject; any other error
 * is a bug or an unexpected answer, whose full text and frames go to the log first.
 */
export function fittedToResponse(error: unknown, event: ResponseFields): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const budget = reasonBudget(event);
  const message = failure instanceof HandlerFailure ? failure.fitted(budget) : fitMessage('', asReported(failure.message), '', budget);
  if (message !== failure.message || !(failure instanceof HandlerFailure)) {
    logCall({ operation: 'Response', outcome: 'fitted', detail: failure.stack ?? failure.message });
  }
  failure.message = message;
  failure.stack = message;
  return failure;
}

/**
 * The bytes left for the error's message: 4,096 less the response around it. The framework names the
 * log group after the function (the last part of its ARN), whatever log group the function writes to.
 */
function reasonBudget(event: ResponseFields): number {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || LONGEST_FUNCTION_NAME;
  const body = JSON.stringify({
    Status: 'FAILED',
    Reason: `\n\nLogs: /aws/lambda/${functionName}\n`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    PhysicalResourceId: event.PhysicalResourceId || MISSING_PHYSICAL_ID,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: event.NoEcho ? true : undefined,
    Data: event.Data,
  });
  return RESPONSE_LIMIT_BYTES - Buffer.byteLength(body);
}
