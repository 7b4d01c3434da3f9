/**
 * The associations of packages with the emulated domains, and what else keeps a domain busy.
 * The packages themselves live in the catalogue (package-catalogue.ts).
 */
import { conflict, limitExceeded, resourceNotFound, validationError } from './api-error';
import { BlueGreenDeployment, needsBlueGreen, PackageOperationKind } from './blue-green';
import type { Clock } from './clock';
import { DomainActivity, DomainChangeKind, DomainChanges, isBusy, ProcessingState, processingState } from './domain-activity';
import { AssociablePackage, compareIds, PackageCatalogue, PackageRecord } from './package-catalogue';
import { ErrorDetails, PackageType, PLUGIN_COMPANION_TYPES } from './package-shapes';

export type DomainPackageStatus = 'ASSOCIATING' | 'ASSOCIATION_FAILED' | 'ACTIVE' | 'DISSOCIATING' | 'DISSOCIATION_FAILED';

export interface KeyStoreAccess {
  readonly enabled: boolean;
  readonly roleArn?: string;
}

export interface AssociationView {
  readonly packageId: string;
  readonly status: DomainPackageStatus;
  readonly version: string;
  readonly prerequisites: string[];
  readonly keyStoreAccessEnabled?: boolean;
  readonly keyAccessRoleArn?: string;
  readonly errorDetails?: ErrorDetails;
}

/** An association as the API reports it (DomainPackageDetails), before JSON rendering. */
export interface DomainPackageRecord {
  readonly domainName: string;
  readonly packageId: string;
  readonly packageName: string;
  readonly packageType: PackageType;
  readonly referencePath?: string;
  readonly status: DomainPackageStatus;
  readonly version: string;
  readonly prerequisites: string[];
  readonly keyStoreAccess?: KeyStoreAccess;
  readonly errorDetails?: ErrorDetails;
  /** Epoch milliseconds. */
  readonly lastUpdated: number;
}

export interface AssociateRequest {
  readonly prerequisites: string[];
  readonly keyStoreAccess?: KeyStoreAccess;
}

/** One package of an AssociatePackage or AssociatePackages call. */
export interface PackageAssociation extends AssociateRequest {
  readonly packageId: string;
}

/** How the service refuses to dissociate a package an index uses: both answers are seen, neither is documented. */
export type InUseAnswer = 'dissociationFailed' | 'conflict';

export interface InUseOptions {
  /**
   * 'dissociationFailed' (default): DissociatePackage starts, and the dissociation ends DISSOCIATION_FAILED.
   * 'conflict': DissociatePackage answers 409 ConflictException at once and nothing starts.
   */
  readonly answer?: InUseAnswer;
  /** The index the conflict's message names; default 'products'. */
  readonly index?: string;
}

/**
 * How a package operation on a domain still being created is refused: undocumented (AWS's samples only wait
 * before the first one), so either 'conflict' (the busy ConflictException) or 'validation' (a
 * ValidationException, which a client must not take for a final answer while DescribeDomain shows the creation).
 */
export type CreationAnswer = 'conflict' | 'validation';

/** A domain as DescribeDomain reports it, before JSON rendering. */
export interface DomainStatusRecord extends ProcessingState {
  readonly domainName: string;
}

export interface SeedOptions {
  readonly status?: DomainPackageStatus;
  readonly version?: string;
  readonly prerequisites?: string[];
  readonly keyStoreAccess?: KeyStoreAccess;
}

export interface ModelOptions {
  readonly domains: string[];
  readonly catalogue: PackageCatalogue;
  readonly clock: Clock;
  readonly associationMs: number;
  readonly dissociationMs: number;
  /**
   * The domain's blue/green deployment time: an operation on a plugin, license or configuration
   * package takes it instead of that package's own duration. Undefined: the package's own.
   */
  readonly blueGreenMs: (domain: string) => number | undefined;
  readonly listLagMs: number;
  /** After AssociatePackage or DissociatePackage changes an existing entry, the list shows its previous state this long. */
  readonly staleListMs: number;
  /** AssociatePackage of a package new to a domain that already holds this many answers LimitExceededException. */
  readonly maxPackagesPerDomain?: number;
  /** The message of the ConflictException answered while the domain is busy. */
  readonly busyMessage: (domain: string) => string;
  /**
   * When AssociatePackage answers "already in desired state": 'exact' (the newest version with the same
   * prerequisites and configuration) or 'version' (the newest version, whatever the rest: the service
   * then keeps the old configuration). Undocumented, so both. Default 'exact'.
   */
  readonly desiredState?: 'exact' | 'version';
  /** The message of the ValidationException a dissociation of a pair that is not associated gets. Default NOT_ASSOCIATED. */
  readonly notAssociatedMessage?: string;
}

export const ALREADY_IN_DESIRED_STATE = 'Package is already in desired state';
export const NOT_ASSOCIATED = 'Package is not associated to this domain';
const IN_USE: ErrorDetails = { errorType: 'DissociationFailed', errorMessage: 'Package is in use by an index' };
/** ErrorDetails given to associations seeded directly in a failed state. */
const SEEDED_FAILURES: Partial<Record<DomainPackageStatus, ErrorDetails>> = {
  ASSOCIATION_FAILED: { errorType: 'AssociationFailed', errorMessage: 'Package association failed' },
  DISSOCIATION_FAILED: IN_USE,
};

interface Entry {
  readonly packageId: string;
  readonly status: DomainPackageStatus;
  readonly version: string;
  readonly prerequisites: string[];
  readonly keyStoreAccess?: KeyStoreAccess;
  readonly errorDetails?: ErrorDetails;
  readonly lastUpdated: number;
  /** Set while ASSOCIATING or DISSOCIATING: when that operation settles. */
  readonly settlesAt?: number;
  /** ListPackagesForDomain omits the entry before this time (eventual consistency of new entries). */
  readonly visibleFrom: number;
  /** ListPackagesForDomain shows this earlier state until `until` (eventual consistency of changed entries). */
  readonly listedBefore?: { readonly entry: Entry; readonly until: number };
}

/** What AssociatePackage(s) will do with one package of the call. */
interface AssociationPlan {
  readonly request: PackageAssociation;
  readonly pkg: AssociablePackage;
  readonly version: string;
  readonly entry?: Entry;
  /** The ACTIVE entry the request is identical to: left alone, not associated again. */
  readonly unchanged?: Entry;
}

interface DomainState {
  readonly name: string;
  readonly entries: Map<string, Entry>;
  /** Operations started by other actors: package id → busy until. */
  readonly foreignOperations: Map<string, number>;
  /** failNextAssociation: the next association of that package to settle fails with these details. */
  readonly armedFailures: Map<string, ErrorDetails>;
  /** refuseNextAssociation: the next AssociatePackage or AssociatePackages calls that would associate that package answer a conflict with this message. */
  readonly armedRefusals: Map<string, { readonly message: string; remaining: number }>;
  /** markInUse: dissociations of these packages are refused, each in its own way. */
  readonly inUse: Map<string, Required<InUseOptions>>;
  /** Its creation, configuration changes and engine upgrades. */
  readonly changes: DomainChanges;
  /** How package operations are refused while the domain is being created. */
  creationAnswer: CreationAnswer;
  /** The blue/green deployments package operations started, oldest first. */
  readonly blueGreens: BlueGreenDeployment[];
}

/**
 * The packages state of every emulated domain. Time-driven transitions are applied lazily: every
 * public method first settles the operations whose duration has elapsed on the clock, so no timer runs.
 */
export class PackagesModel {
  private readonly domains = new Map<string, DomainState>();

  constructor(private readonly options: ModelOptions) {
    for (const name of options.domains) {
      this.domains.set(name, {
        name,
        entries: new Map(),
        foreignOperations: new Map(),
        armedFailures: new Map(),
        armedRefusals: new Map(),
        inUse: new Map(),
        changes: new DomainChanges(),
        creationAnswer: 'conflict',
        blueGreens: [],
      });
    }
  }

  /**
   * AssociatePackage (one package) and AssociatePackages: one operation that takes every package of
   * the call not already in its desired state to ASSOCIATING; all of them settle together, after the
   * longest of their durations. Packages already in desired state are left alone and reported as
   * they are; when all of them are, the call answers "already in desired state", even while the
   * domain is busy. A prerequisite must be ACTIVE or associated by the same call ("before or
   * simultaneously"). Records in request order.
   */
  associate(domainName: string, packages: readonly PackageAssociation[]): DomainPackageRecord[] {
    const domain = this.settledDomain(domainName);
    const plans = packages.map((request) => this.planAssociation(domain, request));
    const started = plans.filter((plan) => plan.unchanged === undefined);
    // Nothing to do is reported as such even while the domain is busy: it is about the packages, not the domain.
    if (started.length === 0) {
      throw conflict(ALREADY_IN_DESIRED_STATE);
    }
    started.forEach((plan) => takeArmedRefusal(domain, plan.pkg.id));
    this.assertIdle(domain);
    // Counted once the domain is idle, so that no entry is on its way in or out.
    this.assertBelowLimit(domain, started.map((plan) => plan.pkg.id));
    assertPrerequisitesMet(domain, started.map((plan) => plan.request), new Set(packages.map((request) => request.packageId)));
    const now = this.options.clock.now();
    const settlesAt = this.startOperation(domain, 'association', started.map((plan) => plan.pkg), now);
    return plans.map((plan) => (plan.unchanged ? this.record(domain, plan.unchanged) : this.startAssociation(domain, plan, now, settlesAt)));
  }

  /**
   * DissociatePackage (one package) and DissociatePackages: one operation that takes every listed
   * package to DISSOCIATING; all of them settle together, after the longest of their durations. A
   * package that is not associated refuses the whole call, as it refuses the single call, and
   * nothing starts. Records in request order.
   */
  dissociate(domainName: string, packageIds: readonly string[]): DomainPackageRecord[] {
    const domain = this.settledDomain(domainName);
    const packages = packageIds.map((id) => this.options.catalogue.get(id));
    const entries = packageIds.map((id) => this.associatedEntry(domain, id));
    // Like "already in desired state", a refusal about the package itself, whatever else the domain does.
    packageIds.forEach((id) => assertNotRefusedInUse(domain, id));
    this.assertIdle(domain);
    const now = this.options.clock.now();
    const settlesAt = this.startOperation(domain, 'dissociation', packages, now);
    return entries.map((entry) =>
      this.put(domain, {
        ...entry,
        status: 'DISSOCIATING',
        errorDetails: undefined,
        lastUpdated: now,
        settlesAt,
        listedBefore: this.staleView(entry, now),
      }),
    );
  }

  /** What ListPackagesForDomain shows now, sorted by package id. */
  listForDomain(domainName: string): DomainPackageRecord[] {
    const domain = this.settledDomain(domainName);
    const now = this.options.clock.now();
    return sortedEntries(domain)
      .filter((entry) => entry.visibleFrom <= now)
      .map((entry) => this.record(domain, entry.listedBefore && now < entry.listedBefore.until ? entry.listedBefore.entry : entry));
  }

  /** What DescribeDomain reports now. */
  domainStatus(domainName: string): DomainStatusRecord {
    const domain = this.settledDomain(domainName);
    return { domainName: domain.name, ...processingState(this.activity(domain)) };
  }

  /** ListDomainsForPackage: the package's entry on every domain, as ListPackagesForDomain shows it now, by domain name. */
  domainsForPackage(packageId: string): DomainPackageRecord[] {
    this.options.catalogue.get(packageId);
    return [...this.domains.keys()]
      .sort(compareIds)
      .flatMap((name) => this.listForDomain(name).filter((record) => record.packageId === packageId));
  }

  /**
   * DeletePackage. Any entry on any domain, whatever its status, holds the package: ConflictException,
   * the model's error for "a resource that is currently in use". List lag does not hide an entry.
   */
  deletePackage(packageId: string): PackageRecord {
    this.options.catalogue.assertDeletable(packageId);
    const holders = [...this.domains.keys()].sort(compareIds).filter((name) => this.settledDomain(name).entries.has(packageId));
    if (holders.length > 0) {
      throw conflict(`Package ${packageId} is in use: it is associated with domain ${holders.join(', ')}. Dissociate it first.`);
    }
    return this.options.catalogue.delete(packageId);
  }

  /** The blue/green deployments package operations started on the domain, oldest first, running ones included. */
  blueGreens(domainName: string): BlueGreenDeployment[] {
    return [...this.settledDomain(domainName).blueGreens];
  }

  /** Settled state of a domain, ignoring the list lag. */
  associations(domainName: string): AssociationView[] {
    return sortedEntries(this.settledDomain(domainName)).map(toView);
  }

  /**
   * A pre-existing association. One seeded as ASSOCIATING or DISSOCIATING is an operation in progress:
   * it keeps the domain busy and settles after the package's duration, counted from now. It was
   * started before the emulator knew the domain, so its blue/green deployment is not logged.
   */
  seedAssociation(domainName: string, packageId: string, options: SeedOptions = {}): void {
    const domain = this.settledDomain(domainName);
    const pkg = this.options.catalogue.get(packageId);
    const status = options.status ?? 'ACTIVE';
    const now = this.options.clock.now();
    const durations: Partial<Record<DomainPackageStatus, number>> = {
      ASSOCIATING: this.packageMs(domain, pkg, 'association'),
      DISSOCIATING: this.packageMs(domain, pkg, 'dissociation'),
    };
    const duration = durations[status];
    this.put(domain, {
      packageId,
      status,
      version: options.version ?? availableVersion(pkg),
      prerequisites: [...(options.prerequisites ?? [])],
      keyStoreAccess: options.keyStoreAccess,
      errorDetails: SEEDED_FAILURES[status],
      lastUpdated: now,
      settlesAt: duration === undefined ? undefined : now + duration,
      visibleFrom: now,
    });
  }

  failNextAssociation(domainName: string, packageId: string, errorDetails: ErrorDetails): void {
    this.settledDomain(domainName).armedFailures.set(packageId, errorDetails);
  }

  /** The next `count` AssociatePackage calls of that package on that domain answer 409 ConflictException with `message`; nothing starts. */
  refuseNextAssociation(domainName: string, packageId: string, message: string, count: number): void {
    this.settledDomain(domainName).armedRefusals.set(packageId, { message, remaining: count });
  }

  markInUse(domainName: string, packageId: string, inUse: boolean, options: InUseOptions = {}): void {
    const domain = this.settledDomain(domainName);
    if (inUse) {
      domain.inUse.set(packageId, { answer: options.answer ?? 'dissociationFailed', index: options.index ?? 'products' });
    } else {
      domain.inUse.delete(packageId);
    }
  }

  startForeignOperation(domainName: string, packageId: string, durationMs: number): void {
    this.settledDomain(domainName).foreignOperations.set(packageId, this.options.clock.now() + durationMs);
  }

  startDomainChange(domainName: string, kind: DomainChangeKind, durationMs: number): void {
    this.settledDomain(domainName).changes.start(kind, this.options.clock.now(), durationMs);
  }

  startDomainCreation(domainName: string, durationMs: number, answer: CreationAnswer): void {
    this.startDomainChange(domainName, 'creation', durationMs);
    this.settledDomain(domainName).creationAnswer = answer;
  }

  private settledDomain(name: string): DomainState {
    const domain = this.domains.get(name);
    if (!domain) {
      throw resourceNotFound(`Domain not found: ${name}`);
    }
    this.settle(domain);
    return domain;
  }

  /** Applies, in time order, every operation whose duration has elapsed. */
  private settle(domain: DomainState): void {
    const now = this.options.clock.now();
    const due = [...domain.entries.values()]
      .flatMap((entry) => (entry.settlesAt !== undefined && entry.settlesAt <= now ? [{ entry, at: entry.settlesAt }] : []))
      .sort((a, b) => a.at - b.at || compareIds(a.entry.packageId, b.entry.packageId));
    for (const { entry, at } of due) {
      // Skip entries an earlier plugin dissociation removed.
      if (domain.entries.get(entry.packageId) !== entry) {
        continue;
      }
      if (entry.status === 'ASSOCIATING') {
        this.finishAssociation(domain, entry, at);
      } else {
        this.finishDissociation(domain, entry, at);
      }
    }
  }

  private finishAssociation(domain: DomainState, entry: Entry, at: number): void {
    const failure = domain.armedFailures.get(entry.packageId);
    domain.armedFailures.delete(entry.packageId);
    this.put(domain, {
      ...entry,
      status: failure ? 'ASSOCIATION_FAILED' : 'ACTIVE',
      errorDetails: failure,
      lastUpdated: at,
      settlesAt: undefined,
    });
  }

  private finishDissociation(domain: DomainState, entry: Entry, at: number): void {
    // Whatever answer markInUse chose: a 'conflict' mark set after the dissociation started cannot refuse it any more.
    if (domain.inUse.has(entry.packageId)) {
      this.put(domain, { ...entry, status: 'DISSOCIATION_FAILED', errorDetails: IN_USE, lastUpdated: at, settlesAt: undefined });
      return;
    }
    domain.entries.delete(entry.packageId);
    if (this.options.catalogue.get(entry.packageId).type === 'ZIP-PLUGIN') {
      this.removePluginCompanions(domain, entry.packageId);
    }
  }

  private removePluginCompanions(domain: DomainState, pluginId: string): void {
    for (const companion of [...domain.entries.values()]) {
      const type = this.options.catalogue.get(companion.packageId).type;
      if (PLUGIN_COMPANION_TYPES.includes(type) && companion.prerequisites.includes(pluginId)) {
        domain.entries.delete(companion.packageId);
      }
    }
  }

  /** A package operation or a domain change in progress makes the domain refuse package operations. */
  private assertIdle(domain: DomainState): void {
    const activity = this.activity(domain);
    if (activity.creation && domain.creationAnswer === 'validation') {
      throw validationError(`Domain ${domain.name} is not ready: it is being created`);
    }
    if (isBusy(activity)) {
      throw conflict(this.options.busyMessage(domain.name));
    }
  }

  /** What runs on a settled domain now; ListPackagesForDomain's lag does not hide an operation from it. */
  private activity(domain: DomainState): DomainActivity {
    const now = this.options.clock.now();
    const ownOperation = [...domain.entries.values()].some((entry) => entry.settlesAt !== undefined);
    const foreignOperation = [...domain.foreignOperations.values()].some((busyUntil) => busyUntil > now);
    return {
      packageOperation: ownOperation || foreignOperation,
      creation: domain.changes.inProgress('creation', now),
      configurationChange: domain.changes.inProgress('configuration', now),
      engineUpgrade: domain.changes.inProgress('engineUpgrade', now),
    };
  }

  /** Re-associating a package the domain holds adds nothing, so only new packages count against the limit. */
  private assertBelowLimit(domain: DomainState, packageIds: string[]): void {
    const limit = this.options.maxPackagesPerDomain;
    const added = packageIds.filter((id) => !domain.entries.has(id)).length;
    if (limit !== undefined && added > 0 && domain.entries.size + added > limit) {
      throw limitExceeded(`Domain ${domain.name} has reached the limit of ${limit} packages`);
    }
  }

  private planAssociation(domain: DomainState, request: PackageAssociation): AssociationPlan {
    const pkg = this.options.catalogue.get(request.packageId);
    const version = availableVersion(pkg);
    const entry = domain.entries.get(request.packageId);
    const unchanged = entry?.status === 'ACTIVE' && isDesiredState(entry, version, request, this.options.desiredState ?? 'exact');
    return { request, pkg, version, entry, unchanged: unchanged ? entry : undefined };
  }

  private startAssociation(domain: DomainState, plan: AssociationPlan, now: number, settlesAt: number): DomainPackageRecord {
    return this.put(domain, {
      packageId: plan.pkg.id,
      status: 'ASSOCIATING',
      version: plan.version,
      prerequisites: [...plan.request.prerequisites],
      keyStoreAccess: plan.request.keyStoreAccess,
      lastUpdated: now,
      settlesAt,
      // Existing entries (re-association, retry after failure) stay visible; new ones appear after the lag.
      visibleFrom: plan.entry?.visibleFrom ?? now + this.options.listLagMs,
      listedBefore: this.staleView(plan.entry, now),
    });
  }

  private associatedEntry(domain: DomainState, packageId: string): Entry {
    const entry = domain.entries.get(packageId);
    if (!entry) {
      throw validationError(this.options.notAssociatedMessage ?? NOT_ASSOCIATED);
    }
    return entry;
  }

  /**
   * Starts one operation on these packages now: when it settles is the longest of their durations.
   * Logs its blue/green deployment when any of them needs one: one per operation, however many.
   */
  private startOperation(domain: DomainState, kind: PackageOperationKind, packages: AssociablePackage[], now: number): number {
    const endsAt = now + Math.max(...packages.map((pkg) => this.packageMs(domain, pkg, kind)));
    if (packages.some((pkg) => needsBlueGreen(pkg.type))) {
      domain.blueGreens.push({ domainName: domain.name, kind, packageIds: packages.map((pkg) => pkg.id), startedAt: now, endsAt });
    }
    return endsAt;
  }

  /** A plugin, license or configuration package takes the domain's blue/green time when one is set; a dictionary always its own. */
  private packageMs(domain: DomainState, pkg: AssociablePackage, kind: PackageOperationKind): number {
    const blueGreenMs = needsBlueGreen(pkg.type) ? this.options.blueGreenMs(domain.name) : undefined;
    const ownMs = kind === 'association' ? pkg.associationMs ?? this.options.associationMs : pkg.dissociationMs ?? this.options.dissociationMs;
    return blueGreenMs ?? ownMs;
  }

  private put(domain: DomainState, entry: Entry): DomainPackageRecord {
    domain.entries.set(entry.packageId, entry);
    return this.record(domain, entry);
  }

  private record(domain: DomainState, entry: Entry): DomainPackageRecord {
    const pkg = this.options.catalogue.get(entry.packageId);
    return {
      domainName: domain.name,
      packageId: entry.packageId,
      packageName: pkg.name,
      packageType: pkg.type,
      referencePath: pkg.referencePath,
      status: entry.status,
      version: entry.version,
      prerequisites: [...entry.prerequisites],
      keyStoreAccess: entry.keyStoreAccess,
      errorDetails: entry.errorDetails,
      lastUpdated: entry.lastUpdated,
    };
  }

  /** What the list keeps showing of a changed entry, when the list is configured to be stale. */
  private staleView(entry: Entry | undefined, now: number): Entry['listedBefore'] {
    return entry && this.options.staleListMs > 0
      ? { entry: { ...entry, listedBefore: undefined }, until: now + this.options.staleListMs }
      : undefined;
  }
}

/** A package whose first version is still being imported, or failed to be, has nothing to associate. */
function availableVersion(pkg: AssociablePackage): string {
  if (pkg.availableVersion === undefined) {
    throw validationError(`Package ${pkg.id} has no available version to associate`);
  }
  return pkg.availableVersion;
}

function assertNotRefusedInUse(domain: DomainState, packageId: string): void {
  const inUse = domain.inUse.get(packageId);
  if (inUse?.answer === 'conflict') {
    throw conflict(`Package ${packageId} is in use by index ${inUse.index} and cannot be dissociated`);
  }
}

/** refuseNextAssociation: an armed package refuses the call, and counts down. */
function takeArmedRefusal(domain: DomainState, packageId: string): void {
  const refusal = domain.armedRefusals.get(packageId);
  if (refusal === undefined) {
    return;
  }
  if (--refusal.remaining === 0) {
    domain.armedRefusals.delete(packageId);
  }
  throw conflict(refusal.message);
}

/** Each prerequisite is ACTIVE on the domain, or another package of the same call. */
function assertPrerequisitesMet(domain: DomainState, requests: PackageAssociation[], inCall: ReadonlySet<string>): void {
  for (const request of requests) {
    const met = (id: string) => domain.entries.get(id)?.status === 'ACTIVE' || (id !== request.packageId && inCall.has(id));
    const missing = request.prerequisites.find((id) => !met(id));
    if (missing !== undefined) {
      throw validationError(`Prerequisite package ${missing} is not associated with domain ${domain.name}`);
    }
  }
}

function isDesiredState(entry: Entry, newestVersion: string, request: AssociateRequest, rule: 'exact' | 'version'): boolean {
  return (
    entry.version === newestVersion && (rule === 'version' ||
    sameMembers(entry.prerequisites, request.prerequisites) &&
    entry.keyStoreAccess?.enabled === request.keyStoreAccess?.enabled &&
    entry.keyStoreAccess?.roleArn === request.keyStoreAccess?.roleArn)
  );
}

function sameMembers(a: string[], b: string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

function sortedEntries(domain: DomainState): Entry[] {
  return [...domain.entries.values()].sort((a, b) => compareIds(a.packageId, b.packageId));
}

function toView(entry: Entry): AssociationView {
  return {
    packageId: entry.packageId,
    status: entry.status,
    version: entry.version,
    prerequisites: [...entry.prerequisites],
    ...(entry.keyStoreAccess && { keyStoreAccessEnabled: entry.keyStoreAccess.enabled }),
    ...(entry.keyStoreAccess?.roleArn !== undefined && { keyAccessRoleArn: entry.keyStoreAccess.roleArn }),
    ...(entry.errorDetails && { errorDetails: entry.errorDetails }),
  };
}
