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
  /** The ARN of the stack the resource is in: the handler reads that stack before it dissociates. */
  readonly StackId?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/**
 * The framework passes custom fields of this response to every isComplete call:
 * - `PendingOperation`: the operation onEvent could not start;
 * - `StartedAt`: when onEvent started (or tried) its operation (ISO 8601). A
 *   listed entry last updated before it does not show that operation yet.
 * - `Kept`: why a Delete leaves the association in place (another resource
 *   of the stack holds the pair, or an adoption is rolled back); isComplete
 *   then completes without looking at the domain.
 */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly PendingOperation?: PendingOperation;
  readonly StartedAt?: string;
  readonly Kept?: string;
}

export interface IsCompleteRequest extends OnEventRequest {
  readonly PhysicalResourceId: string;
  readonly PendingOperation?: PendingOperation;
  readonly StartedAt?: string;
  readonly Kept?: string;
}

/**
 * `PhysicalResourceId`, when given, replaces onEvent's: the provider framework
 * answers CloudFormation with `{ ...request, ...isCompleteResponse }`. Used only
 * to mark an association adopted once isComplete finds the pair already present.
 */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
  readonly PhysicalResourceId?: string;
}
