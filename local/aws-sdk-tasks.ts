/**
 * The `aws-sdk` service integrations a state machine's Task may call locally
 * (`arn:<partition>:states:::aws-sdk:<service>:<action>`): exactly those the long waiter's clean-up
 * uses (lib/long-waiter.ts), acting on what CloudFormation retained (retained-resources.ts) in the
 * state machine's account:
 * - lambda:deleteFunction {FunctionName}: later invocations fail with Lambda.ResourceNotFoundException;
 * - iam:deleteRolePolicy {RoleName, PolicyName};
 * - iam:deleteRole {RoleName}: Iam.DeleteConflictException while the role holds inline policies;
 * - sfn:deleteStateMachine {StateMachineArn}: its running executions, the caller's included, stop
 *   at their next transition.
 * A service error fails the Task as Step Functions names it (`<Service>.<Exception>`), so Retry and
 * Catch see it; any other action fails the execution, naming it.
 */
import { TaskError } from './asl-interpreter';
import { ApiError } from '../emulator/api-error';
import type { RetainedResources } from '../emulator/retained-resources';
import { ExecutionFailed, StepFunctionsExecutions } from '../emulator/step-functions-executions';

const INTEGRATION = /^arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/;

/** What the integrations act on: the account's retained resources and the Step Functions emulator. */
export interface AwsSdkScope {
  readonly retained: RetainedResources;
  readonly executions: StepFunctionsExecutions;
  /** The calling state machine: its account is the one acted on. */
  readonly stateMachineArn: string;
}

export function isAwsSdkTask(resource: string): boolean {
  return INTEGRATION.test(resource);
}

/** Runs the integration `resource` with the Task's `parameters`; resolves to the service's answer. */
export function runAwsSdkTask(resource: string, parameters: unknown, scope: AwsSdkScope): unknown {
  const [, service, action] = INTEGRATION.exec(resource) ?? [];
  const call = ACTIONS[`${service}:${action}`];
  if (!call) {
    throw new ExecutionFailed('States.Runtime', `unsupported aws-sdk integration '${service}:${action}' (Resource '${resource}'): only ${Object.keys(ACTIONS).join(', ')} run locally`);
  }
  const input = typeof parameters === 'object' && parameters !== null ? parameters as Record<string, unknown> : {};
  try {
    call(input, scope, scope.stateMachineArn.split(':')[4] ?? '');
  } catch (error) {
    if (error instanceof ApiError) {
      const name = `${service.charAt(0).toUpperCase()}${service.slice(1)}`;
      throw new TaskError(`${name}.${error.type}`, `${error.message} (Service: ${name}, Status Code: ${error.status})`);
    }
    throw error;
  }
  return {};
}

type Action = (input: Record<string, unknown>, scope: AwsSdkScope, account: string) => void;

const ACTIONS: Readonly<Record<string, Action>> = {
  'lambda:deleteFunction': (input, { retained }) => retained.deleteFunction(required(input, 'FunctionName')),
  'iam:deleteRolePolicy': (input, { retained }, account) =>
    retained.deleteRolePolicy(account, required(input, 'RoleName'), required(input, 'PolicyName')),
  'iam:deleteRole': (input, { retained }, account) => retained.deleteRole(account, required(input, 'RoleName')),
  'sfn:deleteStateMachine': (input, { retained, executions }) => {
    const arn = required(input, 'StateMachineArn');
    retained.deleteStateMachine(arn);
    executions.delete(arn);
  },
};

function required(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(400, 'ValidationException', `1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}
