import { DOMAIN_NAME_PATTERN, PACKAGE_ID_PATTERN } from '../lib/association-rules';
import type { PackagePair } from './association-request';

/**
 * The physical id names the pair and nothing else, so Delete needs no
 * properties (which an older handler version may have written differently).
 */
export function physicalIdOf(pair: PackagePair): string {
  return `${pair.domainName}/${pair.packageId}`;
}

/**
 * The pair behind a physical id this handler issued; undefined for any other
 * id, e.g. the `<stack>-<logicalId>-<suffix>` CloudFormation invents when a
 * create was interrupted before the handler answered.
 */
export function parsePhysicalId(physicalId: string | undefined): PackagePair | undefined {
  const [domainName, packageId, ...rest] = (physicalId ?? '').split('/');
  const issued = rest.length === 0
    && DOMAIN_NAME_PATTERN.test(domainName ?? '')
    && PACKAGE_ID_PATTERN.test(packageId ?? '');
  return issued ? { domainName, packageId } : undefined;
}
