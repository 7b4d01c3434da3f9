/**
 * CloudFormation's live view of the player's stack, as ListStackResources and DescribeStacks show
 * it while the player runs: the stack status, and one entry per logical id.
 *
 * Scheduled resources (associations, packages, lookups, wait conditions and their handles) appear
 * as their operations progress. Every
 * other resource of the template, which the player "creates" instantly, is listed CREATE_COMPLETE
 * (with the id its Ref resolves to) from the start of the stack operation that brings it, and
 * dropped when the operation that removes it (cleanup, rollback) ends. Once the stack is deleted,
 * it still answers by its id (CloudFormation keeps deleted stacks readable for 90 days): every
 * resource of its last template DELETE_COMPLETE, or DELETE_SKIPPED when retained.
 */
import { DeployedStack, instantPhysicalId, resolveContext, StackIdentity } from './stack-state';
import { isScheduled, isScheduledType, StackTemplate } from './stack-template';
import type { StackResourceView, StackView } from '../emulator/stack-view';

export class LiveStack {
  /** CDK creates a stack with a change set: REVIEW_IN_PROGRESS until the first deploy executes it. */
  private status = 'REVIEW_IN_PROGRESS';
  private readonly resources = new Map<string, StackResourceView>();
  /** The last physical id each logical id had: what a deleted stack still lists. */
  private readonly lastPhysicalIds = new Map<string, string>();

  constructor(private readonly identity: StackIdentity) {}

  view(): StackView {
    return { stackId: this.identity.stackId, stackName: this.identity.stackName, status: this.status, resources: [...this.resources.values()] };
  }

  stackStatus(status: string): void {
    if (this.status === 'DELETE_COMPLETE' && status !== 'DELETE_COMPLETE') {
      // Created again: the deleted stack's resources are not this one's.
      this.resources.clear();
    }
    this.status = status;
  }

  /** The stack was deleted: it lists `template`'s resources deleted, or skipped when `retained` (logical ids). */
  stackDeleted(template: StackTemplate, retained: ReadonlySet<string>): void {
    this.resources.clear();
    for (const { logicalId, type } of template.resources.values()) {
      const physicalId = this.lastPhysicalIds.get(logicalId);
      const status = retained.has(logicalId) ? 'DELETE_SKIPPED' : 'DELETE_COMPLETE';
      this.resources.set(logicalId, { logicalId, type, status, ...(physicalId !== undefined && { physicalId }) });
    }
  }

  /**
   * An operation's status, with the physical id CloudFormation records (none while a create is in
   * progress; the deleted one for a Delete). A Delete only concerns the entry when it deletes the
   * entry's physical id: the cleanup deletes a replaced resource's old id while the entry shows
   * the new one. DELETE_COMPLETE removes the entry.
   */
  resourceStatus(resource: StackResourceView): void {
    const entry = this.resources.get(resource.logicalId);
    const physicalId = resource.physicalId || undefined; // '' is no id
    if (resource.status.startsWith('DELETE_') && (!entry || entry.physicalId !== physicalId)) {
      return;
    }
    if (resource.status === 'DELETE_COMPLETE') {
      this.resources.delete(resource.logicalId);
      return;
    }
    const { logicalId, type, status } = resource;
    this.resources.set(logicalId, { logicalId, type, status, ...(physicalId !== undefined && { physicalId }) });
    if (physicalId !== undefined) {
      this.lastPhysicalIds.set(logicalId, physicalId);
    }
  }

  /** The template's resources the player does not schedule, created at once; entries already there are kept. */
  createInstantResources(template: StackTemplate): void {
    const context = resolveContext(this.identity, template, new Map());
    for (const resource of template.resources.values()) {
      if (!isScheduled(resource) && !this.resources.has(resource.logicalId)) {
        const physicalId = instantPhysicalId(resource, context);
        this.resources.set(resource.logicalId, { logicalId: resource.logicalId, type: resource.type, status: 'CREATE_COMPLETE', physicalId });
        this.lastPhysicalIds.set(resource.logicalId, physicalId);
      }
    }
  }

  /**
   * At the end of a stack operation, keeps what the stack is left with: the deployed
   * played resources and the deployed template's other resources (nothing once deleted or rolled back).
   */
  settle(deployed: DeployedStack | undefined): void {
    for (const entry of [...this.resources.values()]) {
      const kept = isScheduledType(entry.type)
        ? deployed?.resources.has(entry.logicalId)
        : deployed?.template.resources.get(entry.logicalId)?.type === entry.type;
      if (!kept) {
        this.resources.delete(entry.logicalId);
      }
    }
  }
}
