import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { changedSince, configurationShown } from '../association-entry';
import type { AssociationRequest } from '../association-request';
import type { EntrySnapshot, SentWrite } from '../events';

/** What one reading of the domain's list shows, and what the set wants of it. */
export interface PlanInput {
  /** The packages the set wants ACTIVE, in PackageList order. */
  readonly wanted: readonly AssociationRequest[];
  /**
   * Wanted packages whose request changed with this operation: when the list
   * leaves out the fields that would show the change, they are associated again.
   */
  readonly changed: ReadonlySet<string>;
  /** Packages to remove from the domain (those listed): a Delete's only. */
  readonly removals: readonly string[];
  /** Every entry of the domain. */
  readonly listed: readonly DomainPackageDetails[];
  /** The entries of `wanted` and `removals` as listed before onEvent's write (null: not listed). */
  readonly before: Readonly<Record<string, EntrySnapshot | null>>;
  /** The write onEvent sent: until its entries change, the list lags behind it and it is not sent again. */
  readonly sent?: SentWrite;
  /** The service answered "already in desired state": its packages' entries are its answer. */
  readonly alreadyApplied?: boolean;
  /** An update rollback: versions only move forward, so the domain's newer version is accepted. */
  readonly rollback?: boolean;
}

/**
 * The next step, reconciled from the list alone (isComplete keeps no state):
 * wait while anything on the domain is in flight, remove (a Delete), then
 * associate what is missing or does not show what is asked, then verify. Each
 * write takes a whole set at once: every write costs the domain a blue/green
 * deployment.
 */
export type Plan =
  | { readonly kind: 'wait'; readonly waitingFor: string }
  | { readonly kind: 'dissociate'; readonly packageIds: readonly string[] }
  | { readonly kind: 'associate'; readonly requests: readonly AssociationRequest[] }
  | { readonly kind: 'failed'; readonly entries: readonly DomainPackageDetails[] }
  | { readonly kind: 'done'; readonly entries: readonly DomainPackageDetails[]; readonly problems: readonly Problem[] };

/** An ACTIVE entry that the service answered for but that does not show what was asked. */
export interface Problem {
  readonly kind: 'VersionNotApplied' | 'ConfigurationNotApplied';
  readonly packageId: string;
  readonly detail: string;
}

const IN_FLIGHT = new Set(['ASSOCIATING', 'DISSOCIATING']);

export function planNext(input: PlanInput): Plan {
  const inFlight = input.listed.filter((entry) => IN_FLIGHT.has(entry.DomainPackageStatus ?? ''));
  if (inFlight.length > 0) {
    return { kind: 'wait', waitingFor: inFlight.map((entry) => `${entry.PackageID} ${entry.DomainPackageStatus}`).join(', ') };
  }
  const reading = new Reading(input);
  return input.removals.length > 0 ? reading.removal() : reading.addition();
}

/** One reading of the list, against what the operation asked and sent. */
class Reading {
  private readonly listed: ReadonlyMap<string, DomainPackageDetails>;

  constructor(private readonly input: PlanInput) {
    this.listed = new Map(input.listed.map((entry) => [entry.PackageID ?? '', entry]));
  }

  removal(): Plan {
    const removing = this.input.removals.flatMap((id) => this.listed.get(id) ?? []);
    const failed = removing.filter((entry) => entry.DomainPackageStatus === 'DISSOCIATION_FAILED' && this.shows(entry));
    if (failed.length > 0) {
      return { kind: 'failed', entries: failed };
    }
    if (removing.length === 0) {
      return { kind: 'done', entries: [], problems: [] };
    }
    const ids = removing.map((entry) => entry.PackageID ?? '');
    return ids.some((id) => this.lagging('DissociatePackages', id))
      ? { kind: 'wait', waitingFor: `the list to show DissociatePackages of ${ids.join(', ')}` }
      : { kind: 'dissociate', packageIds: ids };
  }

  addition(): Plan {
    const entries = this.input.wanted.map((request) => this.listed.get(request.packageId));
    const failed = entries.filter((entry): entry is DomainPackageDetails => entry?.DomainPackageStatus === 'ASSOCIATION_FAILED' && this.shows(entry));
    if (failed.length > 0) {
      return { kind: 'failed', entries: failed };
    }
    const needed = this.input.wanted.filter((request, i) => this.needsCall(request, entries[i]));
    if (needed.length > 0) {
      const ids = needed.map((request) => request.packageId);
      return ids.some((id) => this.lagging('AssociatePackages', id))
        ? { kind: 'wait', waitingFor: `the list to show AssociatePackages of ${ids.join(', ')}` }
        : { kind: 'associate', requests: needed };
    }
    const active = entries as DomainPackageDetails[];
    return { kind: 'done', entries: active, problems: this.input.wanted.flatMap((request, i) => this.problemsOf(request, active[i])) };
  }

  /**
   * Whether the package needs AssociatePackages: not listed, not ACTIVE (an
   * old failed entry), or ACTIVE without what is asked (another version, a
   * configuration the list shows otherwise, or a change the list cannot show)
   * and not answered yet. An entry the service answered for is verified
   * instead: a second write would be a second blue/green.
   */
  private needsCall(request: AssociationRequest, entry: DomainPackageDetails | undefined): boolean {
    if (!entry || entry.DomainPackageStatus !== 'ACTIVE') {
      return true;
    }
    if (this.answered(entry)) {
      return false;
    }
    const hidden = configurationShown(entry, request) === 'unknown' && this.input.changed.has(request.packageId);
    return hidden || this.problemsOf(request, entry).length > 0;
  }

  /**
   * Whether the service has answered for the entry: it changed since onEvent's
   * reading, the service said "already in desired state", or onEvent's write
   * named it and shows on the domain (another of its entries changed, and
   * nothing is in flight): the service left this one as it was.
   */
  private answered(entry: DomainPackageDetails): boolean {
    const id = entry.PackageID ?? '';
    return this.shows(entry) || this.input.alreadyApplied === true || (this.sentIds('AssociatePackages').includes(id) && this.writeShown('AssociatePackages'));
  }

  /**
   * A package onEvent's write named whose entry does not show the write yet
   * (not listed, or listed as before and not answered for): the list lags
   * behind, and the write is not sent again.
   */
  private lagging(operation: SentWrite['Operation'], id: string): boolean {
    const entry = this.listed.get(id);
    if (!this.sentIds(operation).includes(id)) {
      return false;
    }
    if (operation === 'DissociatePackages') {
      return entry !== undefined && !this.shows(entry);
    }
    return entry === undefined || !this.answered(entry);
  }

  private sentIds(operation: SentWrite['Operation']): readonly string[] {
    return this.input.sent?.Operation === operation ? this.input.sent.PackageIds : [];
  }

  /** Whether one of the entries onEvent's write named shows it. */
  private writeShown(operation: SentWrite['Operation']): boolean {
    return this.sentIds(operation).some((id) => {
      const entry = this.listed.get(id);
      return entry !== undefined && this.shows(entry);
    });
  }

  private shows(entry: DomainPackageDetails): boolean {
    return changedSince(entry, this.input.before[entry.PackageID ?? '']);
  }

  private problemsOf(request: AssociationRequest, entry: DomainPackageDetails): Problem[] {
    const problems: Problem[] = [];
    if (!this.input.rollback && request.packageVersion !== undefined && entry.PackageVersion !== request.packageVersion) {
      problems.push({ kind: 'VersionNotApplied', packageId: request.packageId, detail: `${request.packageId} runs ${entry.PackageVersion ?? 'no version'}, expected ${request.packageVersion}` });
    }
    const shown = configurationShown(entry, request);
    if (shown !== 'unknown' && shown !== 'match') {
      problems.push({ kind: 'ConfigurationNotApplied', packageId: request.packageId, detail: `${request.packageId} kept ${shown.mismatch}` });
    }
    return problems;
  }
}
