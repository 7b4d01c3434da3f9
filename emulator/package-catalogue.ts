/**
 * The packages the emulated account sees: its own (created, or known up front) and the AWS-owned
 * optional plugins. Owns their ids, names and owners and the lifecycle of their versions:
 * CreatePackage and UpdatePackage start an import (package-import.ts), and an import that ends
 * AVAILABLE adds a version; domains keep the version they hold until associated again.
 * Lazy like the domains: every public method first applies the transitions whose time has come.
 */
import { AWS_OWNER } from './account';
import { accessDenied, ApiError, MissingPackageAnswer, packageNotFound, resourceAlreadyExists, validationError } from './api-error';
import type { Clock } from './clock';
import { awsPackageId, PackageIdSequence } from './package-ids';
import { ImportTiming, importEndsAt, importPhase, nextVersion, PackageImport, S3Location, SourceObjects, startImport } from './package-import';
import { ENGINE_VERSION, ErrorDetails, PackageConfiguration, PackageEncryption, PackageStatus, PackageType } from './package-shapes';

/** A package known up front. One whose id starts with G is AWS-owned. */
export interface EmulatedPackage {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  /** Newest available version; default 'v1'. */
  readonly version?: string;
  /** Overrides the emulator's default association duration for this package. */
  readonly associationMs?: number;
  readonly dissociationMs?: number;
  /** Default for TXT-DICTIONARY: `analyzers/<id>`; none for other types. */
  readonly referencePath?: string;
  /** A plugin's EngineVersion (`OpenSearch_X.Y`); default none. */
  readonly engineVersion?: string;
}

/** An AWS-owned optional plugin: ZIP-PLUGIN, owner AWS, AVAILABLE at v1. */
export interface AwsPackage {
  readonly name: string;
  readonly engineVersion: string;
  /** `G<digits>`. Default: derived from name and engine version, the same in every run. */
  readonly id?: string;
}

export interface CreatePackageRequest {
  readonly name: string;
  readonly type: PackageType;
  readonly source: S3Location;
  readonly description?: string;
  readonly engineVersion?: string;
  readonly configuration?: PackageConfiguration;
  readonly encryption?: PackageEncryption;
}

export interface UpdatePackageRequest {
  readonly packageId: string;
  readonly source: S3Location;
  readonly description?: string;
  readonly commitMessage?: string;
  /** Default: the newest version's. */
  readonly configuration?: PackageConfiguration;
  /** Default: the package's. */
  readonly encryption?: PackageEncryption;
}

/** A package as DescribePackages reports it. */
export interface PackageRecord {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  /** AWS_OWNER or the emulated account. */
  readonly owner: string;
  readonly status: PackageStatus;
  readonly description?: string;
  readonly engineVersion?: string;
  /** Absent until a first version is AVAILABLE. */
  readonly availableVersion?: string;
  readonly availableConfiguration?: PackageConfiguration;
  /** Only while COPY_FAILED or VALIDATION_FAILED. */
  readonly errorDetails?: ErrorDetails;
  /** As CreatePackage or the last UpdatePackage that had them gave them. */
  readonly encryption?: PackageEncryption;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
}

/** An AVAILABLE version, as GetPackageVersionHistory reports it. */
export interface VersionRecord {
  readonly version: string;
  readonly commitMessage?: string;
  readonly configuration?: PackageConfiguration;
  /** When the import of this version started. */
  readonly createdAt: number;
}

/** What the domains need to know of a package. */
export interface AssociablePackage {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  readonly referencePath?: string;
  /** The version an association takes; absent until a first version is AVAILABLE. */
  readonly availableVersion?: string;
  readonly associationMs?: number;
  readonly dissociationMs?: number;
}

/** How an AWS-owned package refuses UpdatePackage and DeletePackage: only the message is known from the field. */
export type AwsPackageRefusal = 'ValidationException' | 'AccessDeniedException';

export interface CatalogueOptions extends ImportTiming {
  /** The account that owns the packages it creates (and the fixture's F- and pkg- packages). */
  readonly account: string;
  readonly packages: readonly EmulatedPackage[];
  readonly awsPackages: readonly AwsPackage[];
  readonly sources: SourceObjects;
  readonly clock: Clock;
  /** DescribePackages lists a deleted package as DELETING this long; every other call knows it no more at once. */
  readonly deletionMs: number;
  readonly awsPackageRefusal: AwsPackageRefusal;
  /** UpdatePackage that disables a package's encryption answers ValidationException (undocumented either way). */
  readonly refuseEncryptionDisabling: boolean;
  readonly missingPackage: MissingPackageAnswer;
}

export const ENGINE_VERSION_REQUIRED = 'EngineVersion is a required parameter for this operation';

interface CataloguePackage {
  readonly id: string;
  readonly name: string;
  readonly type: PackageType;
  readonly owner: string;
  readonly engineVersion?: string;
  readonly referencePath?: string;
  readonly associationMs?: number;
  readonly dissociationMs?: number;
  readonly createdAt: number;
  /** AVAILABLE versions, oldest first. */
  readonly versions: VersionRecord[];
  description?: string;
  encryption?: PackageEncryption;
  running?: PackageImport;
  /** How the last import ended, when it failed; cleared by the next one. */
  failure?: { readonly status: 'COPY_FAILED' | 'VALIDATION_FAILED'; readonly errorDetails: ErrorDetails };
  lastUpdatedAt: number;
  deletedAt?: number;
}

export class PackageCatalogue {
  private readonly packages = new Map<string, CataloguePackage>();
  private readonly ids = new PackageIdSequence();
  /** failNextValidation: package id or name → the details the next validation of that package fails with. */
  private readonly armedValidationFailures = new Map<string, ErrorDetails>();

  constructor(private readonly options: CatalogueOptions) {
    const now = options.clock.now();
    options.packages.forEach((pkg) => this.add(fromFixture(pkg, now, options.account)));
    assertOnePerEngineVersion(options.awsPackages);
    options.awsPackages.forEach((pkg) => this.add(fromAwsPackage(pkg, now)));
  }

  create(request: CreatePackageRequest): PackageRecord {
    this.settle();
    assertEngineVersionFits(request.type, request.engineVersion);
    // Names are unique per owner: the AWS-owned plugins do not take them from the account.
    const taken = [...this.packages.values()].find((pkg) => pkg.owner === this.options.account && pkg.name === request.name);
    if (taken) {
      throw resourceAlreadyExists(`Package name ${request.name} is already used by package ${taken.id}`);
    }
    const now = this.options.clock.now();
    const pkg: CataloguePackage = {
      id: this.ids.next(request.type === 'TXT-DICTIONARY', (id) => this.packages.has(id)),
      name: request.name,
      type: request.type,
      owner: this.options.account,
      engineVersion: request.engineVersion,
      createdAt: now,
      versions: [],
      description: request.description,
      encryption: request.encryption,
      running: startImport({ ...request, version: 'v1' }, this.options.sources, this.options, now),
      lastUpdatedAt: now,
    };
    this.add(pkg);
    return this.record(pkg);
  }

  /** The new version becomes available once its import ends AVAILABLE; until then the newest stays available. */
  update(request: UpdatePackageRequest): PackageRecord {
    const pkg = this.changeable(request.packageId, 'updated');
    const now = this.options.clock.now();
    if (pkg.running) {
      throw validationError(`Package ${pkg.id} cannot be updated while its status is ${importPhase(pkg.running, now).status}`);
    }
    this.assertEncryptionChange(pkg, request.encryption);
    const newest = newestVersion(pkg);
    pkg.running = startImport(
      {
        source: request.source,
        version: nextVersion(pkg.versions.map((version) => version.version)),
        commitMessage: request.commitMessage,
        configuration: request.configuration ?? newest?.configuration,
      },
      this.options.sources,
      this.options,
      now,
    );
    pkg.failure = undefined;
    pkg.description = request.description ?? pkg.description;
    pkg.encryption = request.encryption ?? pkg.encryption;
    pkg.lastUpdatedAt = now;
    return this.record(pkg);
  }

  /** The missing-package answer for an unknown package, the AWS-owned refusal for one of AWS's. */
  assertDeletable(packageId: string): void {
    this.changeable(packageId, 'deleted');
  }

  /** Whatever its status: an import in flight is abandoned. */
  delete(packageId: string): PackageRecord {
    const pkg = this.changeable(packageId, 'deleted');
    const now = this.options.clock.now();
    pkg.deletedAt = now;
    pkg.running = undefined;
    pkg.lastUpdatedAt = now;
    const record = this.record(pkg);
    this.settle();
    return record;
  }

  /** Every package DescribePackages lists, sorted by id. */
  describe(): PackageRecord[] {
    this.settle();
    return [...this.packages.values()].map((pkg) => this.record(pkg)).sort((a, b) => compareIds(a.id, b.id));
  }

  /** AVAILABLE versions, oldest first. */
  history(packageId: string): VersionRecord[] {
    return [...this.live(packageId).versions];
  }

  /** The missing-package answer for an unknown or deleted package. */
  get(packageId: string): AssociablePackage {
    const pkg = this.live(packageId);
    return {
      id: pkg.id,
      name: pkg.name,
      type: pkg.type,
      referencePath: pkg.referencePath ?? (pkg.type === 'TXT-DICTIONARY' ? `analyzers/${pkg.id}` : undefined),
      availableVersion: newestVersion(pkg)?.version,
      associationMs: pkg.associationMs,
      dissociationMs: pkg.dissociationMs,
    };
  }

  /** Like an UpdatePackage that ends AVAILABLE now, with the newest version's configuration. */
  publishVersion(packageId: string, version: string): void {
    const pkg = this.live(packageId);
    const now = this.options.clock.now();
    pkg.versions.push({ version, configuration: newestVersion(pkg)?.configuration, createdAt: now });
    pkg.failure = undefined;
    pkg.lastUpdatedAt = now;
  }

  failNextValidation(packageNameOrId: string, errorDetails: ErrorDetails): void {
    this.armedValidationFailures.set(packageNameOrId, errorDetails);
  }

  private add(pkg: CataloguePackage): void {
    if (this.packages.has(pkg.id)) {
      throw new Error(`Two packages have the id ${pkg.id}`);
    }
    this.packages.set(pkg.id, pkg);
  }

  private live(packageId: string): CataloguePackage {
    this.settle();
    const pkg = this.packages.get(packageId);
    if (!pkg || pkg.deletedAt !== undefined) {
      throw packageNotFound(packageId, this.options.missingPackage);
    }
    return pkg;
  }

  private changeable(packageId: string, change: 'updated' | 'deleted'): CataloguePackage {
    const pkg = this.live(packageId);
    if (pkg.owner === AWS_OWNER) {
      throw this.refusal(`Operation not allowed. This package cannot be ${change}.`);
    }
    return pkg;
  }

  private assertEncryptionChange(pkg: CataloguePackage, encryption: PackageEncryption | undefined): void {
    if (this.options.refuseEncryptionDisabling && pkg.encryption?.encryptionEnabled && encryption?.encryptionEnabled === false) {
      throw validationError(`Encryption cannot be disabled for package ${pkg.id}`);
    }
  }

  private refusal(message: string): ApiError {
    return this.options.awsPackageRefusal === 'AccessDeniedException' ? accessDenied(message) : validationError(message);
  }

  /** Ends the imports whose time has come and forgets the deleted packages whose DELETING time has passed. */
  private settle(): void {
    const now = this.options.clock.now();
    for (const pkg of [...this.packages.values()]) {
      if (pkg.deletedAt !== undefined && pkg.deletedAt + this.options.deletionMs <= now) {
        this.packages.delete(pkg.id);
      } else if (pkg.running && importEndsAt(pkg.running) <= now) {
        this.finishImport(pkg, pkg.running);
      }
    }
  }

  private finishImport(pkg: CataloguePackage, running: PackageImport): void {
    pkg.running = undefined;
    pkg.lastUpdatedAt = importEndsAt(running);
    pkg.failure = running.copyFailure ? { status: 'COPY_FAILED', errorDetails: running.copyFailure } : this.takeValidationFailure(pkg);
    if (!pkg.failure) {
      const { version, commitMessage, configuration, startedAt } = running;
      pkg.versions.push({ version, commitMessage, configuration, createdAt: startedAt });
    }
  }

  private takeValidationFailure(pkg: CataloguePackage): CataloguePackage['failure'] {
    const armedFor = [pkg.id, pkg.name].find((key) => this.armedValidationFailures.has(key));
    const errorDetails = armedFor === undefined ? undefined : this.armedValidationFailures.get(armedFor);
    if (armedFor === undefined || errorDetails === undefined) {
      return undefined;
    }
    this.armedValidationFailures.delete(armedFor);
    return { status: 'VALIDATION_FAILED', errorDetails };
  }

  private record(pkg: CataloguePackage): PackageRecord {
    const phase = pkg.running && importPhase(pkg.running, this.options.clock.now());
    const status: PackageStatus = pkg.deletedAt !== undefined ? 'DELETING' : phase?.status ?? pkg.failure?.status ?? 'AVAILABLE';
    const newest = newestVersion(pkg);
    return {
      id: pkg.id,
      name: pkg.name,
      type: pkg.type,
      owner: pkg.owner,
      status,
      description: pkg.description,
      engineVersion: pkg.engineVersion,
      availableVersion: newest?.version,
      availableConfiguration: newest?.configuration,
      errorDetails: status === pkg.failure?.status ? pkg.failure.errorDetails : undefined,
      encryption: pkg.encryption,
      createdAt: pkg.createdAt,
      // Entering VALIDATING is an update too, though it happens between two calls.
      lastUpdatedAt: Math.max(pkg.lastUpdatedAt, phase?.since ?? 0),
    };
  }
}

function fromFixture(pkg: EmulatedPackage, now: number, account: string): CataloguePackage {
  return {
    id: pkg.id,
    name: pkg.name,
    type: pkg.type,
    owner: pkg.id.startsWith('G') ? AWS_OWNER : account,
    engineVersion: pkg.engineVersion,
    referencePath: pkg.referencePath,
    associationMs: pkg.associationMs,
    dissociationMs: pkg.dissociationMs,
    createdAt: now,
    versions: [{ version: pkg.version ?? 'v1', createdAt: now }],
    lastUpdatedAt: now,
  };
}

function fromAwsPackage({ name, engineVersion, id = awsPackageId(name, engineVersion) }: AwsPackage, now: number): CataloguePackage {
  if (!ENGINE_VERSION.test(engineVersion)) {
    throw new Error(`AWS-owned package ${name}: engineVersion must match ${ENGINE_VERSION.source}, got ${engineVersion}`);
  }
  if (!/^G[0-9]+$/.test(id)) {
    throw new Error(`AWS-owned package ${name}: the id must be G<digits>, got ${id}`);
  }
  return fromFixture({ id, name, type: 'ZIP-PLUGIN', engineVersion }, now, AWS_OWNER);
}

function assertOnePerEngineVersion(packages: readonly AwsPackage[]): void {
  const seen = new Set<string>();
  for (const { name, engineVersion } of packages) {
    const key = `${name} ${engineVersion}`;
    if (seen.has(key)) {
      throw new Error(`AWS-owned package ${name} is listed twice for ${engineVersion}`);
    }
    seen.add(key);
  }
}

/** The service documents EngineVersion as required for plugins and allowed for plugins only. */
function assertEngineVersionFits(type: PackageType, engineVersion: string | undefined): void {
  if (type === 'ZIP-PLUGIN' && engineVersion === undefined) {
    throw validationError(ENGINE_VERSION_REQUIRED);
  }
  if (type !== 'ZIP-PLUGIN' && engineVersion !== undefined) {
    throw validationError(`EngineVersion can only be specified for package type ZIP-PLUGIN, not ${type}`);
  }
}

function newestVersion(pkg: CataloguePackage): VersionRecord | undefined {
  return pkg.versions[pkg.versions.length - 1];
}

/** Code-unit order: stable regardless of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
