import { ArnFormat, Aws, CfnResource, CustomResource, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, IConstruct } from 'constructs';
import type { HandlerPolicies } from './handler-policies';
import { NEXT_FIELD, WAIT_SECONDS_FIELD, WAITER_RESOURCE_TYPE } from './long-wait-contract';
import { acknowledgeLongWaiterFindings } from './provider-acknowledgements';

/**
 * The background waiter of a stack's long resources (`timeout` above 55
 * minutes, see long-wait.ts): a Step Functions standard workflow that runs
 * the handler's own isComplete (`index.waiterStep`) every 30 seconds until
 * the operation ends, then signals the resource's WaitCondition. Its input
 * holds logical ids, never a pre-signed URL.
 *
 * A withdrawal handed to it may have to wait for a blue/green still running
 * when the stack is deleted, and deleting a state machine stops its
 * executions. So CloudFormation keeps the waiter on delete (state machine,
 * step function, their roles and policies), and the waiter removes itself:
 * the Delete of its `Custom::OpenSearchPackagesWaiter` resource starts a
 * clean-up execution, which waits until no other execution runs and the
 * stack operation has ended, then deletes the step function, its role and
 * the state machine. Only the state machine's role is left (nothing can
 * delete the role it runs with), holding permissions on what it deleted.
 */

/** What the waiter's step function runs with: the handler's code and settings. */
export type WaiterStepOptions = Pick<lambda.FunctionProps, 'code' | 'runtime' | 'timeout' | 'memorySize' | 'vpc' | 'vpcSubnets' | 'securityGroups'>;

export interface LongWaiterProps {
  /** The provider's service token: the waiter's own custom resource uses it. */
  readonly serviceToken: string;
  /** The handler role: it starts executions. */
  readonly handlerRole: iam.IRole;
  /** The handler's policies on this stack's domains: the step function gets the same statements. */
  readonly grants: HandlerPolicies;
  /** The step function's code and settings (the handler's). */
  readonly step: WaiterStepOptions;
  /** How long the waiter's logs are kept. */
  readonly logRetention: logs.RetentionDays;
}

/** The state machine's name: fixed at synth (the policies that name it cannot refer to it), unique per stack. */
const NAME_PREFIX = 'OpenSearchPackagesWaiter-';

export class LongWaiter extends Construct {
  /** The stack's waiter, created on first use under `scope` (the stack's provider access). */
  public static getOrCreate(scope: Construct, props: LongWaiterProps): LongWaiter {
    const existing = scope.node.tryFindChild(WAITER_ID);
    return existing instanceof LongWaiter ? existing : new LongWaiter(scope, WAITER_ID, props);
  }

  /** The state machine's ARN (built from its name: no reference to the resource). */
  public readonly stateMachineArn: string;

  /** The policy that lets the handler start executions; long resources depend on it. */
  public readonly startPolicy: iam.Policy;

  private constructor(scope: Construct, id: string, props: LongWaiterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // The stack id's UUID: unique per stack and region, known before any resource exists.
    const stateMachineName = `${NAME_PREFIX}${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
    this.stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const stepRole = new iam.Role(this, 'StepRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const stepAccess = this.stepAccess(stepRole, props.grants, logGroup);
    const step = new lambda.Function(this, 'StepHandler', {
      ...props.step,
      description: 'OpenSearch packages: one step of the long waiter (index.waiterStep)',
      handler: 'index.waiterStep',
      role: stepRole,
      logGroup,
    });
    step.node.addDependency(stepAccess);

    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(step, stepRole, stepAccess)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'cdk-opensearch-packages: waits for long package operations, signals their WaitCondition, then removes itself',
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeLongWaiterFindings(stateMachine, step, stepAccess);

    this.startPolicy = new iam.Policy(this, 'StartPolicy', {
      roles: [props.handlerRole],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] })],
    });
    props.grants.addPolicy(this.startPolicy);
    const cleanUp = new CustomResource(this, 'Resource', {
      serviceToken: props.serviceToken,
      resourceType: WAITER_RESOURCE_TYPE,
      properties: { StateMachine: this.stateMachineArn },
    });
    // Deleted first: its Delete starts the clean-up, with the permission and the state machine still there.
    cleanUp.node.addDependency(this.startPolicy, stateMachine);

    keepOnDelete([stateMachine, step, stepRole, stepAccess]);
  }

  /**
   * The step function's permissions: what the handler may do on this stack's
   * domains (the same statements), read packages if the handler may, read
   * this stack, and see the waiter's executions (for its clean-up). A policy
   * of its own, built once every domain is known, kept on delete with the role.
   */
  private stepAccess(role: iam.Role, grants: HandlerPolicies, logGroup: logs.ILogGroup): iam.CfnPolicy {
    const packageReads = () => (grants.readsPackages ? [new iam.PolicyStatement({ actions: ['es:DescribePackages'], resources: ['*'] })] : []);
    const own = [
      new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'], resources: [Aws.STACK_ID] }),
      new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [this.stateMachineArn] }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    ];
    return new iam.CfnPolicy(this, 'StepAccess', {
      policyName: 'waiter-step-access',
      roles: [role.roleName],
      policyDocument: Lazy.any({
        produce: () => ({
          Version: '2012-10-17',
          Statement: [
            ...grants.domainPolicies.flatMap((policy) => (policy.document.toJSON() as { Statement?: unknown[] } | undefined)?.Statement ?? []),
            ...[...packageReads(), ...own].map((statement) => statement.toStatementJson()),
          ],
        }),
      }),
    });
  }

  /**
   * Step; then wait and step again, end, or clean up: delete the step
   * function, its role and the state machine (the last one stops the
   * execution).
   */
  private definition(step: lambda.IFunction, stepRole: iam.Role, stepAccess: iam.CfnPolicy): sfn.IChainable {
    const run = new tasks.LambdaInvoke(this, 'Step', { lambdaFunction: step, payloadResponseOnly: true, retryOnServiceExceptions: true });
    const call = (id: string, service: string, action: string, parameters: Record<string, unknown>, resource: string, iamAction: string) =>
      new tasks.CallAwsService(this, id, { service, action, parameters, iamResources: [resource], iamAction, resultPath: sfn.JsonPath.DISCARD });
    const cleanUp = call('DeleteStepFunction', 'lambda', 'deleteFunction', { FunctionName: step.functionArn }, step.functionArn, 'lambda:DeleteFunction')
      .next(call('DeleteStepPolicy', 'iam', 'deleteRolePolicy', { RoleName: stepRole.roleName, PolicyName: stepAccess.policyName },
        stepRole.roleArn, 'iam:DeleteRolePolicy'))
      .next(call('DeleteStepRole', 'iam', 'deleteRole', { RoleName: stepRole.roleName }, stepRole.roleArn, 'iam:DeleteRole'))
      .next(call('DeleteStateMachine', 'sfn', 'deleteStateMachine', { 'StateMachineArn.$': '$$.StateMachine.Id' }, this.stateMachineArn,
        'states:DeleteStateMachine'));
    const wait = new sfn.Wait(this, 'Wait', { time: sfn.WaitTime.secondsPath(`$.${WAIT_SECONDS_FIELD}`) });
    return run.next(new sfn.Choice(this, 'NextStep')
      .when(sfn.Condition.stringEquals(`$.${NEXT_FIELD}`, 'wait'), wait.next(run))
      .when(sfn.Condition.stringEquals(`$.${NEXT_FIELD}`, 'clean-up'), cleanUp)
      .otherwise(new sfn.Succeed(this, 'Done')));
  }
}

const WAITER_ID = 'LongWaiter';

/** Keeps the resources below `constructs` on delete (and replacement): the clean-up execution removes them. */
function keepOnDelete(constructs: IConstruct[]): void {
  for (const construct of constructs) {
    for (const child of construct.node.findAll()) {
      if (CfnResource.isCfnResource(child)) {
        child.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }
  }
}
