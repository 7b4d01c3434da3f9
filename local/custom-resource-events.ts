/**
 * Requests shaped like the ones CloudFormation sends to a custom resource's ServiceToken.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ENVIRONMENT, environmentOfStackId, StackEnvironment } from './stack-environment';

export type RequestType = 'Create' | 'Update' | 'Delete';

/** The user handlers of a provider (what `index.onEvent` / `index.isComplete` export). */
export interface CustomResourceHandlers {
  onEvent(event: any): Promise<any>;
  isComplete(event: any): Promise<any>;
}

export interface CustomResourceRequest {
  readonly RequestType: RequestType;
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  /** Every scalar a string; ServiceToken included. */
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** What identifies a resource operation, besides its properties. */
export interface RequestTarget {
  readonly stackId: string;
  readonly logicalId: string;
  readonly resourceType: string;
}

/** A new stack id in the stack's account and region: the handler and the resolver read them from it. */
export function fakeStackId(stackName: string, environment: StackEnvironment = DEFAULT_ENVIRONMENT): string {
  return `arn:aws:cloudformation:${environment.region}:${environment.account}:stack/${stackName}/${randomUUID()}`;
}

export function createRequest(target: RequestTarget, properties: Record<string, unknown>): CustomResourceRequest {
  return { ...envelope(target, properties), RequestType: 'Create' };
}

export function updateRequest(
  target: RequestTarget,
  physicalId: string,
  properties: Record<string, unknown>,
  oldProperties: Record<string, unknown>,
): CustomResourceRequest {
  return { ...envelope(target, properties), RequestType: 'Update', PhysicalResourceId: physicalId, OldResourceProperties: oldProperties };
}

export function deleteRequest(target: RequestTarget, physicalId: string, properties: Record<string, unknown>): CustomResourceRequest {
  return { ...envelope(target, properties), RequestType: 'Delete', PhysicalResourceId: physicalId };
}

function envelope(target: RequestTarget, properties: Record<string, unknown>) {
  const requestId = randomUUID();
  return {
    ServiceToken: String(properties.ServiceToken ?? ''),
    // Pre-signed S3 URL: the handler must never log it.
    ResponseURL: `https://cloudformation-custom-resource-response-${environmentOfStackId(target.stackId).region.replace(/-/g, '')}.s3.amazonaws.com/`
      + `${encodeURIComponent(target.stackId)}%7C${target.logicalId}%7C${requestId}`
      + '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature=local-player-signature',
    StackId: target.stackId,
    RequestId: requestId,
    LogicalResourceId: target.logicalId,
    ResourceType: target.resourceType,
    ResourceProperties: properties,
  };
}
