import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAssetBucketRead } from './provider-acknowledgements';

/**
 * Package actions. OpenSearch Service supports no resource-level permission
 * for any of them, so they can only be granted on `*`.
 */
export const PACKAGE_ACTIONS = [
  'es:CreatePackage',
  'es:DeletePackage',
  'es:DescribePackages',
  'es:ListDomainsForPackage',
  'es:UpdatePackage',
];

/**
 * What the caller of CreatePackage with a customer managed key needs: the key policy permissions that the
 * developer guide lists ("Amazon OpenSearch Service custom package AWS KMS integration", Key policy,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/custom-package-kms-integration.html):
 * CreateGrant for the service's grant, DescribeKey to validate the key, and the three operations the grant allows.
 */
export const PACKAGE_KEY_ACTIONS = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];

export interface PackagePolicyProps {
  /** The handler role the policy is attached to. */
  readonly role: iam.IRole;
}

/**
 * The handler's permissions on packages, in a policy of their own that exists
 * only while the stack has a package or a lookup: every such resource depends
 * on it, so its Delete (DeletePackage) runs before the policy is deleted, as
 * for the domain policies.
 */
export class PackagePolicy extends Construct {
  /** The `AWS::IAM::Policy`: what a package resource depends on. */
  public readonly policy: iam.Policy;

  private readonly readable = new Set<string>();
  private readonly keys = new Set<string>();

  constructor(scope: Construct, id: string, props: PackagePolicyProps) {
    super(scope, id);
    this.policy = new iam.Policy(this, 'Resource', {
      roles: [props.role],
      statements: [new iam.PolicyStatement({ actions: PACKAGE_ACTIONS, resources: ['*'] })],
    });
  }

  /**
   * The service copies a package's source with the caller's credentials: lets
   * the handler read `keys` (an object key, or `*`) of `bucket`, nothing else.
   */
  public allowRead(bucket: s3.IBucket, keys: string): void {
    const arn = bucket.arnForObjects(keys);
    if (!this.readable.has(arn)) {
      this.readable.add(arn);
      this.policy.addStatements(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [arn] }));
      if (keys === '*') {
        acknowledgeAssetBucketRead(this.policy, arn);
      }
    }
  }

  /**
   * A package encrypted with `key`: the KMS actions CreatePackage and UpdatePackage need, on that key only, and
   * only through the service (the guide's `kms:ViaService` value), so the handler cannot use the key itself.
   */
  public allowKeyUse(key: kms.IKey): void {
    if (!this.keys.has(key.keyArn)) {
      this.keys.add(key.keyArn);
      this.policy.addStatements(new iam.PolicyStatement({
        actions: PACKAGE_KEY_ACTIONS,
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `custom-packages.${Stack.of(this).region}.amazonaws.com` } },
      }));
    }
  }
}
