/**
 * The provider framework's handler contract, reduced to what this handler reads
 * (the framework's own types module is not exported by aws-cdk-lib).
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

/** The operation onEvent could not start (domain busy, service unavailable); isComplete starts it. */
export type PendingOperation = 'AssociatePackage' | 'DissociatePackage';

/** The batch write onEvent sent for a set of packages (DomainPackages). */
export interface SentWrite {
  readonly Operation: 'AssociatePackages' | 'DissociatePackages';
  readonly PackageIds: readonly string[];
}

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
 * The pair's entry as listed before the operation's call, in the service's
 * own terms (never compared with the function's clock); null when not listed.
 */
export interface EntrySnapshot {
  readonly Status?: string;
  readonly Version?: string;
  /** ISO 8601, the service's LastUpdated. */
  readonly LastUpdated?: string;
}

/**
 * The framework passes custom fields of this response to every isComplete call:
 * - `PendingOperation`: the operation onEvent could not start;
 * - `StartedAt`: when onEvent started the operation (ISO 8601, the function's
 *   clock): its timeout and the IAM propagation grace count from it;
 * - `Before`: the pair's entry before the call: a listed entry that has not
 *   changed since does not show this operation yet;
 * - `AlreadyApplied`: the service answered "already in desired state":
 *   nothing new runs, so isComplete checks the listed entry shows the request;
 * - `Kept`: why a Delete leaves the association in place (another resource
 *   of the stack holds the pair, or an adoption is rolled back); isComplete
 *   then completes without looking at the domain.
 *
 * For a set of packages (DomainPackages), which isComplete reconciles from
 * the list at every poll:
 * - `Snapshots`: each package's entry before onEvent's write (null: not listed);
 * - `Sent`: the write onEvent sent: it is not sent again while the list lags;
 * - `Removals`: the packages a Delete removes, once the stack's claims were
 *   read (absent: isComplete reads them);
 * - `Rollback`: the update is an update rollback (the stack's status said so).
 */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly PendingOperation?: PendingOperation;
  readonly StartedAt?: string;
  readonly Before?: EntrySnapshot | null;
  readonly AlreadyApplied?: boolean;
  readonly Kept?: string;
  readonly Snapshots?: Record<string, EntrySnapshot | null>;
  readonly Sent?: SentWrite;
  readonly Removals?: readonly string[];
  readonly Rollback?: boolean;
}

export interface IsCompleteRequest extends OnEventRequest, Omit<OnEventResponse, 'Data'> {
  readonly PhysicalResourceId: string;
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
