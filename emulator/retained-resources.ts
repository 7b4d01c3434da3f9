/**
 * What CloudFormation left in the emulated accounts: resources with `DeletionPolicy: Retain` that a
 * stack delete, an update's cleanup or a rollback removed from their stack, as the local player
 * records them. Tests and `deploy:local` read it; the state machines' `aws-sdk` Tasks
 * (local/aws-sdk-tasks.ts) delete from it, with the answers of the services they call.
 *
 * Only types the player creates instantly are recorded (roles, policies, functions, state
 * machines, log groups...): nothing else of them exists locally. An `AWS::IAM::Policy` is a set of
 * inline policies, one per role it names, as IAM stores it: a role keeps it until DeleteRolePolicy,
 * and cannot be deleted before (DeleteConflict).
 */
import { ApiError } from './api-error';

export interface RetainedResource {
  readonly type: string;
  readonly logicalId: string;
  /** The stack that held it, by name and id. */
  readonly stackName: string;
  readonly stackId: string;
  /** What its Ref gave: a name (role, policy, log group) or an ARN (state machine). */
  readonly physicalId: string;
  /** Its ARN where the type has one (function, state machine, role, log group). */
  readonly arn?: string;
  /** An `AWS::IAM::Policy`: its PolicyName, and the roles (by name) that still hold it inline. */
  readonly policyName?: string;
  readonly roles?: readonly string[];
}

const ROLE_TYPE = 'AWS::IAM::Role';
const POLICY_TYPE = 'AWS::IAM::Policy';
const FUNCTION_TYPE = 'AWS::Lambda::Function';
const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

export class RetainedResources {
  private entries: RetainedResource[] = [];

  /** CloudFormation removed `resource` from its stack without deleting it. */
  retain(resource: RetainedResource): void {
    this.entries.push(resource);
  }

  /** Everything still retained, in the order it was left. */
  list(): readonly RetainedResource[] {
    return this.entries;
  }

  /** The retained Lambda function of that ARN, if any. */
  findFunction(arn: string): RetainedResource | undefined {
    return this.entries.find((entry) => entry.type === FUNCTION_TYPE && entry.arn === arn);
  }

  /** The retained state machine of that ARN, if any. */
  findStateMachine(arn: string): RetainedResource | undefined {
    return this.entries.find((entry) => entry.type === STATE_MACHINE_TYPE && entry.arn === arn);
  }

  /** The inline policies role `roleName` of `account` holds from retained policies. */
  inlinePolicies(account: string, roleName: string): string[] {
    return this.entries.filter((entry) => entry.type === POLICY_TYPE && accountOf(entry) === account && entry.roles?.includes(roleName))
      .map((entry) => entry.policyName ?? entry.physicalId);
  }

  /** Lambda DeleteFunction: `functionName` is the function's ARN (the waiter names it so). */
  deleteFunction(functionName: string): void {
    const found = this.findFunction(functionName);
    if (!found) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
    }
    this.remove(found);
  }

  /** IAM DeleteRolePolicy: the role drops the inline policy; a policy no role holds any more is gone. */
  deleteRolePolicy(account: string, roleName: string, policyName: string): void {
    this.role(account, roleName);
    const policy = this.entries.find((entry) => entry.type === POLICY_TYPE && accountOf(entry) === account
      && (entry.policyName ?? entry.physicalId) === policyName && entry.roles?.includes(roleName));
    if (!policy) {
      throw new ApiError(404, 'NoSuchEntityException', `The role policy with name ${policyName} cannot be found.`);
    }
    const roles = policy.roles!.filter((role) => role !== roleName);
    this.remove(policy);
    if (roles.length > 0) {
      this.entries.push({ ...policy, roles });
    }
  }

  /** IAM DeleteRole: refused while the role holds inline policies, as IAM does. */
  deleteRole(account: string, roleName: string): void {
    const role = this.role(account, roleName);
    if (this.inlinePolicies(account, roleName).length > 0) {
      throw new ApiError(409, 'DeleteConflictException', 'Cannot delete entity, must delete policies first.');
    }
    this.remove(role);
  }

  /** Step Functions DeleteStateMachine; the caller stops its executions. Idempotent, as the service. */
  deleteStateMachine(arn: string): void {
    const found = this.findStateMachine(arn);
    if (found) {
      this.remove(found);
    }
  }

  private role(account: string, roleName: string): RetainedResource {
    const role = this.entries.find((entry) => entry.type === ROLE_TYPE && accountOf(entry) === account && entry.physicalId === roleName);
    if (!role) {
      throw new ApiError(404, 'NoSuchEntityException', `The role with name ${roleName} cannot be found.`);
    }
    return role;
  }

  private remove(entry: RetainedResource): void {
    this.entries = this.entries.filter((candidate) => candidate !== entry);
  }
}

/** The account of the stack that left it (IAM names are unique per account only). */
function accountOf(entry: RetainedResource): string {
  return entry.stackId.split(':')[4] ?? '';
}
