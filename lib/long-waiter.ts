import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NEXT_FIELD, WAIT_SECONDS_FIELD } from './long-wait-contract';
import { acknowledgeLongWaiterFindings } from './provider-acknowledgements';

/**
 * The background waiter of long custom resources (`timeout` above 55
 * minutes, see long-wait.ts): a Step Functions standard workflow that runs
 * the handler's own isComplete step (`index.waiterStep`) every
 * `POLL_SECONDS` until the operation ends, then signals the resource's
 * WaitCondition. The step function runs with the handler's role, so the
 * waiter can do exactly what the handler can; the workflow itself may only
 * invoke that function. Its input holds logical ids, never a presigned URL.
 */

export interface LongWaiterProps {
  /** The function that runs one step: the handler bundle's `index.waiterStep`. */
  readonly step: lambda.IFunction;
  /** Where the workflow logs (without execution data). */
  readonly logGroup: logs.ILogGroup;
  /** The handler role, which may start executions. */
  readonly handlerRole: iam.IRole;
}

export class LongWaiter extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  /**
   * The policy that lets the handler start executions. Long resources depend
   * on it; it is a policy of its own (not the role's default policy, which
   * the step function depends on) because it names the state machine, which
   * names the step function.
   */
  public readonly startPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: LongWaiterProps) {
    super(scope, id);
    const step = new tasks.LambdaInvoke(this, 'Step', {
      lambdaFunction: props.step,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    const wait = new sfn.Wait(this, 'Wait', { time: sfn.WaitTime.secondsPath(`$.${WAIT_SECONDS_FIELD}`) });
    const next = new sfn.Choice(this, 'NextStep')
      .when(sfn.Condition.stringEquals(`$.${NEXT_FIELD}`, 'wait'), wait.next(step))
      .otherwise(new sfn.Succeed(this, 'Done'));
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(step.next(next)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'cdk-opensearch-packages: waits for long package operations and signals their WaitCondition',
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeLongWaiterFindings(this.stateMachine, props.step);
    this.startPolicy = new iam.Policy(this, 'StartPolicy', {
      roles: [props.handlerRole],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] })],
    });
  }
}
