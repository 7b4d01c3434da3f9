import * as fs from 'fs';
import * as path from 'path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { HandlerPolicies, ProviderAccess } from './handler-policies';
import { handlerRuntime } from './handler-runtime';
import { checkInlinePolicyBudget } from './inline-policy-budget';
import { LONGEST_WAIT } from './long-wait';
import { LongWaiter } from './long-waiter';
import { acknowledgeFrameworkFindings, acknowledgeVpcNetworkInterfaces } from './provider-acknowledgements';
import { runFrameworkOn } from './provider-framework';
import { synthError } from './synth-error';

/** The handler bundle that `npm run build` writes with esbuild and the package ships. */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'association-handler');

/**
 * Who gives up first is fixed: the handler at each association's `timeout`
 * (at most 55 minutes), then the provider's waiter (58 minutes), then
 * CloudFormation (`ServiceTimeout`, one hour: its cap for a custom resource).
 * So the failure a user sees is always the handler's own message.
 */
export const TOTAL_TIMEOUT = Duration.minutes(58);

/** CloudFormation's wait for each association: its cap, above the waiter's. */
export const SERVICE_TIMEOUT = Duration.hours(1);

/** The handler gives up on an operation after this long unless an association says otherwise. */
export const DEFAULT_OPERATION_TIMEOUT = Duration.minutes(50);

/**
 * The range a user may choose for an association's `timeout`: up to 55
 * minutes the handler waits (below the waiter's total), above that a
 * WaitCondition does, up to its 12 hours (long-wait.ts).
 */
export const OPERATION_TIMEOUT_RANGE = { min: Duration.minutes(1), max: LONGEST_WAIT };

/**
 * Dictionaries settle in minutes and plugins in tens of minutes: polling every
 * 10 s adds at most 10 s per association while keeping the waiter's request
 * count low (348 polls in 58 minutes).
 */
export const QUERY_INTERVAL = Duration.seconds(10);

/**
 * The provider's construct id, namespaced so that it cannot collide with a
 * user's construct or with the provider of another copy of this library.
 */
export const PROVIDER_ID = 'cdk-opensearch-packages.AssociationProvider';

const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** What the handler reads of its own stack before it dissociates (rename and rollback safety). */
export const STACK_READ_ACTIONS = ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'];

/** What a Lambda function in a VPC needs to attach to it; EC2 scopes none of it by resource. */
const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Settings of the custom resource provider behind this library's resources
 * (its Lambda functions and log groups). Give them with
 * `PackagesProvider.configure`.
 */
export interface PackagesProviderOptions {
  /**
   * Runs the provider's Lambda functions in this VPC. The subnets need a route
   * to the OpenSearch Service and CloudFormation APIs (a NAT gateway, or
   * interface endpoints for `es` and `cloudformation`).
   *
   * @default - the functions do not run in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` the functions run.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the functions in `vpc`.
   *
   * @default - one security group per function, created by Lambda
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * What happens to the provider's two log groups when they leave the stack or
   * the stack is deleted. `RemovalPolicy.DESTROY` removes them with the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logGroupRemovalPolicy?: RemovalPolicy;
}

/**
 * Settings of the provider, under their first name.
 *
 * @deprecated use `PackagesProviderOptions`, the same settings
 */
export interface AssociationProviderOptions extends PackagesProviderOptions {}

/**
 * The custom resource provider behind every resource of this library in a
 * stack, and in the stacks that share it (`PackagesProvider.useProviderOf`).
 *
 * One per stack, so the number of Lambda functions does not grow with the number
 * of associations. The handler's permissions on each domain live in a policy of
 * that domain (see `DomainPolicy`), which CloudFormation deletes only after the
 * last association that depends on it.
 */
export class AssociationProvider extends Construct implements ProviderAccess {
  /**
   * Returns the stack's provider, creating it on first use. A construct of
   * another copy of this library at the same id is not this class: it is left
   * alone and this copy uses an id of its own.
   */
  public static getOrCreate(scope: IConstruct, options: PackagesProviderOptions = {}): AssociationProvider {
    const stack = Stack.of(scope);
    for (let n = 1; ; n++) {
      const id = n === 1 ? PROVIDER_ID : `${PROVIDER_ID}${n}`;
      const existing = stack.node.tryFindChild(id);
      if (existing === undefined) {
        return new AssociationProvider(stack, id, options);
      }
      if (existing instanceof AssociationProvider) {
        return existing;
      }
    }
  }

  /** Returns the stack's provider if one exists. */
  public static find(scope: IConstruct): AssociationProvider | undefined {
    const stack = Stack.of(scope);
    return stack.node.children.find((child): child is AssociationProvider => child instanceof AssociationProvider);
  }

  /** The token a custom resource passes as `ServiceToken`. */
  public readonly serviceToken: string;

  /** The settings this provider was built with. */
  public readonly options: PackagesProviderOptions;

  /** The role of the handler functions, which every stack that uses this provider attaches its policies to. */
  public readonly handlerRole: iam.Role;

  public readonly grants: HandlerPolicies;
  private readonly consumers: HandlerPolicies[] = [];

  private constructor(scope: Construct, id: string, options: PackagesProviderOptions) {
    super(scope, id);
    if (!options.vpc && (options.vpcSubnets || options.securityGroups)) {
      // Lambda ignores neither quietly: without a VPC they would simply not apply.
      throw synthError(Stack.of(scope), 'PackagesProvider.configure', 'vpcSubnets and securityGroups need a vpc');
    }
    this.options = options;

    const logGroup = this.logGroup('LogGroup');
    this.handlerRole = this.lambdaRole('HandlerRole', logGroup);
    this.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: STACK_READ_ACTIONS, resources: [Aws.STACK_ID] }));

    const frameworkRoles = [this.lambdaRole('FrameworkOnEventRole', logGroup), this.lambdaRole('FrameworkCompleteRole', logGroup)];
    // Every function of the provider, the framework's too, runs on one runtime: see `handlerRuntime`.
    const runtime = handlerRuntime();
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handlerFunction('OnEventHandler', 'index.onEvent', logGroup, runtime),
      isCompleteHandler: this.handlerFunction('IsCompleteHandler', 'index.isComplete', logGroup, runtime),
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
      logGroup,
      frameworkOnEventRole: frameworkRoles[0],
      frameworkCompleteAndTimeoutRole: frameworkRoles[1],
      ...this.vpcSettings(),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: this.logGroup('WaiterLogGroup'),
        level: sfn.LogLevel.ALL,
        // The execution input holds CloudFormation's pre-signed response URL.
        includeExecutionData: false,
      },
    });
    runFrameworkOn(provider, runtime);
    acknowledgeFrameworkFindings(provider, frameworkRoles);
    if (options.vpc) {
      acknowledgeVpcNetworkInterfaces([this.handlerRole, ...frameworkRoles]);
    }
    this.serviceToken = provider.serviceToken;
    this.grants = new HandlerPolicies(this, this.handlerRole);
    this.node.addValidation({
      validate: () => {
        const all = [this.grants, ...this.consumers];
        return checkInlinePolicyBudget(this.handlerRole, all.flatMap((p) => p.policies),
          all.reduce((total, p) => total + p.domainCount, 0), this.consumers.length > 0);
      },
    });
  }

  /**
   * Counts the policies of a stack that shares this provider against the
   * handler role's inline-policy budget: they are attached to the same role.
   */
  public addConsumer(policies: HandlerPolicies): void {
    this.consumers.push(policies);
  }

  /**
   * The background waiter of this stack's long resources (`timeout` above 55
   * minutes), created with the first one: stacks without any keep their
   * template.
   */
  public longWaiter(): LongWaiter {
    return this.longWaiterIn(this, this.grants);
  }

  /** The waiter of the resources that `grants` serve, created under `scope` (this provider, or a stack sharing it). */
  public longWaiterIn(scope: Construct, grants: HandlerPolicies): LongWaiter {
    return LongWaiter.getOrCreate(scope, {
      serviceToken: this.serviceToken,
      handlerRole: this.handlerRole,
      grants,
      step: { ...this.handlerSettings(), code: lambda.Code.fromAsset(handlerAssetDir(this)), runtime: handlerRuntime() },
      logRetention: LOG_RETENTION,
    });
  }

  /** A role without managed policies: it may write to the provider's log group only. */
  private lambdaRole(id: string, logGroup: logs.ILogGroup): iam.Role {
    const role = new iam.Role(this, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    if (this.options.vpc) {
      // Lambda adds AWSLambdaVPCAccessExecutionRole only to roles it creates itself.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: VPC_NETWORK_INTERFACE_ACTIONS, resources: ['*'] }));
    }
    return role;
  }

  private logGroup(id: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      retention: LOG_RETENTION,
      removalPolicy: this.options.logGroupRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  private vpcSettings(): Pick<lambda.FunctionOptions, 'vpc' | 'vpcSubnets' | 'securityGroups'> {
    const { vpc, vpcSubnets, securityGroups } = this.options;
    return vpc ? { vpc, vpcSubnets, securityGroups } : {};
  }

  private handlerFunction(id: string, handler: string, logGroup: logs.ILogGroup, runtime: lambda.Runtime): lambda.Function {
    return new lambda.Function(this, id, {
      description: `OpenSearch package association ${handler.split('.')[1]} handler`,
      code: lambda.Code.fromAsset(handlerAssetDir(this)),
      handler,
      runtime,
      role: this.handlerRole,
      logGroup,
      ...this.handlerSettings(),
    });
  }

  /** What every function running the handler's code shares, the waiter's step included. */
  private handlerSettings(): Pick<lambda.FunctionProps, 'timeout' | 'memorySize' | 'vpc' | 'vpcSubnets' | 'securityGroups'> {
    return {
      // Each invocation returns within seconds; the margin covers the SDK's retries.
      timeout: Duration.minutes(2),
      memorySize: 256,
      ...this.vpcSettings(),
    };
  }
}

function handlerAssetDir(scope: IConstruct): string {
  if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
    throw synthError(scope, 'handler bundle', `not found in ${HANDLER_ASSET_DIR}: run 'npm run build' first`);
  }
  return HANDLER_ASSET_DIR;
}
