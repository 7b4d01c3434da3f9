/**
 * The emulator's domains, packages and S3 objects for a local deploy: guessed from the templates'
 * played resources, or read from a fixture file.
 */
import * as fs from 'node:fs';
import { PlannedPlacement, plannedPlacements, PlannedStack, ResourcePlanner } from './planned-resources';
import type { StackEnvironment } from './stack-environment';
import type { AwsPackage, DomainPackageStatus, EmulatedPackage, PackageType, S3Location } from '../emulator/packages-api-emulator';

/** The fixture file's format (`--fixture <file>`); every field but domains and packages is optional. */
export interface EmulatorFixture {
  readonly domains: string[];
  readonly packages: EmulatedPackage[];
  /** AWS-owned optional plugins (G-ids), by name and engine version: what lookups find. */
  readonly awsPackages?: AwsPackage[];
  /** The S3 objects packages can be created or updated from; any other ends COPY_FAILED. */
  readonly s3Objects?: S3Location[];
  /** How long CreatePackage and UpdatePackage stay COPYING, then VALIDATING, in ms. */
  readonly copyMs?: number;
  readonly validationMs?: number;
  /** Default association / dissociation time of the emulator, in ms. */
  readonly associationMs?: number;
  readonly dissociationMs?: number;
  /**
   * A domain's blue/green deployment time in ms, for every domain or per domain name: what an
   * operation (dis)associating a plugin, license or configuration takes (as `--blue-green-ms`).
   */
  readonly blueGreenMs?: number | Readonly<Record<string, number>>;
  /** A new association is missing from ListPackagesForDomain for this long. */
  readonly listLagMs?: number;
  /** Associations that exist before the deploy (the handler adopts them). */
  readonly associations?: Array<{ domain: string; packageId: string; status?: DomainPackageStatus; version?: string }>;
  /** Domains that a configuration change keeps busy from the start of the run (as `--busy`). */
  readonly busy?: BusyDomain[];
}

/** A domain busy with a configuration change for `ms` from the start: package operations answer a conflict. */
export interface BusyDomain {
  readonly domain: string;
  readonly ms: number;
}

export function readFixture(file: string): EmulatorFixture {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EmulatorFixture>;
  if (!Array.isArray(fixture.domains) || !Array.isArray(fixture.packages)) {
    throw new Error(`${file}: a fixture needs "domains" (names) and "packages" ({ id, name, type })`);
  }
  return fixture as EmulatorFixture;
}

/**
 * Every domain, package and source object the stacks' played resources name:
 * - the domain of each association and package set (DomainPackages), whatever its packages;
 * - a package for each literal package id of an association or a set's PackageList, its type
 *   guessed from prerequisites: a prerequisite is a plugin, a package with prerequisites its
 *   configuration (PACKAGE-CONFIG) when its name says so, else its license, any other a dictionary
 *   (a G-id is an AWS-owned plugin). A package id read from a package or lookup of the app is the
 *   handler's to find;
 * - the source object of each package resource, so that CreatePackage and UpdatePackage find it;
 * - the AWS-owned plugin each lookup names.
 * With `environment`: only what the stacks of that account and region name.
 */
export function fixtureFromStacks(stacks: readonly PlannedStack[], environment?: StackEnvironment): EmulatorFixture {
  // Every stack is planned (imports read them all), only the environment's are kept: its emulator's.
  const planned = new ResourcePlanner(stacks).planAll(environment);
  const placements = plannedPlacements(planned);
  return {
    domains: unique(placements.map((placement) => placement.domain)),
    packages: literalPackages(placements),
    awsPackages: uniqueBy(planned.lookups.map(({ name, engineVersion }) => ({ name, engineVersion })), (pkg) => `${pkg.name}@${pkg.engineVersion}`),
    s3Objects: uniqueBy(planned.packages.flatMap((pkg) => pkg.source ?? []), (source) => `${source.bucket}/${source.key}`),
  };
}

function literalPackages(placements: readonly PlannedPlacement[]): EmulatedPackage[] {
  const prerequisiteIds = new Set(placements.flatMap((placement) => placement.prerequisites));
  const packages = new Map<string, EmulatedPackage>();
  for (const placement of placements) {
    const id = placement.packageId;
    if (id !== undefined && !packages.has(id)) {
      packages.set(id, { id, name: placement.name, type: guessType(id, placement, prerequisiteIds) });
    }
  }
  // A prerequisite that no association of the stack names still has to exist.
  for (const id of prerequisiteIds) {
    if (!packages.has(id)) {
      packages.set(id, { id, name: `plugin-${id.toLowerCase()}`, type: 'ZIP-PLUGIN' });
    }
  }
  return [...packages.values()];
}

function guessType(packageId: string, placement: PlannedPlacement, prerequisiteIds: Set<string>): PackageType {
  if (prerequisiteIds.has(packageId) || packageId.startsWith('G')) {
    return 'ZIP-PLUGIN';
  }
  if (placement.prerequisites.length === 0) {
    return 'TXT-DICTIONARY';
  }
  return /config/i.test(placement.name) ? 'PACKAGE-CONFIG' : 'PACKAGE-LICENSE';
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}
