import type { PackageDetails } from '@aws-sdk/client-opensearch';

/**
 * Whether AWS owns the package (an optional plugin such as analysis-nori).
 * PackageOwner's values are not documented, and older answers leave it out:
 * 'AWS' when reported, or the G-id AWS-owned packages have.
 */
export function isAwsOwned(details: PackageDetails): boolean {
  return details.PackageOwner === 'AWS' || /^G[0-9]+$/.test(details.PackageID ?? '');
}
