import type { PackagePair } from './association-request';
import { DOMAIN_NAME_PATTERN, PACKAGE_ID_PATTERN } from '../lib/association-rules';

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

/** A domain's set of packages (DomainPackages), and which of them the operation that named them adopted. */
export interface IssuedSetId {
  readonly domainName: string;
  readonly packageIds: readonly string[];
  readonly adoptedIds: readonly string[];
}

const SET_SEGMENT = 'packages';
/** Marks a package of a set that was on the domain before the set claimed it. */
const ADOPTED_MARK = '*';

/**
 * `<domain>/packages/<id>+<id>…`, ids sorted, an adopted one ending in `*`:
 * the physical id names every package, so a Delete knows what it may remove
 * and whether another resource of the stack still holds it.
 */
export function setIdOf(domainName: string, packageIds: readonly string[], adoptedIds: readonly string[] = []): string {
  const adopted = new Set(adoptedIds);
  const ids = [...packageIds].sort().map((id) => (adopted.has(id) ? `${id}${ADOPTED_MARK}` : id));
  return `${domainName}/${SET_SEGMENT}/${ids.join('+')}`;
}

/** The set behind a physical id setIdOf issued; undefined for any other id. */
export function parseSetId(physicalId: string | undefined): IssuedSetId | undefined {
  const [domainName, segment, list, ...rest] = (physicalId ?? '').split('/');
  if (rest.length > 0 || segment !== SET_SEGMENT || !DOMAIN_NAME_PATTERN.test(domainName ?? '') || !list) {
    return undefined;
  }
  const marked = list.split('+');
  const packageIds = marked.map((id) => (id.endsWith(ADOPTED_MARK) ? id.slice(0, -ADOPTED_MARK.length) : id));
  if (!packageIds.every((id) => PACKAGE_ID_PATTERN.test(id))) {
    return undefined;
  }
  return { domainName, packageIds, adoptedIds: packageIds.filter((_, i) => marked[i].endsWith(ADOPTED_MARK)) };
}

/** The pairs a physical id this handler issued names: one for an association, every package of a set. */
export function pairsNamedBy(physicalId: string | undefined): PackagePair[] {
  const pair = parsePhysicalId(physicalId);
  if (pair) {
    return [pair];
  }
  const set = parseSetId(physicalId);
  return set ? set.packageIds.map((packageId) => ({ domainName: set.domainName, packageId })) : [];
}
