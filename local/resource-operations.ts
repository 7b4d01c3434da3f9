/**
 * One stack operation's resource operations (Create / Update / Delete of a scheduled resource),
 * each played through the provider framework (a custom resource) or by the player itself (a wait
 * condition or its handle, wait-condition-resource.ts), and reported as CloudFormation events, and
 * in the stack's live view.
 */
import { createRequest, CustomResourceHandlers, CustomResourceRequest, deleteRequest, RequestTarget, updateRequest } from './custom-resource-events';
import type { LiveStack } from './live-stack';
import { ResourceFailure, runProviderOperation, WaiterTiming } from './provider-framework';
import type { DeployedResource } from './stack-state';
import { isPlayedType } from './stack-template';
import type { WaitConditionResources } from './wait-condition-resource';
import type { StackResourceView } from '../emulator/stack-view';

export interface ProgressEvent {
  readonly logicalId: string;
  /** An association's DomainName; '' for a package, a lookup or the stack. */
  readonly domain: string;
  /**
   * An association's PackageID, a package set's (DomainPackages) ids joined by ' + '; '' for a
   * package, a lookup (their id is their physical id) or the stack.
   */
  readonly packageId: string;
  /** A package's or lookup's PackageName; absent for an association or the stack. */
  readonly packageName?: string;
  /** The resource's template type; absent for the stack. */
  readonly resourceType?: string;
  /**
   * The package version the resource reports (Data): an association's version on its domain, a
   * package's newest available one. Before the operation completes (and when it failed), the one
   * it reported before; none for a resource being created.
   */
  readonly version?: string;
  /** CloudFormation's statuses: CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED, UPDATE_…, DELETE_…, ROLLBACK_… */
  readonly status: string;
  /** Milliseconds since the current deploy() / destroy() call started. */
  readonly elapsedMs: number;
  readonly reason?: string;
}

/** Which CloudFormation statuses an operation reports, e.g. CREATE_IN_PROGRESS → CREATE_COMPLETE. */
export type Verb = 'CREATE' | 'UPDATE' | 'DELETE';

export interface OperationRunnerOptions {
  readonly handlers: CustomResourceHandlers;
  readonly timing: WaiterTiming;
  readonly stackName: string;
  readonly stackId: string;
  /** Updated before each event is reported, so that progress listeners see the view in step. */
  readonly liveStack: LiveStack;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Plays the wait conditions and their handles; without it, such a resource fails. */
  readonly waitConditions?: WaitConditionResources;
}

/** Whether `event` is one of the stack's own status changes (see OperationRunner.stackStatus), not a resource's. */
export function isStackEvent(event: ProgressEvent, stackName: string): boolean {
  return event.logicalId === stackName && event.domain === '' && event.packageId === '' && event.packageName === undefined;
}

/** A failed resource operation, with the physical id CloudFormation keeps for it. */
export class OperationFailed extends Error {
  constructor(public readonly logicalId: string, message: string, public readonly physicalId: string) {
    super(message);
    this.name = 'OperationFailed';
  }
}

export class OperationRunner {
  /** Every failed resource operation of this stack operation, in order. */
  readonly failures: Array<{ logicalId: string; reason: string }> = [];
  private readonly startedAt = Date.now();
  /** Aborted once a resource operation fails: the wait conditions still waiting give up. */
  private readonly cancellation = new AbortController();

  constructor(private readonly options: OperationRunnerOptions) {}

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /**
   * Another resource failed: CloudFormation cancels the wait conditions still waiting ("Resource
   * creation cancelled"), while it awaits the custom resources in flight.
   */
  cancelWaits(): void {
    this.cancellation.abort();
  }

  /** A stack status event: logical id = stack name, no domain or package. */
  stackStatus(status: string, reason?: string): void {
    this.options.liveStack.stackStatus(status);
    this.emit({ logicalId: this.options.stackName, domain: '', packageId: '', status, elapsedMs: this.elapsedMs, ...(reason && { reason }) });
  }

  async create(logicalId: string, type: string, properties: Record<string, unknown>): Promise<DeployedResource> {
    const request = createRequest(this.target(logicalId, type), properties);
    return this.play('CREATE', request, properties);
  }

  async update(current: DeployedResource, properties: Record<string, unknown>, oldProperties: Record<string, unknown>): Promise<DeployedResource> {
    const request = updateRequest(this.target(current.logicalId, current.type), current.physicalId, properties, oldProperties);
    return this.play('UPDATE', request, properties, current.data);
  }

  /**
   * A rollback that brings `previous` back without a request (see ReplacementRollback
   * 'delete-only'): reported as an update back to it, so the stack lists its id again.
   */
  restore(previous: DeployedResource): DeployedResource {
    for (const status of ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']) {
      const resource = { logicalId: previous.logicalId, type: previous.type, physicalId: previous.physicalId };
      this.report(status, resource, previous.properties, previous.data);
    }
    return previous;
  }

  async delete(resource: DeployedResource): Promise<void> {
    const request = deleteRequest(this.target(resource.logicalId, resource.type), resource.physicalId, resource.properties);
    await this.play('DELETE', request, resource.properties, resource.data);
  }

  /**
   * The stack operation fails for a reason of the stack's own (an export in use), not a
   * resource's: a failure of the stack, reported with the status the stack goes to (or keeps).
   */
  stackFailed(status: string, reason: string): void {
    this.failures.push({ logicalId: this.options.stackName, reason });
    this.stackStatus(status, reason);
  }

  /**
   * CloudFormation could not even build the request (e.g. an attribute missing): fails without a
   * call. `physicalId`: the resource's, when it has one (an Update).
   */
  reject(verb: Verb, resource: Omit<StackResourceView, 'status'>, reason: string): OperationFailed {
    const { logicalId } = resource;
    this.failures.push({ logicalId, reason });
    this.options.liveStack.resourceStatus({ ...resource, status: `${verb}_FAILED` });
    this.emit({ logicalId, domain: '', packageId: '', resourceType: resource.type, status: `${verb}_FAILED`, elapsedMs: this.elapsedMs, reason });
    return new OperationFailed(logicalId, reason, '');
  }

  /** `before`: the resource's attributes before the operation (none for a Create). */
  private async play(
    verb: Verb, request: CustomResourceRequest, properties: Record<string, unknown>, before?: Record<string, string>,
  ): Promise<DeployedResource> {
    const resource = (physicalId: string | undefined) => ({ logicalId: request.LogicalResourceId, type: request.ResourceType, physicalId });
    this.report(`${verb}_IN_PROGRESS`, resource(request.PhysicalResourceId), properties, before);
    try {
      const result = isPlayedType(request.ResourceType)
        ? await runProviderOperation(this.options.handlers, request, this.options.timing)
        : await this.waitConditions(request.ResourceType).run(request, before, this.cancellation.signal);
      this.report(`${verb}_COMPLETE`, resource(result.physicalResourceId), properties, verb === 'DELETE' ? before : result.data);
      return { ...resource(result.physicalResourceId), physicalId: result.physicalResourceId, properties, data: result.data };
    } catch (error) {
      const failure = error instanceof ResourceFailure ? error : new ResourceFailure(String(error), request.PhysicalResourceId ?? '');
      this.failures.push({ logicalId: request.LogicalResourceId, reason: failure.message });
      // CloudFormation records the id a failed Create or Update reports (a Delete keeps its own): the rollback deletes it.
      const recorded = verb === 'DELETE' ? request.PhysicalResourceId : failure.physicalResourceId;
      this.report(`${verb}_FAILED`, resource(recorded), properties, before, failure.message);
      throw new OperationFailed(request.LogicalResourceId, failure.message, failure.physicalResourceId);
    }
  }

  private waitConditions(type: string): WaitConditionResources {
    if (!this.options.waitConditions) {
      throw new ResourceFailure(`the player does not play ${type}`, '');
    }
    return this.options.waitConditions;
  }

  /** A resource's status, in the live view and as a progress event (the version its attributes report, if any). */
  private report(status: string, resource: Omit<StackResourceView, 'status'>, properties: Record<string, unknown>, data?: Record<string, string>,
    reason?: string): void {
    const version = versionOf(data);
    this.options.liveStack.resourceStatus({ ...resource, status });
    this.emit({
      logicalId: resource.logicalId,
      domain: String(properties.DomainName ?? ''),
      packageId: packageLabelOf(properties),
      ...(typeof properties.PackageName === 'string' && { packageName: properties.PackageName }),
      resourceType: resource.type,
      ...(version && { version }),
      status,
      elapsedMs: this.elapsedMs,
      ...(reason && { reason }),
    });
  }

  private target(logicalId: string, resourceType: string): RequestTarget {
    return { stackId: this.options.stackId, logicalId, resourceType };
  }

  private emit(event: ProgressEvent): void {
    this.options.onProgress?.(event);
  }
}

/** An association's PackageID, or a package set's (DomainPackages) ids joined by ' + '; '' for others. */
export function packageLabelOf(properties: Record<string, unknown>): string {
  const list = properties.PackageList;
  if (Array.isArray(list)) {
    return list.map((entry: { PackageID?: unknown } | undefined) => String(entry?.PackageID ?? '?')).join(' + ');
  }
  return String(properties.PackageID ?? '');
}

/** The version a resource's attributes report: an association's on its domain, a package's newest available. */
function versionOf(data: Record<string, string> | undefined): string | undefined {
  return data?.PackageVersion || data?.AvailablePackageVersion || undefined;
}
