/**
 * A stack's `AWS::StepFunctions::StateMachine` resources in the Step Functions emulator: created
 * (registered under the ARN their Ref gives: the name's when they have a `StateMachineName`) when
 * a stack operation brings them, as the player creates every such type instantly, and deleted when
 * the operation that removes them ends, which terminates their running executions at their next
 * transition (step-functions-executions.ts). A state machine CloudFormation retains
 * (`DeletionPolicy: Retain`, retention.ts) is not deleted: its executions go on after its stack.
 *
 * An execution interprets the definition resolved against the template (state-machine-runner.ts);
 * a Task whose Resource is the ARN of a Lambda function of the stack calls that function's code
 * (`FunctionLoader`) while the function exists: while its stack holds it, or once retained until
 * something deletes it (then Lambda.ResourceNotFoundException). `aws-sdk` Tasks act on the retained
 * resources (aws-sdk-tasks.ts).
 */
import { TaskError } from './asl-interpreter';
import { fakeResourceArn, ResolveContext } from './intrinsics';
import { environmentOfStackId } from './stack-environment';
import { DeployedResource, DeployedStack, instantArn, resolveContext, resolvedProperties, StackIdentity } from './stack-state';
import type { StackTemplate, TemplateResource } from './stack-template';
import { stateMachineRunner } from './state-machine-runner';
import type { RetainedResources } from '../emulator/retained-resources';
import { ExecutionFailed, StateMachineRunner, StepFunctionsExecutions } from '../emulator/step-functions-executions';

export const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';
const FUNCTION_TYPE = 'AWS::Lambda::Function';

/** A Lambda function of the stack, as a Task calls it. */
export interface StackFunction {
  readonly logicalId: string;
  /** `Handler`, e.g. `index.waiterStep`. */
  readonly handler: string;
  /** Its `Environment.Variables`, resolved (those that cannot be are left out). */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * The code of a function: asked once per function when an operation creates the state machines
 * (so it may bind the code of that operation's assembly), the invoker called once per Task. Load
 * the code lazily: most functions of a stack are never called by a Task.
 */
export type FunctionLoader = (fn: StackFunction) => (event: unknown) => Promise<unknown>;

export interface StackStateMachinesOptions {
  readonly executions: StepFunctionsExecutions;
  /** @default none: a Task fails, naming the function */
  readonly functions?: FunctionLoader;
  /** Multiplies Wait seconds and retry intervals. */
  readonly timeoutScale: number;
  /** The account's retained resources: functions that outlive the stack, and what `aws-sdk` Tasks delete. */
  readonly retained: RetainedResources;
}

export class StackStateMachines {
  /** Logical id → ARN of the state machines registered by this stack. */
  private readonly registered = new Map<string, string>();
  /** ARNs of the Lambda functions the stack holds now. */
  private held = new Set<string>();

  constructor(private readonly identity: StackIdentity, private readonly options: StackStateMachinesOptions) {}

  /** The template's state machines exist from the start of the operation: (re)registered with its definitions. */
  create(template: StackTemplate, live: ReadonlyMap<string, DeployedResource>): void {
    const context = resolveContext(this.identity, template, live);
    this.held = new Set([...this.held, ...functionArns(template, this.identity)]);
    for (const resource of template.resources.values()) {
      if (resource.type === STATE_MACHINE_TYPE) {
        const arn = instantArn(resource, context);
        this.options.executions.register(arn, this.runner(template, resource, live));
        this.registered.set(resource.logicalId, arn);
      }
    }
  }

  /** At the end of an operation: the state machines the stack is not left with are deleted, unless `retained` (logical ids). */
  settle(deployed: DeployedStack | undefined, retained: ReadonlySet<string>): void {
    this.held = new Set(deployed ? functionArns(deployed.template, this.identity) : []);
    for (const [logicalId, arn] of [...this.registered]) {
      if (deployed?.template.resources.get(logicalId)?.type !== STATE_MACHINE_TYPE) {
        if (!retained.has(logicalId)) {
          this.options.executions.delete(arn);
        }
        this.registered.delete(logicalId);
      }
    }
  }

  private runner(template: StackTemplate, resource: TemplateResource, live: ReadonlyMap<string, DeployedResource>): StateMachineRunner {
    const context = resolveContext(this.identity, template, live);
    const definition = (): unknown => {
      const { DefinitionString: text, Definition: object } = resolvedProperties(resource, context);
      return typeof text === 'string' ? text : object;
    };
    const { executions, retained, timeoutScale } = this.options;
    return stateMachineRunner(definition, this.functionsByArn(template, context), timeoutScale, { executions, retained });
  }

  /** Each Lambda function of the template by its ARN: the loader is asked now, so that it sees the stack of this operation. */
  private functionsByArn(template: StackTemplate, context: ResolveContext): Map<string, (event: unknown) => Promise<unknown>> {
    const environment = environmentOfStackId(this.identity.stackId);
    const found = new Map<string, (event: unknown) => Promise<unknown>>();
    for (const resource of template.resources.values()) {
      if (resource.type === FUNCTION_TYPE) {
        const fn = { logicalId: resource.logicalId, handler: String(resource.properties.Handler ?? ''), variables: variablesOf(resource, context) };
        const arn = fakeResourceArn(FUNCTION_TYPE, resource.logicalId, environment);
        found.set(arn, this.whileExists(arn, this.load(fn)));
      }
    }
    return found;
  }

  /** Lambda's answer once the function is gone: its stack removed it, and no retained one is left. */
  private whileExists(arn: string, invoke: (event: unknown) => Promise<unknown>): (event: unknown) => Promise<unknown> {
    return async (event) => {
      if (!this.held.has(arn) && !this.options.retained.findFunction(arn)) {
        throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${arn} (Service: Lambda, Status Code: 404)`);
      }
      return invoke(event);
    };
  }

  private load(fn: StackFunction): (event: unknown) => Promise<unknown> {
    const loader = this.options.functions;
    if (!loader) {
      return async () => {
        throw new ExecutionFailed('States.Runtime', `function ${fn.logicalId} (${fn.handler}) has no code: give the player \`functions\``);
      };
    }
    return loader(fn);
  }
}

function functionArns(template: StackTemplate, identity: StackIdentity): string[] {
  const environment = environmentOfStackId(identity.stackId);
  return [...template.resources.values()].filter((resource) => resource.type === FUNCTION_TYPE)
    .map((resource) => fakeResourceArn(FUNCTION_TYPE, resource.logicalId, environment));
}

/** A function's `Environment.Variables` resolved one by one: a variable that cannot be resolved is left out. */
export function variablesOf(resource: TemplateResource, context: ResolveContext): Record<string, string> {
  const raw = ((resource.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {};
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      variables[name] = String(resolvedProperties({ ...resource, properties: { value } }, context).value);
    } catch {
      // An attribute not reported yet: the function would not start on AWS either; left out here.
    }
  }
  return variables;
}
