import { DOMAIN_NAME_PATTERN, PACKAGE_ID_PATTERN } from '../../lib/association-rules';
import type { PackagePair } from './association-request';

/**
 * Marks a pair the operation found already associated (adopted rather than
 * created): a rollback of the deploy that adopted it must leave it in place.
 */
const ADOPTED = 'adopted';

/** The pair a physical id names, and whether the association was adopted. */
export interface IssuedId extends PackagePair {
  readonly adopted: boolean;
}

/**
 * The physical id names the pair (and the adoption marker) and nothing else,
 * so Delete needs no properties (which an older handler version may have
 * written differently): `<domain>/<packageId>` or `<domain>/<packageId>/adopted`.
 */
export function physicalIdOf(pair: PackagePair, adopted = false): string {
  return `${pair.domainName}/${pair.packageId}${adopted ? `/${ADOPTED}` : ''}`;
}

/**
 * The pair behind a physical id this handler issued (any version); undefined
 * for any other id, e.g. the `<stack>-<logicalId>-<suffix>` CloudFormation
 * invents when a create was interrupted before the handler answered.
 */
export function parsePhysicalId(physicalId: string | undefined): IssuedId | undefined {
  const [domainName, packageId, marker, ...rest] = (physicalId ?? '').split('/');
  const issued = rest.length === 0
    && (marker === undefined || marker === ADOPTED)
    && DOMAIN_NAME_PATTERN.test(domainName ?? '')
    && PACKAGE_ID_PATTERN.test(packageId ?? '');
  return issued ? { domainName, packageId, adopted: marker === ADOPTED } : undefined;
}

/** Whether two pairs name the same domain and package, whatever their markers. */
export function samePair(a: PackagePair | undefined, b: PackagePair | undefined): boolean {
  return a !== undefined && b !== undefined && a.domainName === b.domainName && a.packageId === b.packageId;
}
