/**
 * The response the provider framework PUTs to CloudFormation's response URL (aws-cdk-lib
 * custom-resources/lib/provider-framework/runtime/cfn-response.js, submitResponse), and how
 * CloudFormation takes it: a body over 4,096 bytes fails the resource with "Response object is too
 * long." (the limit is inclusive: awsdocs/aws-cloudformation-user-guide pull request 262), and the
 * handler's reason is lost.
 */
import { RESPONSE_LIMIT_BYTES } from '../lib/set-response-size';

/** The id the framework reports when a Create failed before onEvent answered; its Delete is skipped. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** The id the framework reports for any other event without one. */
export const MISSING_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID';

/** What CloudFormation shows instead of a response over the limit. */
export const RESPONSE_TOO_LONG = 'Response object is too long.';

/** A FAILED response: CloudFormation records the reason and, for a Create, the physical id. */
export class ResourceFailure extends Error {
  /**
   * @param message what CloudFormation shows (the handler's message, not the framework's whole reason)
   * @param cause what the handler threw, when the failure is the handler's and CloudFormation took its response
   * @param response the body the framework sent, when it sent one
   */
  constructor(message: string, public readonly physicalResourceId: string, cause?: unknown, public readonly response?: string) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ResourceFailure';
  }
}

export type ResponseStatus = 'SUCCESS' | 'FAILED';

/** The JSON body of submitResponse, for the event the framework holds (with the handler's answer merged in). */
export function responseBody(status: ResponseStatus, event: Record<string, unknown>, reason?: string): string {
  return JSON.stringify({
    Status: status,
    Reason: reason || status,
    StackId: event.StackId,
    RequestId: event.RequestId,
    PhysicalResourceId: event.PhysicalResourceId || MISSING_PHYSICAL_ID_MARKER,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: event.NoEcho ? true : undefined,
    Data: event.Data,
  });
}

/** Whether CloudFormation takes the body. */
export function withinLimit(body: string): boolean {
  return Buffer.byteLength(body, 'utf8') <= RESPONSE_LIMIT_BYTES;
}

/**
 * The failure CloudFormation records for a FAILED response with `reason`: `shown` (with the handler's error
 * as cause) when it takes the body, its own "too long" otherwise.
 */
export function failedResponse(event: Record<string, unknown>, reason: string, shown: string, cause?: unknown): ResourceFailure {
  const body = responseBody('FAILED', event, reason);
  const physicalId = String(event.PhysicalResourceId || MISSING_PHYSICAL_ID_MARKER);
  return withinLimit(body)
    ? new ResourceFailure(shown, physicalId, cause, body)
    : new ResourceFailure(RESPONSE_TOO_LONG, physicalId, undefined, body);
}
