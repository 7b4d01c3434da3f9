import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) findings the provider framework's own grants raise and
 * no property of `Provider` can avoid. Each is acknowledged on the one
 * construct that raises it, naming the exact resource, so any finding a change
 * adds still fails synthesis.
 */
export function acknowledgeFrameworkFindings(provider: cr.Provider, frameworkRoles: iam.IRole[]): void {
  const userFunctions = [provider.onEventHandler, provider.isCompleteHandler].flatMap((fn) => fn ?? []);
  for (const role of frameworkRoles) {
    acknowledgeInvokeVersions(role, userFunctions);
  }

  // Children of the framework's constructs are found by id: one a future aws-cdk-lib renames is
  // skipped (its finding, if any, then fails synthesis and shows what to acknowledge).
  const waiter = provider.node.tryFindChild('waiter-state-machine');
  const waiterRole = waiter?.node.tryFindChild('Role');
  const waiterTargets = ['framework-isComplete', 'framework-onTimeout']
    .flatMap((id) => (provider.node.tryFindChild(id) as lambda.IFunction | undefined) ?? []);
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

function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}

/** OpenSearch Service package actions take no resource: `*` is the only resource they can be granted on. */
export function acknowledgePackageActions(policy: IConstruct): void {
  acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
    'es:CreatePackage, es:UpdatePackage, es:DeletePackage, es:DescribePackages, es:GetPackageVersionHistory and '
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
  const intrinsic = value as Record<string, any>;
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) return (intrinsic['Fn::Join'][1] as unknown[]).map(nagResource).join(intrinsic['Fn::Join'][0]);
  if (typeof intrinsic['Fn::Sub'] === 'string') return (intrinsic['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, '<$1>');
  return JSON.stringify(value);
}
