/**
 * The size of the response the provider framework sends CloudFormation for a
 * set of packages (DomainPackages): CloudFormation takes at most 4,096 bytes,
 * and a set's physical id and Data grow with every package. Pure module: the
 * handler's tests measure real responses against it.
 */

/** CloudFormation's limit on a custom resource's response. */
export const RESPONSE_LIMIT_BYTES = 4_096;

/** What a value unknown at synth time is assumed to take: a `pkg-<hex>` id at its longest seen, a version, a domain name at its longest. */
const TOKEN_PACKAGE_ID = `pkg-${'f'.repeat(28)}`;
const LONGEST_VERSION = 'v'.padEnd(8, '9');
const LONGEST_DOMAIN_NAME = 'd'.repeat(28);
const LONGEST_STACK_ID = `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'s'.repeat(128)}/00000000-0000-0000-0000-000000000000`;

export interface SetResponseShape {
  /** Each value may be a token (then the longest it can be is assumed). */
  readonly domainName: string;
  readonly logicalId: string;
  readonly packageIds: readonly string[];
  readonly keys: readonly string[];
}

/**
 * The largest the success response can be, as the framework builds it
 * (cfn-response.js: Status, Reason, StackId, RequestId, PhysicalResourceId,
 * LogicalResourceId, Data): every package marked adopted in the physical id,
 * every package with a dictionary's reference path and a long version.
 */
export function estimatedResponseBytes(shape: SetResponseShape, isToken: (value: string) => boolean): number {
  const ids = shape.packageIds.map((id) => (isToken(id) ? TOKEN_PACKAGE_ID : id));
  const domainName = isToken(shape.domainName) ? LONGEST_DOMAIN_NAME : shape.domainName;
  const data = Object.fromEntries(shape.keys.flatMap((key, i) => [
    [`${key}.ReferencePath`, `analyzers/${ids[i]}`],
    [`${key}.PackageVersion`, LONGEST_VERSION],
  ]));
  return Buffer.byteLength(JSON.stringify({
    Status: 'SUCCESS',
    Reason: 'SUCCESS',
    StackId: LONGEST_STACK_ID,
    RequestId: '00000000-0000-0000-0000-000000000000',
    PhysicalResourceId: `${domainName}/packages/${ids.map((id) => `${id}*`).join('+')}`,
    LogicalResourceId: shape.logicalId,
    Data: data,
  }));
}
