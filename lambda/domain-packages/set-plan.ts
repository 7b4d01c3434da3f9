import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { changedSince, configurationMismatch } from '../association-entry';
import type { AssociationRequest } from '../association-request';
import type { EntrySnapshot, SentWrite } from '../events';

/** What one reading of the domain's list shows, and what the set wants of it. */
export interface PlanInput {
  /** The packages the set wants ACTIVE, in PackageList order. */
  readonly wanted: readonly AssociationRequest[];
  /** Wanted packages whose request changed with this operation: listed ACTIVE as before, they are not applied yet. */
  readonly changed: ReadonlySet<string>;
  /** Packages to remove from the domain (those listed). */
  readonly removals: readonly string[];
  /** Every entry of the domain. */
  readonly listed: readonly DomainPackageDetails[];
  /** The entries of `wanted` and `removals` as listed before onEvent's write (null: not listed). */
  readonly before: Readonly<Record<string, EntrySnapshot | null>>;
  /** The write onEvent sent: until its entries change, the list lags behind it and it is not sent again. */
  readonly sent?: SentWrite;
  /** The service answered "already in desired state": changed entries listed as before count as applied. */
  readonly alreadyApplied?: boolean;
}

/**
 * The next step, reconciled from the list alone (isComplete keeps no state):
 * wait while anything on the domain is in flight, remove, then associate what
 * is missing or changed, then verify. Each write takes a whole set at once:
 * every write costs the domain a blue/green deployment.
 */
export type Plan =
  | { readonly kind: 'wait'; readonly waitingFor: string }
  | { readonly kind: 'dissociate'; readonly packageIds: readonly string[] }
  | { readonly kind: 'associate'; readonly requests: readonly AssociationRequest[] }
  | { readonly kind: 'failed'; readonly entries: readonly DomainPackageDetails[] }
  | { readonly kind: 'done'; readonly entries: readonly DomainPackageDetails[]; readonly problems: readonly Problem[] };

/** An ACTIVE entry that shows this operation but not what was asked. */
export interface Problem {
  readonly kind: 'VersionNotApplied' | 'ConfigurationNotApplied';
  readonly packageId: string;
  readonly detail: string;
}

const IN_FLIGHT = new Set(['ASSOCIATING', 'DISSOCIATING']);

export function planNext(input: PlanInput): Plan {
  const listed = new Map(input.listed.map((entry) => [entry.PackageID ?? '', entry]));
  const shows = (entry: DomainPackageDetails) => changedSince(entry, input.before[entry.PackageID ?? '']);
  const inFlight = input.listed.filter((entry) => IN_FLIGHT.has(entry.DomainPackageStatus ?? ''));
  if (inFlight.length > 0) {
    return { kind: 'wait', waitingFor: inFlight.map((entry) => `${entry.PackageID} ${entry.DomainPackageStatus}`).join(', ') };
  }
  const lagging = (operation: SentWrite['Operation'], entries: Array<DomainPackageDetails | undefined>, ids: readonly string[]) =>
    input.sent?.Operation === operation && ids.some((id, i) => input.sent!.PackageIds.includes(id) && !(entries[i] && shows(entries[i]!)));

  const removing = input.removals.map((id) => listed.get(id)).filter((entry): entry is DomainPackageDetails => entry !== undefined);
  const failedRemovals = removing.filter((entry) => entry.DomainPackageStatus === 'DISSOCIATION_FAILED' && shows(entry));
  if (failedRemovals.length > 0) {
    return { kind: 'failed', entries: failedRemovals };
  }
  if (removing.length > 0) {
    const ids = removing.map((entry) => entry.PackageID ?? '');
    return lagging('DissociatePackages', removing, ids)
      ? { kind: 'wait', waitingFor: `the list to show DissociatePackages of ${ids.join(', ')}` }
      : { kind: 'dissociate', packageIds: ids };
  }

  const entries = input.wanted.map((request) => listed.get(request.packageId));
  const failed = entries.filter((entry): entry is DomainPackageDetails => entry?.DomainPackageStatus === 'ASSOCIATION_FAILED' && shows(entry));
  if (failed.length > 0) {
    return { kind: 'failed', entries: failed };
  }
  const applied = (request: AssociationRequest, entry: DomainPackageDetails) =>
    shows(entry) || (input.alreadyApplied === true && input.changed.has(request.packageId));
  const needed = input.wanted.filter((request, i) => needsCall(request, entries[i], applied, input.changed));
  if (needed.length > 0) {
    const ids = needed.map((request) => request.packageId);
    return lagging('AssociatePackages', needed.map((request) => listed.get(request.packageId)), ids)
      ? { kind: 'wait', waitingFor: `the list to show AssociatePackages of ${ids.join(', ')}` }
      : { kind: 'associate', requests: needed };
  }
  const active = entries as DomainPackageDetails[];
  return { kind: 'done', entries: active, problems: input.wanted.flatMap((request, i) => problemsOf(request, active[i])) };
}

/**
 * Whether the package needs AssociatePackages: not listed, an old failed
 * entry, or ACTIVE without what was asked and not changed by this operation
 * (an entry this operation changed is verified instead: a second write would
 * be a second blue/green).
 */
function needsCall(
  request: AssociationRequest,
  entry: DomainPackageDetails | undefined,
  applied: (request: AssociationRequest, entry: DomainPackageDetails) => boolean,
  changed: ReadonlySet<string>,
): boolean {
  if (!entry || entry.DomainPackageStatus !== 'ACTIVE') {
    return true;
  }
  if (applied(request, entry)) {
    return false;
  }
  return changed.has(request.packageId) || problemsOf(request, entry).length > 0;
}

function problemsOf(request: AssociationRequest, entry: DomainPackageDetails): Problem[] {
  const problems: Problem[] = [];
  if (request.packageVersion !== undefined && entry.PackageVersion !== request.packageVersion) {
    problems.push({ kind: 'VersionNotApplied', packageId: request.packageId, detail: `${request.packageId} runs ${entry.PackageVersion ?? 'no version'}, expected ${request.packageVersion}` });
  }
  const mismatch = configurationMismatch(entry, request);
  if (mismatch) {
    problems.push({ kind: 'ConfigurationNotApplied', packageId: request.packageId, detail: `${request.packageId} kept ${mismatch}` });
  }
  return problems;
}
