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

/** A custom field (`PendingOperation`) is passed by the framework to every isComplete call. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly PendingOperation?: PendingOperation;
}

export interface IsCompleteRequest extends OnEventRequest {
  readonly PhysicalResourceId: string;
  readonly PendingOperation?: PendingOperation;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}
