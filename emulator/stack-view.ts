/**
 * A stack as CloudFormation's read API (ListStackResources, DescribeStacks) reports it: what the
 * local CloudFormation player publishes and the CloudFormation emulator serves to the handler.
 */

export interface StackResourceView {
  readonly logicalId: string;
  /** The template's type, e.g. `Custom::OpenSearchPackageAssociation`. */
  readonly type: string;
  /** Absent while the resource's create is in progress (CloudFormation has no physical id yet). */
  readonly physicalId?: string;
  /** CloudFormation's resource status: CREATE_IN_PROGRESS, CREATE_COMPLETE, UPDATE_COMPLETE, DELETE_IN_PROGRESS, ... */
  readonly status: string;
}

export interface StackView {
  /** `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>` */
  readonly stackId: string;
  readonly stackName: string;
  /** CloudFormation's stack status: CREATE_IN_PROGRESS, ROLLBACK_IN_PROGRESS, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, ... */
  readonly status: string;
  readonly resources: readonly StackResourceView[];
}

/** Where the emulator reads stacks from at each request: the player's live state, or a test's. */
export type StackSource = () => Iterable<StackView>;
