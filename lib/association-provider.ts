import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFrameworkFindings } from './provider-acknowledgements';

/** The handler bundle that `npm run build` writes with esbuild and the package ships. */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', 'assets', 'association-handler');

/** Pinned, not NODEJS_LATEST: a CDK upgrade must not change every consumer's template. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** CloudFormation waits at most one hour for a custom resource. */
export const TOTAL_TIMEOUT = Duration.hours(1);

/**
 * Dictionaries settle in minutes and plugins in tens of minutes: polling every
 * 10 s adds at most 10 s per association while keeping the waiter's request
 * count low (360 polls in the hour).
 */
export const QUERY_INTERVAL = Duration.seconds(10);

const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** Package actions, all scoped by IAM to the `domain` resource type. */
const PACKAGE_ACTIONS = ['es:AssociatePackage', 'es:DissociatePackage', 'es:ListPackagesForDomain'];

/**
 * The stack-wide custom resource provider behind every `DomainPackageAssociation`.
 *
 * One per stack, so the number of Lambda functions does not grow with the number
 * of associations. Each association adds its domain (and key-access role) to
 * the handler's policy, which therefore never names a domain the stack does not
 * target.
 */
export class AssociationProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static getOrCreate(scope: Construct): AssociationProvider {
    const stack = Stack.of(scope);
    const id = 'OpenSearchPackageAssociationProvider';
    const existing = stack.node.tryFindChild(id) as AssociationProvider | undefined;
    return existing ?? new AssociationProvider(stack, id);
  }

  /** The token a custom resource passes as `ServiceToken`. */
  public readonly serviceToken: string;

  private readonly handlerRole: iam.Role;
  private readonly domainStatement: iam.PolicyStatement;
  private readonly domainArns = new Set<string>();
  private readonly passRoleArns = new Set<string>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: LOG_RETENTION });
    this.handlerRole = this.lambdaRole('HandlerRole', logGroup);
    this.domainStatement = new iam.PolicyStatement({ actions: PACKAGE_ACTIONS });
    this.handlerRole.addToPrincipalPolicy(this.domainStatement);

    const frameworkRoles = [this.lambdaRole('FrameworkOnEventRole', logGroup), this.lambdaRole('FrameworkCompleteRole', logGroup)];
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handlerFunction('OnEventHandler', 'index.onEvent', logGroup),
      isCompleteHandler: this.handlerFunction('IsCompleteHandler', 'index.isComplete', logGroup),
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
      logGroup,
      frameworkOnEventRole: frameworkRoles[0],
      frameworkCompleteAndTimeoutRole: frameworkRoles[1],
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogGroup', { retention: LOG_RETENTION }),
        level: sfn.LogLevel.ALL,
        // The execution input holds CloudFormation's pre-signed response URL.
        includeExecutionData: false,
      },
    });
    acknowledgeFrameworkFindings(provider, frameworkRoles);
    this.serviceToken = provider.serviceToken;
  }

  /** Lets the handler manage the packages of the domain `domainArn` names, and do nothing else on it. */
  public allowDomain(domainArn: string): void {
    if (this.domainArns.has(domainArn)) {
      return;
    }
    this.domainArns.add(domainArn);
    this.domainStatement.addResources(domainArn);
  }

  /** Lets the handler pass `role` to the service as a key-access role. */
  public allowPassRole(role: iam.IRole): void {
    if (this.passRoleArns.has(role.roleArn)) {
      return;
    }
    this.passRoleArns.add(role.roleArn);
    role.grantPassRole(this.handlerRole);
  }

  /** A role without managed policies: it may write to the provider's log group only. */
  private lambdaRole(id: string, logGroup: logs.ILogGroup): iam.Role {
    const role = new iam.Role(this, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    return role;
  }

  private handlerFunction(id: string, handler: string, logGroup: logs.ILogGroup): lambda.Function {
    return new lambda.Function(this, id, {
      description: `OpenSearch package association ${handler.split('.')[1]} handler`,
      code: lambda.Code.fromAsset(handlerAssetDir()),
      handler,
      runtime: HANDLER_RUNTIME,
      role: this.handlerRole,
      // Each invocation returns within seconds; the margin covers the SDK's retries.
      timeout: Duration.minutes(2),
      memorySize: 256,
      logGroup,
    });
  }
}

function handlerAssetDir(): string {
  if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
    throw new Error(`handler bundle not found in ${HANDLER_ASSET_DIR}: run 'npm run build' first`);
  }
  return HANDLER_ASSET_DIR;
}
