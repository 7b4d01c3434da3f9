import { domainNameProblem, MAX_PACKAGES_PER_DOMAIN } from '../../lib/association-rules';
import { associatePackageInput, AssociationRequest, parseAssociationRequest, sameAssociation } from '../association-request';
import { HandlerFailure } from '../handler-failure';

/** A domain's set of packages as a DomainPackages resource's properties describe it, validated and typed. */
export interface PackageSetRequest {
  readonly domainName: string;
  /** In PackageList order; each entry's `packageVersion` is this library's and never sent. */
  readonly packages: readonly AssociationRequest[];
  /** The name of each package's attributes (`<key>.ReferencePath`), in the same order. */
  readonly keys: readonly string[];
}

type Properties = Record<string, unknown>;

/**
 * Reads `DomainName`, `PackageList` (AssociatePackages' own shape, plus
 * `PackageVersion` per entry) and `PackageKeys`. Every entry is read as an
 * association of its own would be; the set adds its own rules: no package
 * twice, every prerequisite a package of the set, at most the domain's limit.
 * Throws before any call to the service.
 */
export function parsePackageSetRequest(properties: Properties | undefined): PackageSetRequest {
  const props = properties ?? {};
  const domainName = typeof props.DomainName === 'string' ? props.DomainName : '';
  const invalid = (property: string, problem: string) => new HandlerFailure('InvalidProperty', `${property}: ${problem}`, { domainName });
  const domainProblem = domainNameProblem(domainName);
  if (domainProblem) throw invalid('DomainName', domainProblem);

  const list = props.PackageList;
  if (!Array.isArray(list) || list.length === 0 || list.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
    throw invalid('PackageList', `${JSON.stringify(list)} must be a non-empty list of { PackageID, PrerequisitePackageIDList?, AssociationConfiguration?, PackageVersion? }`);
  }
  if (list.length > MAX_PACKAGES_PER_DOMAIN) {
    throw invalid('PackageList', `${list.length} packages: a domain holds at most ${MAX_PACKAGES_PER_DOMAIN}`);
  }
  const packages = list.map((entry: Properties) => parseAssociationRequest({ ...entry, DomainName: domainName }));
  const ids = packages.map((request) => request.packageId);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) throw invalid('PackageList', `'${id}' is listed twice`);
  });
  for (const request of packages) {
    const outside = request.prerequisites.find((id) => !ids.includes(id));
    if (outside) throw invalid('PrerequisitePackageIDList', `'${outside}' (a prerequisite of '${request.packageId}') is not a package of the set`);
  }
  return { domainName, packages, keys: parseKeys(props.PackageKeys, ids, invalid) };
}

/** One key per package, unique; the package ids when not given. */
function parseKeys(value: unknown, ids: string[], invalid: (property: string, problem: string) => HandlerFailure): string[] {
  if (value === undefined) return ids;
  if (!Array.isArray(value) || value.length !== ids.length || value.some((key) => typeof key !== 'string' || key === '')) {
    throw invalid('PackageKeys', `${JSON.stringify(value)} must be ${ids.length} non-empty strings, one per package`);
  }
  value.forEach((key: string, i) => {
    if (value.indexOf(key) !== i) throw invalid('PackageKeys', `'${key}' is listed twice`);
  });
  return value;
}

/** The set's package ids. */
export function packageIdsOf(request: PackageSetRequest): string[] {
  return request.packages.map((pkg) => pkg.packageId);
}

/**
 * The packages whose request differs from the old properties' (new to the
 * set, or another configuration or version): what an update must apply. Old
 * properties this version cannot read count as all changed.
 */
export function changedPackages(request: PackageSetRequest, oldProperties: Properties | undefined): Set<string> {
  const before = previousPackages(request, oldProperties);
  return new Set(request.packages.filter((pkg) => {
    const previous = before?.get(pkg.packageId);
    return !previous || !sameAssociation(previous, pkg);
  }).map((pkg) => pkg.packageId));
}

/**
 * The packages the old properties kept on the same domain whose configuration (prerequisites, key-store
 * access) this request changes; none when the old properties cannot be read.
 */
export function reconfiguredPackages(request: PackageSetRequest, oldProperties: Properties | undefined): string[] {
  const before = previousPackages(request, oldProperties);
  return request.packages.filter((pkg) => {
    const previous = before?.get(pkg.packageId);
    return previous !== undefined && JSON.stringify(associatePackageInput(previous)) !== JSON.stringify(associatePackageInput(pkg));
  }).map((pkg) => pkg.packageId);
}

/** The old properties' packages on the request's domain, by id; undefined when they cannot be read. */
function previousPackages(request: PackageSetRequest, oldProperties: Properties | undefined): Map<string, AssociationRequest> | undefined {
  try {
    const old = parsePackageSetRequest(oldProperties);
    return new Map((old.domainName === request.domainName ? old.packages : []).map((pkg) => [pkg.packageId, pkg]));
  } catch {
    return undefined;
  }
}
