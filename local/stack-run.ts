/**
 * One stack of a local deploy: its CloudFormation player (whose live view the CloudFormation
 * emulator serves, and whose outputs the run's other stacks read), the handler code of the
 * assembly it deploys, and a record of each stack operation for the summary.
 */
import { AssemblyStack, hasPlayedResource } from './cloud-assembly';
import { CloudFormationPlayer, CustomResourceHandlers, ProgressEvent, StackFunction, StackOutcome } from './cloudformation-player';
import type { CrossStackReferences } from './cross-stack';
import type { EmulatedEnvironment } from './emulated-environments';
import { inFunctionEnvironment } from './lambda-environment';
import { findHandlerFunctions, functionCode, HandlerFunctions, loadHandlers, loadLambdaHandler } from './lambda-loader';
import { isStackEvent } from './resource-operations';
import { countByName, OperationRecord } from './run-summary';
import { providerLocation } from './shared-provider';
import { isPlayedType } from './stack-template';
import { WaiterTiming, waiterTiming } from './waiter-timing';
import type { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import type { RetainedResources } from '../emulator/retained-resources';
import type { StepFunctionsApiEmulator } from '../emulator/step-functions-api-emulator';

export type StackAction = 'create' | 'update' | 'destroy';

export interface StackRunOptions {
  /** Multiplies the provider's waiter timing (`--scale`). */
  readonly scale: number;
  /** Multiplies each association's Timeout (`--timeout-scale`). */
  readonly timeoutScale: number;
  readonly crossStack: CrossStackReferences;
  /**
   * The stack's account and region: its handler runs in that region against that environment's
   * emulator, whose requests each operation counts, and whose domains' blue/green deployments.
   */
  readonly environment: EmulatedEnvironment;
  /** How the output names a domain of the environment. */
  readonly domainLabel: (domain: string) => string;
  /** How an operation's title names the stack (with its environment when the run has several). @default the stack's name */
  readonly title?: string;
  readonly cloudFormation: CloudFormationApiEmulator;
  /** Where the stack's state machines run (the long waiter); without it they are created and never run. */
  readonly stepFunctions?: StepFunctionsApiEmulator;
  /** The run's assembly stacks: where a stack that uses another stack's provider finds it. */
  readonly assembly?: readonly AssemblyStack[];
  /** What the run's stacks removed but CloudFormation kept (DeletionPolicy Retain). @default the stack's own */
  readonly retained?: RetainedResources;
}

/** A stack without a played resource has no provider: nothing is waited for, any timing does. */
const NO_WAITER: WaiterTiming = { queryIntervalMs: 10_000, totalTimeoutMs: 3_600_000 };

const ignoreProgress = (): void => undefined;

export class StackRun {
  readonly name: string;
  /** The name, and the environment when the run has several: operation titles show it. */
  readonly title: string;
  /** `aws://<account>/<region>`: whose emulator its handler calls. */
  readonly environment: string;
  readonly player: CloudFormationPlayer;
  /** The assembly stack whose template is deployed: none before the create, after a rolled back create, or once deleted. */
  deployed?: AssemblyStack;
  private handlers?: CustomResourceHandlers;
  /** Where the provider's functions are: their template and ids, for their environment variables. */
  private provider?: { readonly template: Record<string, unknown>; readonly functions: HandlerFunctions };
  /** The assembly stack of the operation in progress: the code its state machines' Tasks run. */
  private playing?: AssemblyStack;
  /** Where the current operation's events go. */
  private progress: (event: ProgressEvent) => void = ignoreProgress;
  /** Resource operations by kind (verb and resource type): requests per operation only mean something for one kind. */
  private readonly kinds = new Map<string, number>();

  constructor(stack: AssemblyStack, private readonly options: StackRunOptions) {
    this.name = stack.name;
    this.title = options.title ?? stack.name;
    this.environment = options.environment.name;
    const timing = hasPlayedResource(stack) ? waiterTiming(providerLocation(stack, options.assembly ?? []).template) : NO_WAITER;
    this.player = new CloudFormationPlayer({
      // An update runs the new assembly's handler code, as CloudFormation updates the functions first.
      handlers: {
        onEvent: (event) => this.inFunctions('onEvent', () => this.currentHandlers().onEvent(event)),
        isComplete: (event) => this.inFunctions('isComplete', () => this.currentHandlers().isComplete(event)),
      },
      queryIntervalMs: timing.queryIntervalMs * options.scale,
      totalTimeoutMs: timing.totalTimeoutMs * options.scale,
      // The handler's own limit on the same scale, so that it still gives up before the waiter.
      timeoutScale: options.timeoutScale,
      stackName: stack.name,
      environment: stack.environment,
      crossStack: options.crossStack,
      onProgress: (event) => this.onProgress(event),
      waitHandles: options.cloudFormation.waitHandles,
      stepFunctions: options.stepFunctions?.executions,
      functions: (fn) => this.stepFunction(fn),
      retained: options.retained,
    });
  }

  /**
   * Creates or updates the stack with `stack`'s template, or deletes it (`destroy`, no stack).
   * `progress` gets the operation's events.
   */
  async play(action: StackAction, stack: AssemblyStack | undefined, progress: (event: ProgressEvent) => void): Promise<OperationRecord> {
    const { environment: { packages }, cloudFormation } = this.options;
    const before = { packages: packages.requests.length, cloudFormation: cloudFormation.requests.length, blueGreens: this.blueGreenCounts() };
    this.progress = progress;
    this.kinds.clear();
    const outcome = await this.run(action, stack);
    const stackId = this.player.stackView().stackId;
    return {
      stackName: this.name,
      action,
      outcome,
      resourceOperations: [...this.kinds.values()].reduce((total, n) => total + n, 0),
      uniform: this.kinds.size === 1,
      requests: countByName(packages.requests.slice(before.packages).map((request) => request.operation)),
      // The handler names its stack by id: its reads are this stack's, whatever ran at the same time.
      cloudFormationRequests: countByName(cloudFormation.requests.slice(before.cloudFormation)
        .filter((request) => request.stackName === stackId || request.stackName === this.name).map((request) => request.action)),
      blueGreens: Object.fromEntries(Object.entries(this.blueGreenCounts())
        .map(([domain, count]) => [domain, count - before.blueGreens[domain]]).filter(([, count]) => count !== 0)),
    };
  }

  /** How many blue/green deployments each emulated domain of the stack's environment has run so far. */
  private blueGreenCounts(): Record<string, number> {
    const { environment, domainLabel } = this.options;
    return Object.fromEntries(environment.fixture.domains.map((domain) => [domainLabel(domain), environment.packages.blueGreens(domain)]));
  }

  /**
   * A handler invocation as Lambda runs it: in the stack's region, its endpoint its environment's
   * emulator, with the function's own variables from the template.
   */
  private inFunctions<T>(kind: keyof HandlerFunctions, invoke: () => Promise<T>): Promise<T> {
    const { environment, packages } = this.options.environment;
    const provider = this.provider;
    const functionId = provider?.functions[kind].functionId;
    const own = provider?.template === this.playing?.template;
    const variables = functionId ? this.player.functionVariables(functionId, own ? undefined : provider?.template) : {};
    return inFunctionEnvironment({ region: environment.region, opensearch: packages.endpoint, variables }, invoke);
  }

  /**
   * A function of the stack that a state machine Task calls (the long waiter's step): the code of
   * the assembly that created the state machine, loaded at its first call, run as the handlers are.
   */
  private stepFunction(fn: StackFunction): (event: unknown) => Promise<unknown> {
    const stack = this.playing;
    let loaded: ((event: unknown) => Promise<unknown>) | undefined;
    return (event) => {
      if (!stack) {
        throw new Error(`function ${fn.logicalId} of stack ${this.name} has no code: no assembly is being deployed`);
      }
      loaded ??= loadLambdaHandler(functionCode(stack.template, fn.logicalId, stack.assemblyDir));
      const { environment, packages } = this.options.environment;
      return inFunctionEnvironment({ region: environment.region, opensearch: packages.endpoint, variables: fn.variables }, () => loaded!(event));
    };
  }

  private async run(action: StackAction, stack: AssemblyStack | undefined): Promise<StackOutcome> {
    if (action === 'destroy' || !stack) {
      const outcome = await this.player.destroy();
      this.deployed = outcome.status === 'DELETE_COMPLETE' ? undefined : this.deployed;
      return outcome;
    }
    const provider = hasPlayedResource(stack) ? providerLocation(stack, this.options.assembly ?? []) : undefined;
    const functions = provider && findHandlerFunctions(provider.template, stack.assemblyDir, provider.serviceToken);
    this.handlers = functions && loadHandlers(functions);
    this.provider = provider && functions && { template: provider.template, functions };
    this.playing = stack;
    const outcome = await this.player.deploy(stack.template);
    if (outcome.status === 'CREATE_COMPLETE' || outcome.status === 'UPDATE_COMPLETE') {
      this.deployed = stack;
    }
    return outcome;
  }

  private currentHandlers(): CustomResourceHandlers {
    if (!this.handlers) {
      throw new Error(`stack ${this.name} has no provider: nothing of it is played through a handler`);
    }
    return this.handlers;
  }

  private onProgress(event: ProgressEvent): void {
    // Wait conditions and their handles are CloudFormation's own: not the handler's operations.
    if (!isStackEvent(event, this.name) && isPlayedType(event.resourceType ?? '') && /_(COMPLETE|FAILED)$/.test(event.status)) {
      const kind = `${event.status.split('_')[0]} ${event.packageName === undefined ? 'association' : 'package'}`;
      this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    }
    this.progress(event);
  }
}
