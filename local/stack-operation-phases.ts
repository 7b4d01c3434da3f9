/**
 * CloudFormation's phases of one stack operation, as the local player plays them and the handler
 * tests replay them by hand: one model, so that both send the handlers the same requests in the
 * same order.
 *
 * - Update phase: new resources get Create, changed ones Update, in dependency order. A custom
 *   resource that answers another physical id has been replaced.
 * - Cleanup phase (`UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`), once every update succeeded: Delete of
 *   each removed resource and of each replaced resource's old id, in reverse dependency order. A
 *   failure there does not fail the stack operation.
 * - Rollback (`UPDATE_ROLLBACK_IN_PROGRESS`), when the update failed: every resource the update
 *   touched, the failed one included, gets an Update back to its old properties
 *   (`ResourceProperties` = old, `OldResourceProperties` = the ones tried), in the old template's
 *   order. Then the rollback's cleanup (`UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`) deletes
 *   what the update created and each replacement's new id. A failure there does not fail it either.
 *
 * Sources for what is not in CloudFormation's documentation:
 * - A FAILED Update's response carries a physical id (aws-cdk-lib's provider framework sends
 *   onEvent's once onEvent answered), and CloudFormation records it: a different id is a
 *   replacement, and the rollback deletes it (aws/aws-cdk issues 13527, 30012 and 22670, where a
 *   log stream name sent with FAILED was then deleted). The player records it.
 * - Which request a replaced resource's rollback sends is undocumented (see ReplacementRollback):
 *   the player plays each answer, and the handler must be right under all of them.
 * - The failed resource itself is updated back (aws-cdk docs/CLOUDFORMATION.md: "UPDATE_FAILED ...
 *   followed by ... an update back to the original state"), unless it was replaced.
 */

/**
 * How CloudFormation rolls back a custom resource that the failed update replaced (old id O, new
 * id N). Nothing documents it, and reports differ:
 * - `update-current`: an Update with the old properties to N; the id it answers is restored, and N
 *   is deleted in the rollback's cleanup when the answer differs (the model this project started
 *   from, and the one the lifecycle issue states);
 * - `update-previous`: an Update with the old properties to O; N is deleted in the rollback's
 *   cleanup;
 * - `delete-only`: no Update; O is restored as it was and N is deleted in the rollback's cleanup
 *   (aws/aws-cdk issue 22670 and a Stack Overflow answer describe only the Delete of N).
 */
export type ReplacementRollback = 'update-current' | 'update-previous' | 'delete-only';

export const REPLACEMENT_ROLLBACKS: readonly ReplacementRollback[] = ['update-current', 'update-previous', 'delete-only'];

/** A custom resource as CloudFormation knows it at one moment. */
export interface ResourceState {
  readonly physicalId: string;
  /** As sent to the handler: resolved, every scalar a string. */
  readonly properties: Record<string, unknown>;
}

/** The Update a rollback sends to one resource. */
export interface RollbackUpdate {
  readonly physicalId: string;
  readonly properties: Record<string, unknown>;
  readonly oldProperties: Record<string, unknown>;
}

/** What the rollback does to one resource the failed update touched. */
export interface ResourceRollback {
  /** The Update back to the old properties; undefined when the old resource is restored without a request. */
  readonly update?: RollbackUpdate;
  /** The ids the rollback's cleanup deletes, given the id the Update answered (none: the old id, restored as it was). */
  cleanup(answeredId: string | undefined): string[];
}

/**
 * The rollback of a resource from `previous` (before the update) to `current` (what the update
 * left: the same id, or a replacement's new id, recorded even when that update failed), the update
 * having tried `attempted`.
 */
export function rollbackOf(previous: ResourceState, current: ResourceState, attempted: Record<string, unknown>,
  model: ReplacementRollback): ResourceRollback {
  const back = (physicalId: string): RollbackUpdate => ({ physicalId, properties: previous.properties, oldProperties: attempted });
  const replaced = current.physicalId !== previous.physicalId;
  if (!replaced || model === 'update-current') {
    // The answer is what CloudFormation keeps: the id it replaced is deleted.
    return { update: back(current.physicalId), cleanup: (answered) => (answered !== current.physicalId ? [current.physicalId] : []) };
  }
  if (model === 'update-previous') {
    return {
      update: back(previous.physicalId),
      cleanup: (answered) => [current.physicalId, previous.physicalId].filter((id) => id !== answered),
    };
  }
  return { cleanup: () => [current.physicalId] };
}
