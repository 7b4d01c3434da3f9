/**
 * Plays CloudFormation's lifecycle for a template's `Custom::OpenSearch…` resources (associations,
 * packages, package lookups: see isPlayed in stack-template.ts) against a pair of provider
 * handlers (onEvent / isComplete), in process, and plays CloudFormation's wait conditions and
 * their handles itself (wait-condition-resource.ts): a condition holds its dependents until its
 * handle is signalled.
 *
 * CloudFormation semantics: resources start as soon as what they depend on (DependsOn, Ref,
 * Fn::GetAtt, Fn::Sub) is complete, independent ones at the same time. After a failure no new
 * resource starts, the ones in flight are awaited, then the stack rolls back. An update plays
 * the diff against the last deployed template (new → Create, changed properties → Update, a new
 * physical id or a removed resource → Delete in the cleanup phase, after every update
 * succeeded); a failed update is rolled back with Updates back to the old properties, then the
 * resources it created are deleted. Other resource types are "created" instantly.
 *
 * The player also keeps CloudFormation's live view of the stack (`stackView()`, see
 * live-stack.ts): what ListStackResources and DescribeStacks would show at each moment, and its
 * outputs (`outputs()`), which other stacks' players read (see cross-stack.ts).
 *
 * PUBLIC INTERFACE: bench/ codes against the exported types below; extend only additively.
 */
import { CrossStackReferences, exportConflict, StackOutputValues } from './cross-stack';
import { CustomResourceHandlers, fakeStackId } from './custom-resource-events';
import { runScheduled } from './dependency-scheduler';
import { LiveStack } from './live-stack';
import { OperationFailed, OperationRunner, ProgressEvent, Verb } from './resource-operations';
import { OperationTemplates, retainRemoved } from './retention';
import type { StackEnvironment } from './stack-environment';
import { ReplacementRollback, rollbackOf } from './stack-operation-phases';
import { DeployedResource, DeployedStack, outputValues, resolveContext, resolvedProperties, sameProperties, StackIdentity } from './stack-state';
import { FunctionLoader, StackStateMachines, variablesOf } from './stack-state-machines';
import { isScheduled, isWaitType, parseTemplate, StackTemplate, transitiveDependencies } from './stack-template';
import { scaleTimeout } from './timeout-scale';
import { EarlySignals, WaitConditionResources, WaitConditionUpdate } from './wait-condition-resource';
import { RetainedResources } from '../emulator/retained-resources';
import type { StackView } from '../emulator/stack-view';
import type { StepFunctionsExecutions } from '../emulator/step-functions-executions';
import type { WaitConditionHandles } from '../emulator/wait-condition-handles';

export type { StackResourceView, StackView } from '../emulator/stack-view';
export type { CustomResourceHandlers } from './custom-resource-events';
export type { ProgressEvent } from './resource-operations';
export type { EarlySignals, WaitConditionUpdate } from './wait-condition-resource';
export type { FunctionLoader, StackFunction } from './stack-state-machines';
export type { RetainedResource } from '../emulator/retained-resources';
export { RetainedResources } from '../emulator/retained-resources';

export interface PlayerOptions {
  readonly handlers: CustomResourceHandlers;
  /**
   * The provider's queryInterval (10 s in lib/), usually scaled down for local runs. Like the
   * provider's waiter, isComplete is called once right after onEvent, then every queryIntervalMs.
   */
  readonly queryIntervalMs: number;
  /** The provider's totalTimeout per resource operation. @default 3_600_000 (1 hour, as lib/) */
  readonly totalTimeoutMs?: number;
  /**
   * Every resource status change, and stack status changes (those have logicalId = stackName
   * and empty domain and packageId).
   */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Name used in StackId and stack-level progress events. @default 'LocalStack' */
  readonly stackName?: string;
  /** The account and region in the StackId, which `AWS::Region`, `AWS::AccountId` and fake ARNs follow. @default DEFAULT_ENVIRONMENT */
  readonly environment?: StackEnvironment;
  /**
   * Multiplies each association's `Timeout` property (the handler's own limit, whole seconds)
   * before the handler sees it, rounded up to whole seconds, at least 1 (see timeout-scale.ts).
   * Scale it with the waiter's timing, so that the handler still gives up first.
   * @default 1 (the template's Timeout)
   */
  readonly timeoutScale?: number;
  /**
   * How a resource the failed update replaced is rolled back: CloudFormation does not document it,
   * so the player plays each answer (see stack-operation-phases.ts).
   * @default 'update-current'
   */
  readonly replacementRollback?: ReplacementRollback;
  /**
   * The run's other stacks: `Fn::ImportValue` and `Fn::GetStackOutput` read their outputs, and an
   * export one of them imports can be neither changed nor removed.
   * @default none: imports resolve to fake values, and exports are never in use
   */
  readonly crossStack?: CrossStackReferences;
  /**
   * Where WaitConditionHandles get their URL, and their signals arrive: the CloudFormation
   * emulator's `waitHandles`. Needed by a template with a handle.
   */
  readonly waitHandles?: WaitConditionHandles;
  /** What an in-place Update of a WaitCondition does (undocumented, see wait-condition-resource.ts). @default 'noop' */
  readonly waitConditionUpdate?: WaitConditionUpdate;
  /** Whether signals sent before a WaitCondition's Create started count. @default 'counts' */
  readonly earlySignals?: EarlySignals;
  /**
   * Where the template's state machines are created, and their executions run: the Step Functions
   * emulator's `executions`. Without it, state machines are created instantly and nothing runs them.
   */
  readonly stepFunctions?: StepFunctionsExecutions;
  /** The code of the stack's Lambda functions that state machine Tasks call. @default none: such a Task fails */
  readonly functions?: FunctionLoader;
  /**
   * Where the resources the stack removes but does not delete (`DeletionPolicy: Retain`, types the
   * player creates instantly) are left: the account's, shared by its stacks.
   * @default a registry of the player's own (`retained`)
   */
  readonly retained?: RetainedResources;
}

export type StackStatus =
  | 'CREATE_COMPLETE'
  | 'UPDATE_COMPLETE'
  | 'DELETE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_FAILED';

export interface StackOutcome {
  readonly status: StackStatus;
  /** Every resource operation that failed, rollback and cleanup failures included. */
  readonly failures: ReadonlyArray<{ logicalId: string; reason: string }>;
  readonly elapsedMs: number;
}

const DEFAULT_TOTAL_TIMEOUT_MS = 3_600_000;

/** Bookkeeping of an update, needed to roll it back. */
interface UpdateProgress {
  /** What CloudFormation records: a replaced resource's new id, even when its update failed. */
  readonly live: Map<string, DeployedResource>;
  /** Logical ids new in this update (created, or failed to create). */
  readonly created: Set<string>;
  /** Updated (or failed to update) resources: their state before and the properties tried. */
  readonly touched: Map<string, { readonly previous: DeployedResource; readonly attempted: Record<string, unknown> }>;
  /** Previous versions of resources the update replaced (new physical id). */
  readonly replaced: DeployedResource[];
}

export class CloudFormationPlayer {
  private deployed?: DeployedStack;
  private readonly identity: StackIdentity;
  private readonly liveStack: LiveStack;
  private readonly stateMachines?: StackStateMachines;
  /** The template of the operation in progress, if any. */
  private current?: StackTemplate;
  /** What the operation in progress started from and tried: what it removed is known at its end. */
  private operation: OperationTemplates = {};
  /** What the stack removed and CloudFormation kept (DeletionPolicy Retain), with the other stacks' given the same registry. */
  public readonly retained: RetainedResources;

  constructor(private readonly options: PlayerOptions) {
    if (!(options.queryIntervalMs > 0)) {
      throw new RangeError(`queryIntervalMs must be positive, got ${options.queryIntervalMs}`);
    }
    if (options.timeoutScale !== undefined && !(options.timeoutScale > 0 && Number.isFinite(options.timeoutScale))) {
      throw new RangeError(`timeoutScale must be a positive number, got ${options.timeoutScale}`);
    }
    const stackName = options.stackName ?? 'LocalStack';
    this.identity = { stackName, stackId: fakeStackId(stackName, options.environment) };
    this.liveStack = new LiveStack(this.identity);
    this.retained = options.retained ?? new RetainedResources();
    if (options.stepFunctions) {
      this.stateMachines = new StackStateMachines(this.identity, {
        executions: options.stepFunctions, functions: options.functions, timeoutScale: options.timeoutScale ?? 1, retained: this.retained,
      });
    }
  }

  /**
   * Resolves once no Step Functions execution runs (of this stack or another: they share the
   * emulator), those started while waiting included. Executions outlive stack operations.
   */
  public async settled(): Promise<void> {
    await this.options.stepFunctions?.settled();
  }

  /**
   * The `Environment.Variables` of Lambda function `logicalId` of the stack, resolved against the
   * template being deployed (else the deployed one); a variable that cannot be resolved is left out.
   * `providerTemplate`: the function is another stack's of the same environment (a shared
   * provider), resolved as far as that template alone allows (a state machine's Ref is its ARN).
   */
  public functionVariables(logicalId: string, providerTemplate?: unknown): Record<string, string> {
    const template = providerTemplate !== undefined ? parseTemplate(providerTemplate) : this.current ?? this.deployed?.template;
    const resource = template?.resources.get(logicalId);
    if (!template || !resource) {
      return {};
    }
    const live = providerTemplate === undefined ? this.deployed?.resources : undefined;
    return variablesOf(resource, resolveContext(this.identity, template, live ?? new Map(), this.options.crossStack));
  }

  /** Physical ids of the deployed resources the player schedules (handlers' and wait types), by logical id. */
  public get physicalIds(): ReadonlyMap<string, string> {
    return new Map([...(this.deployed?.resources.values() ?? [])].map((resource) => [resource.logicalId, resource.physicalId]));
  }

  /** The outputs and exports of what the stack deployed, and the exports it imports; undefined while nothing is deployed. */
  public outputs(): StackOutputValues | undefined {
    const deployed = this.deployed;
    return deployed && outputValues(this.identity, deployed.template, deployed.resources, this.options.crossStack);
  }

  /**
   * The stack as CloudFormation's read API shows it now: its status (REVIEW_IN_PROGRESS before the
   * first deploy), the played resources with their current operation's status, and the template's
   * other resources CREATE_COMPLETE. The stack id is the events' StackId.
   */
  public stackView(): StackView {
    return this.liveStack.view();
  }

  /** Creates the stack, or updates it when a template was deployed before. */
  public async deploy(template: unknown): Promise<StackOutcome> {
    const parsed = parseTemplate(template);
    const run = this.newRun();
    this.current = parsed;
    this.operation = { before: this.deployed?.template, attempted: parsed };
    try {
      return await (this.deployed ? this.update(run, this.deployed, parsed) : this.create(run, parsed));
    } finally {
      this.current = undefined;
    }
  }

  /** Deletes every deployed resource in reverse dependency order. */
  public async destroy(): Promise<StackOutcome> {
    const run = this.newRun();
    const deployed = this.deployed;
    this.operation = { before: deployed?.template };
    if (!deployed) {
      return this.finish(run, 'DELETE_COMPLETE');
    }
    const inUse = this.exportConflict(this.outputs()?.exports ?? new Map(), new Map());
    if (inUse) {
      // Refused before anything is deleted: the stack keeps its status.
      run.stackFailed(this.liveStack.view().status, inUse);
      return { status: 'DELETE_FAILED', failures: [...run.failures], elapsedMs: run.elapsedMs };
    }
    run.stackStatus('DELETE_IN_PROGRESS');
    const left = await deleteInReverse(run, deployed.template, [...deployed.resources.values()]);
    this.deployed = left.length > 0 ? { template: deployed.template, resources: byLogicalId(left) } : undefined;
    return this.finish(run, left.length > 0 ? 'DELETE_FAILED' : 'DELETE_COMPLETE');
  }

  private async create(run: OperationRunner, template: StackTemplate): Promise<StackOutcome> {
    run.stackStatus('CREATE_IN_PROGRESS');
    this.liveStack.createInstantResources(template);
    const live = new Map<string, DeployedResource>();
    this.stateMachines?.create(template, live);
    const result = await runScheduled(scheduledIds(template).map((id) => ({
      id,
      after: transitiveDependencies(template, id),
      run: () => this.createResource(run, template, id, live),
    })), { onFailure: () => run.cancelWaits() });
    if (result.failed.size === 0) {
      this.deployed = { template, resources: live };
      return this.finish(run, 'CREATE_COMPLETE');
    }
    run.stackStatus('ROLLBACK_IN_PROGRESS', `The following resource(s) failed to create: [${[...result.failed.keys()].join(', ')}]. Rollback requested by user.`);
    // A failed create is deleted too: CloudFormation sends Delete with the id the failure reported.
    const left = await deleteInReverse(run, template, [...live.values()]);
    this.deployed = left.length > 0 ? { template, resources: byLogicalId(left) } : undefined;
    return this.finish(run, left.length > 0 ? 'ROLLBACK_FAILED' : 'ROLLBACK_COMPLETE');
  }

  private async update(run: OperationRunner, old: DeployedStack, template: StackTemplate): Promise<StackOutcome> {
    run.stackStatus('UPDATE_IN_PROGRESS');
    this.liveStack.createInstantResources(template);
    const progress: UpdateProgress = { live: new Map(old.resources), created: new Set(), touched: new Map(), replaced: [] };
    this.stateMachines?.create(template, progress.live);
    const result = await runScheduled(scheduledIds(template).map((id) => ({
      id,
      after: transitiveDependencies(template, id),
      run: () => this.updateResource(run, old, template, id, progress),
    })), { onFailure: () => run.cancelWaits() });
    if (result.failed.size > 0) {
      run.stackStatus('UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to update: [${[...result.failed.keys()].join(', ')}].`);
      return this.rollbackUpdate(run, old, template, progress);
    }
    // Outputs are evaluated once the resources are: an export another stack imports must stay as it was.
    const after = outputValues(this.identity, template, progress.live, this.options.crossStack);
    const inUse = this.exportConflict(this.outputs()?.exports ?? new Map(), after.exports);
    if (inUse) {
      run.stackFailed('UPDATE_ROLLBACK_IN_PROGRESS', inUse);
      return this.rollbackUpdate(run, old, template, progress);
    }
    run.stackStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const removed = [...old.resources.values()].filter((resource) => !isScheduled(template.resources.get(resource.logicalId)));
    // Cleanup failures are reported but do not fail the update, as in CloudFormation.
    await deleteInReverse(run, old.template, [...removed, ...progress.replaced]);
    removed.forEach((resource) => progress.live.delete(resource.logicalId));
    this.deployed = { template, resources: progress.live };
    return this.finish(run, 'UPDATE_COMPLETE');
  }

  /**
   * Updates back to the old properties in the old template's order (a replaced resource as
   * `replacementRollback` says), then deletes what the update created and the ids the rollback
   * abandoned (see stack-operation-phases.ts).
   */
  private async rollbackUpdate(run: OperationRunner, old: DeployedStack, template: StackTemplate, progress: UpdateProgress): Promise<StackOutcome> {
    const restored = new Map(progress.live);
    const abandoned: DeployedResource[] = [];
    const result = await runScheduled([...progress.touched.keys()].map((id) => ({
      id,
      after: transitiveDependencies(old.template, id),
      run: async () => {
        const { previous, attempted } = progress.touched.get(id)!;
        const current = progress.live.get(id)!;
        const rollback = rollbackOf(previous, current, attempted, this.options.replacementRollback ?? 'update-current');
        const { update } = rollback;
        const back = update
          ? await run.update(update.physicalId === current.physicalId ? current : previous, update.properties, update.oldProperties)
          : run.restore(previous);
        restored.set(id, back);
        const states = [current, previous];
        abandoned.push(...rollback.cleanup(update && back.physicalId).map((physicalId) => states.find((state) => state.physicalId === physicalId)!));
      },
    })));
    if (result.failed.size > 0) {
      this.deployed = { template, resources: restored };
      return this.finish(run, 'UPDATE_ROLLBACK_FAILED');
    }
    run.stackStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const created = [...progress.created].flatMap((id) => progress.live.get(id) ?? []);
    await deleteInReverse(run, template, [...created, ...abandoned]);
    progress.created.forEach((id) => restored.delete(id));
    this.deployed = { template: old.template, resources: restored };
    return this.finish(run, 'UPDATE_ROLLBACK_COMPLETE');
  }

  private async createResource(run: OperationRunner, template: StackTemplate, id: string, live: Map<string, DeployedResource>): Promise<void> {
    const resource = template.resources.get(id)!;
    const properties = this.resolve(run, 'CREATE', template, id, live);
    try {
      live.set(id, await run.create(id, resource.type, properties));
    } catch (error) {
      if (error instanceof OperationFailed) {
        live.set(id, { logicalId: id, type: resource.type, physicalId: error.physicalId, properties, data: {} });
      }
      throw error;
    }
  }

  private async updateResource(
    run: OperationRunner, old: DeployedStack, template: StackTemplate, id: string, progress: UpdateProgress,
  ): Promise<void> {
    const previous = old.resources.get(id);
    if (!previous) {
      progress.created.add(id);
      return this.createResource(run, template, id, progress.live);
    }
    const properties = this.resolve(run, 'UPDATE', template, id, progress.live);
    if (sameProperties(properties, previous.properties)) {
      return; // CloudFormation does not touch a resource whose properties did not change
    }
    progress.touched.set(id, { previous, attempted: properties });
    let updated: DeployedResource;
    try {
      updated = await run.update(previous, properties, previous.properties);
    } catch (error) {
      // CloudFormation records the id a FAILED response carries: another one is a replacement the rollback deletes.
      if (error instanceof OperationFailed && error.physicalId && error.physicalId !== previous.physicalId) {
        progress.live.set(id, { ...previous, physicalId: error.physicalId, properties, data: {} });
        progress.replaced.push(previous);
      }
      throw error;
    }
    progress.live.set(id, updated);
    if (updated.physicalId !== previous.physicalId) {
      progress.replaced.push(previous);
    }
  }

  /** The properties CloudFormation sends for resource `id` now (and records as the resource's), timeout scaled. */
  private resolve(
    run: OperationRunner, verb: Verb, template: StackTemplate, id: string, live: ReadonlyMap<string, DeployedResource>,
  ): Record<string, unknown> {
    const resource = template.resources.get(id)!;
    try {
      const properties = resolvedProperties(resource, resolveContext(this.identity, template, live, this.options.crossStack));
      // A WaitCondition's Timeout is CloudFormation's, not a handler's: it is scaled where it is played.
      return this.options.timeoutScale === undefined || isWaitType(resource.type) ? properties : scaleTimeout(properties, this.options.timeoutScale);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw run.reject(verb, { logicalId: id, type: resource.type, physicalId: live.get(id)?.physicalId }, message);
    }
  }

  /** Why CloudFormation refuses to go from exports `before` to `after`: one in use by another stack would change. */
  private exportConflict(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string | undefined {
    const crossStack = this.options.crossStack;
    return crossStack && exportConflict(before, after, (exportName) => crossStack.importersOf(exportName, this.identity.stackName));
  }

  /** Ends the stack operation: the live view keeps what the stack is left with. Call once `deployed` is set. */
  private finish(run: OperationRunner, status: StackStatus): StackOutcome {
    const retained = retainRemoved(this.retained, this.identity, { ...this.operation, after: this.deployed?.template });
    this.liveStack.settle(this.deployed);
    if (status === 'DELETE_COMPLETE' && this.operation.before) {
      this.liveStack.stackDeleted(this.operation.before, retained);
    }
    this.stateMachines?.settle(this.deployed, retained);
    this.operation = {};
    run.stackStatus(status);
    return { status, failures: [...run.failures], elapsedMs: run.elapsedMs };
  }

  private newRun(): OperationRunner {
    return new OperationRunner({
      handlers: this.options.handlers,
      timing: { queryIntervalMs: this.options.queryIntervalMs, totalTimeoutMs: this.options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS },
      stackName: this.identity.stackName,
      stackId: this.identity.stackId,
      liveStack: this.liveStack,
      onProgress: this.options.onProgress,
      waitConditions: new WaitConditionResources({
        handles: this.options.waitHandles,
        stackName: this.identity.stackName,
        stackId: this.identity.stackId,
        timeoutScale: this.options.timeoutScale ?? 1,
        update: this.options.waitConditionUpdate ?? 'noop',
        earlySignals: this.options.earlySignals ?? 'counts',
      }),
    });
  }
}

function scheduledIds(template: StackTemplate): string[] {
  return [...template.resources.values()].filter(isScheduled).map((resource) => resource.logicalId);
}

/**
 * Deletes each resource once every resource that depends on it is deleted; independent ones
 * at the same time, and on after a failure. Returns the resources left (failed or blocked).
 */
async function deleteInReverse(run: OperationRunner, template: StackTemplate, resources: DeployedResource[]): Promise<DeployedResource[]> {
  const key = (resource: DeployedResource) => `${resource.logicalId} ${resource.physicalId}`;
  const jobs = resources.map((resource) => ({
    id: key(resource),
    after: new Set(resources
      .filter((other) => other !== resource && transitiveDependencies(template, other.logicalId).has(resource.logicalId))
      .map(key)),
    run: () => run.delete(resource),
  }));
  const result = await runScheduled(jobs, { continueAfterFailure: true });
  return resources.filter((resource) => !result.succeeded.has(key(resource)));
}

function byLogicalId(resources: DeployedResource[]): Map<string, DeployedResource> {
  return new Map(resources.map((resource) => [resource.logicalId, resource]));
}
