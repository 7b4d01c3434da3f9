/**
 * The service's input rules for a package association, shared by the construct
 * (synth time) and the handler (deploy time, when tokens have resolved).
 *
 * Pure module: no CDK imports, so the handler bundle stays small.
 */

/** DomainName: 3-28 characters, lowercase letter first. */
export const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]{2,27}$/;

/** PackageID: F-/G-ids and newer `pkg-<hex>` ids. */
export const PACKAGE_ID_PATTERN = /^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$/;

/** KeyAccessRoleArn: 20-2048 characters, an IAM role in a known partition. */
export const KEY_ACCESS_ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]+:role\/.+$/;

const KEY_ACCESS_ROLE_ARN_LENGTH = { min: 20, max: 2048 };

/** Returns why `domainName` is invalid, or undefined when it is valid. */
export function domainNameProblem(domainName: string): string | undefined {
  return DOMAIN_NAME_PATTERN.test(domainName)
    ? undefined
    : `'${domainName}' must be 3-28 characters matching ^[a-z][a-z0-9\\-]+$`;
}

/** Returns why `packageId` is invalid, or undefined when it is valid. */
export function packageIdProblem(packageId: string): string | undefined {
  return PACKAGE_ID_PATTERN.test(packageId)
    ? undefined
    : `'${packageId}' must match ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$`;
}

/** Returns why `roleArn` is invalid, or undefined when it is valid. */
export function keyAccessRoleArnProblem(roleArn: string): string | undefined {
  const { min, max } = KEY_ACCESS_ROLE_ARN_LENGTH;
  return roleArn.length >= min && roleArn.length <= max && KEY_ACCESS_ROLE_ARN_PATTERN.test(roleArn)
    ? undefined
    : `'${roleArn}' must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>, ${min}-${max} characters)`;
}

/**
 * The most packages one domain holds: "Custom packages per domain: 20" (not
 * adjustable) in the service's quotas, and 20 plugins of all kinds per domain
 * in the custom-plugins guide. AssociatePackages itself documents no list limit.
 */
export const MAX_PACKAGES_PER_DOMAIN = 20;
