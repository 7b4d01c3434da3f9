import * as cdk from 'aws-cdk-lib';
import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { frameworkFunctions } from './provider-framework';

/**
 * cdk-nag (AwsSolutions) findings the provider framework's own grants raise and
 * no property of `Provider` can avoid. Each is acknowledged on the one
 * construct that raises it, naming the exact resource, so any finding a change
 * adds still fails synthesis.
 *
 * How (see `acknowledge`): every acknowledgement is written twice, for the two
 * cdk-nag generations apps use on the supported aws-cdk-lib range:
 * - as the resource metadata cdk-nag 2.x reads (`cdk_nag.rules_to_suppress`,
 *   what its `NagSuppressions.addResourceSuppressions(scope, …, true)` writes),
 *   on every CloudFormation resource below the scope: works on every version;
 * - with `Validations.of(scope).acknowledge`, which cdk-nag 3.x (a validation
 *   plugin) honours, where the installed aws-cdk-lib scopes it to that construct
 *   (2.271.0 and later). Older releases have no `Validations` (2.220.0), no
 *   `acknowledge` (2.251.0), reject ids with `::` (2.268.0) or apply it to the
 *   whole app (2.270.0, which would hide the app's own findings): there it is
 *   not called. cdk-nag 3.x needs aws-cdk-lib 2.257.0 anyway.
 */
export function acknowledgeFrameworkFindings(provider: cr.Provider, frameworkRoles: iam.IRole[]): void {
  const userFunctions = [provider.onEventHandler, provider.isCompleteHandler].flatMap((fn) => fn ?? []);
  for (const role of frameworkRoles) {
    acknowledgeInvokeVersions(role, userFunctions);
  }

  // Children of the framework's constructs are found by id (see `frameworkFunctions`).
  const waiter = provider.node.tryFindChild('waiter-state-machine');
  const waiterRole = waiter?.node.tryFindChild('Role');
  const waiterTargets = frameworkFunctions(provider, ['framework-isComplete', 'framework-onTimeout']);
  if (waiterRole) {
    acknowledgeInvokeVersions(waiterRole, waiterTargets);
    acknowledge(waiterRole, 'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery and related actions) supports no resource-level permissions; '
      + 'the statement holds log-delivery actions only, no OpenSearch action');
  }
  const machine = waiter?.node.tryFindChild('Resource');
  if (machine) {
    acknowledge(machine, 'AwsSolutions-SF2',
      'the waiter is the provider framework\'s one-task poll loop and Provider exposes no tracing option; '
      + 'its ALL-level execution log already records every poll');
  }
}

/**
 * The long waiter's workflow (see long-waiter.ts): CDK grants it its step
 * function's versions too, and Step Functions log delivery and X-Ray tracing
 * take no resource-level permissions.
 */
export function acknowledgeLongWaiterFindings(stateMachine: sfn.StateMachine, step: lambda.IFunction, stepAccess: IConstruct): void {
  acknowledgeInvokeVersions(stateMachine.role, [step]);
  acknowledge(stateMachine.role, 'AwsSolutions-IAM5[Resource::*]',
    'Step Functions log delivery (logs:CreateLogDelivery and related actions) and X-Ray tracing (xray:PutTraceSegments and related '
    + 'actions) support no resource-level permissions; the statements hold those actions only, no OpenSearch action');
  acknowledge(stepAccess, 'AwsSolutions-IAM5[Resource::*]',
    'es:DescribePackages supports no resource-level permissions; the statement holds that read action only');
}

/** Functions in a VPC manage their network interfaces, which EC2 does not scope by resource. */
export function acknowledgeVpcNetworkInterfaces(roles: iam.IRole[]): void {
  for (const role of roles) {
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
      'a Lambda function in a VPC creates, describes and deletes its own network interfaces (the actions of '
      + 'AWSLambdaVPCAccessExecutionRole); EC2 allows ec2:DescribeNetworkInterfaces only on *');
  }
}

/** `grantInvoke` also allows the function's versions and aliases (`<arn>:*`): still that function only. */
function acknowledgeInvokeVersions(scope: IConstruct, functions: lambda.IFunction[]): void {
  for (const fn of functions) {
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
    acknowledge(scope, `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      `lambda:InvokeFunction on ${fn.node.id} and its versions, granted by the provider framework`);
  }
}

/**
 * Acknowledges the cdk-nag finding `rule` (e.g. `AwsSolutions-IAM5[Resource::*]`) on `scope` and what it holds
 * now, for cdk-nag 2.x and 3.x (see `acknowledgeFrameworkFindings`).
 */
function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  addNagSuppression(scope, rule, reason);
  const validations = scopedValidations(scope);
  if (validations) {
    validations.acknowledge({ id: `AwsSolutions::${rule}`, reason });
  }
}

/** The first aws-cdk-lib release whose `Validations.acknowledge` takes `::` ids and holds for its scope only. */
export const SCOPED_ACKNOWLEDGE_SINCE = '2.271.0';

/** The part of aws-cdk-lib's `Validations` (2.2xx) used here: typed locally, the oldest supported release has none. */
interface ScopedValidations {
  acknowledge(...rules: { readonly id: string; readonly reason: string }[]): void;
}

/** `Validations.of(scope)` where the installed aws-cdk-lib scopes acknowledgements to a construct, else undefined. */
function scopedValidations(scope: IConstruct): ScopedValidations | undefined {
  if (!supportsScopedAcknowledge()) return undefined;
  const validations = (cdk as unknown as { Validations?: { of(scope: IConstruct): Partial<ScopedValidations> } }).Validations;
  const forScope = validations?.of(scope);
  return typeof forScope?.acknowledge === 'function' ? forScope as ScopedValidations : undefined;
}

/** Whether the aws-cdk-lib this code runs with (the app's, a peer dependency) is 2.271.0 or later. */
export function supportsScopedAcknowledge(version: string = installedCdkVersion()): boolean {
  const parse = (v: string) => v.split(/[.+-]/).slice(0, 3).map(Number);
  const [have, since] = [parse(version), parse(SCOPED_ACKNOWLEDGE_SINCE)];
  // 0.0.0 is aws-cdk-lib built from source (its repository's own version): the newest code.
  if (have.every((n) => n === 0)) return true;
  for (let i = 0; i < 3; i++) {
    if (have[i] !== since[i]) return have[i] > since[i];
  }
  return true;
}

function installedCdkVersion(): string {
  return (require('aws-cdk-lib/package.json') as { version: string }).version;
}

/** The CloudFormation metadata key cdk-nag 2.x reads suppressions from. */
export const NAG_METADATA_KEY = 'cdk_nag';

/** One suppression as cdk-nag 2.x stores it in a resource's metadata. */
interface NagSuppressionEntry {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
  readonly is_reason_encoded?: boolean;
}

/**
 * Writes the suppression of `rule` onto every CloudFormation resource below `scope`, as cdk-nag 2.x's
 * `NagSuppressions.addResourceSuppressions(scope, [{ id, reason, appliesTo }], true)` does: the finding in brackets
 * goes to `applies_to` (cdk-nag 2.x rejects an id that holds one), a reason beyond Latin-1 is base64-encoded, and
 * the entries already there are kept (no duplicate). Only resources that exist now are covered, as with
 * `NagSuppressions`: the provider acknowledges after it has created them.
 */
function addNagSuppression(scope: IConstruct, rule: string, reason: string): void {
  const finding = /^([^[]+)\[(.*)\]$/.exec(rule);
  const encoded = [...reason].some((c) => (c.codePointAt(0) ?? 0) > 255);
  const entry: NagSuppressionEntry = {
    ...(encoded ? { reason: Buffer.from(reason).toString('base64') } : { reason }),
    id: finding ? finding[1] : rule,
    ...(finding ? { applies_to: [finding[2]] } : {}),
    ...(encoded ? { is_reason_encoded: true } : {}),
  };
  for (const resource of scope.node.findAll().filter(CfnResource.isCfnResource)) {
    const existing: NagSuppressionEntry[] = resource.getMetadata(NAG_METADATA_KEY)?.rules_to_suppress ?? [];
    const serialized = JSON.stringify(entry);
    if (!existing.some((e) => JSON.stringify(e) === serialized)) {
      resource.addMetadata(NAG_METADATA_KEY, { rules_to_suppress: [...existing, entry] });
    }
  }
}

/** OpenSearch Service package actions take no resource: `*` is the only resource they can be granted on. */
export function acknowledgePackageActions(policy: IConstruct): void {
  acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
    'es:CreatePackage, es:UpdatePackage, es:DeletePackage, es:DescribePackages and '
    + 'es:ListDomainsForPackage support no resource-level permissions; the statement holds those actions only');
}

/**
 * For an asset source the handler may read every object of the asset bucket:
 * an update rollback's UpdatePackage reads the previous version's object,
 * whose key the new template no longer names.
 */
export function acknowledgeAssetBucketRead(policy: IConstruct, objectsArn: string): void {
  acknowledge(policy, `AwsSolutions-IAM5[Resource::${nagResource(Stack.of(policy).resolve(objectsArn))}]`,
    's3:GetObject on the CDK asset bucket only (it holds nothing but this app\'s assets): an update rollback must read the '
    + 'previous package version\'s object, whose key only the old template names');
}

/** How cdk-nag names a resolved value in a finding: pseudo parameters and attributes in angle brackets. */
function nagResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as { 'Ref'?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]]; 'Fn::Sub'?: unknown };
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(nagResource).join(intrinsic['Fn::Join'][0]);
  if (typeof intrinsic['Fn::Sub'] === 'string') return intrinsic['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  return JSON.stringify(value);
}
