/**
 * The provider framework's handler contract, reduced to what this handler reads
 * (the framework's own types module is not exported by aws-cdk-lib).
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

/** The operation onEvent could not start (domain busy, service unavailable); isComplete starts it. */
export type PendingOperation = 'AssociatePackage' | 'DissociatePackage';

export interface OnEventRequest {
  readonly RequestType: RequestType;
  readonly PhysicalResourceId?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/**
 * The framework passes custom fields of this response to every isComplete call:
 * - `PendingOperation`: the operation onEvent could not start;
 * - `StartedAt`: when onEvent started (or tried) its operation (ISO 8601). A
 *   listed entry last updated before it does not show that operation yet.
 */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly PendingOperation?: PendingOperation;
  readonly StartedAt?: string;
}

export interface IsCompleteRequest extends OnEventRequest {
  readonly PhysicalResourceId: string;
  readonly PendingOperation?: PendingOperation;
  readonly StartedAt?: string;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}
