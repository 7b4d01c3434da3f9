import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { adoptionConflict, configurationShown, sameSet } from '../association-entry';
import type { OnEventRequest, OnEventResponse, SentWrite } from '../events';
import { HandlerFailure } from '../handler-failure';
import { startOperation } from '../operation-timeout';
import { lookUpAll, UNAVAILABLE } from '../operations';
import { withNewestVersions } from '../package-revision';
import { parseSetId, setIdOf } from '../physical-id';
import { isUpdateRollback } from '../stack-claims';
import { logSkipped, removalsOf, snapshotsOf, subjectOf, write } from './package-set';
import { changedPackages, PackageSetRequest, packageIdsOf, parsePackageSetRequest, reconfiguredPackages } from './package-set-request';
import { planNext } from './set-plan';

/** How often, and how far apart, onEvent reads a list it could not read: without it nothing can be verified later. */
const LIST_READS = 7;
const LIST_READ_INTERVAL_MS = 5_000;

/**
 * Starts a set's operation: reads the domain's list once (the snapshot every
 * later reading is compared with), decides what to add (create, update) or
 * remove (delete), and sends the first write, if any. isComplete reconciles
 * the rest from the list.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const apply = async (change: OnEventRequest) => applySet(change, await withNewestVersions(parsePackageSetRequest(change.ResourceProperties)));
  return startOperation(event, { Create: apply, Update: apply, Delete: remove });
}

/**
 * Create, or update: only adds. The physical id names every package of the
 * set, so a set that loses packages answers with a new id, and
 * CloudFormation's Delete of the old id, in the cleanup phase once every
 * update of the deploy succeeded (or in the rollback of a failed one),
 * removes what the stack no longer claims. A package found on the domain
 * before the set claimed it was adopted, and the physical id says so; an
 * update rollback restores, and adopts nothing.
 */
async function applySet(event: OnEventRequest, request: PackageSetRequest): Promise<OnEventResponse> {
  const ids = packageIdsOf(request);
  const rollback = event.RequestType === 'Update' && await isUpdateRollback(event);
  const listed = await readList(request.domainName, ids, false);
  const current = parseSetId(event.PhysicalResourceId);
  const sameDomain = current?.domainName === request.domainName;
  const found = rollback ? [] : present(listed, ids.filter((id) => !(sameDomain && current.packageIds.includes(id))));
  assertAdoptable(request, listed, found);
  const physicalId = setIdOf(request.domainName, ids, [...(sameDomain ? current.adoptedIds : []), ...found].filter((id) => ids.includes(id)));
  if (event.RequestType === 'Update' && !rollback && !(sameDomain && sameSet(current.packageIds, ids))) {
    assertRestorable(request, reconfiguredPackages(request, event.OldResourceProperties), listed);
  }
  const snapshots = snapshotsOf(listed, ids);
  const changed = event.RequestType === 'Update' ? changedPackages(request, event.OldResourceProperties) : new Set<string>();
  const plan = planNext({ wanted: request.packages, changed, removals: [], listed, before: snapshots, rollback });
  return { PhysicalResourceId: physicalId, Snapshots: snapshots, ...(rollback && { Rollback: true }), ...await send(request.domainName, plan) };
}

/** Delete: one DissociatePackages with every package the stack no longer holds. */
async function remove(event: OnEventRequest): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? '';
  const set = parseSetId(physicalId);
  if (!set) {
    logSkipped(`physical id ${physicalId} was not issued by this handler`);
    return { PhysicalResourceId: physicalId, Removals: [] };
  }
  const removals = await removalsOf(event, set);
  if (removals === undefined || removals.length === 0) {
    return { PhysicalResourceId: physicalId, Removals: removals };
  }
  const listed = await readList(set.domainName, removals, true);
  const snapshots = snapshotsOf(listed, removals);
  const plan = planNext({ wanted: [], changed: new Set(), removals, listed, before: snapshots });
  return { PhysicalResourceId: physicalId, Snapshots: snapshots, Removals: removals, ...await send(set.domainName, plan) };
}

/** Sends the plan's write, and tells isComplete what was sent or that the service had nothing to do. */
async function send(domainName: string, plan: ReturnType<typeof planNext>): Promise<Pick<OnEventResponse, 'Sent' | 'AlreadyApplied'>> {
  const start = await write(domainName, plan);
  if (start?.outcome === 'started') {
    const sent: SentWrite = plan.kind === 'associate'
      ? { Operation: 'AssociatePackages', PackageIds: plan.requests.map((request) => request.packageId) }
      : { Operation: 'DissociatePackages', PackageIds: plan.kind === 'dissociate' ? plan.packageIds : [] };
    return { Sent: sent };
  }
  return start?.outcome === 'done' && plan.kind === 'associate' ? { AlreadyApplied: true } : {};
}

/**
 * A set whose packages change answers a new physical id, which CloudFormation treats as a replacement; whether it
 * then rolls a failed deploy back with an Update or only by deleting the new id is undocumented (see
 * local/stack-operation-phases.ts). Without that Update nothing would restore a configuration the failed update
 * changed on a package the set keeps: such a change must come in a deploy of its own. One the domain shows
 * already changes nothing.
 */
function assertRestorable(request: PackageSetRequest, reconfigured: readonly string[], listed: readonly DomainPackageDetails[]): void {
  const changing = reconfigured.filter((id) => {
    const entry = listed.find((e) => e.PackageID === id);
    return !entry || configurationShown(entry, request.packages.find((pkg) => pkg.packageId === id)!) !== 'match';
  });
  if (changing.length > 0) {
    throw new HandlerFailure('ConfigurationConflict', `the configuration (prerequisites, key-store access) of ${changing.join(', ')} changes `
      + 'in the same update that adds or removes packages of the set, which a rollback could not be relied on to undo. '
      + 'Change the configuration in a deploy of its own, before or after the one that adds or removes packages', { domainName: request.domainName, packageIds: changing });
  }
}

/** Packages the set takes over are taken as they are (see adoptionConflict). */
function assertAdoptable(request: PackageSetRequest, listed: readonly DomainPackageDetails[], adopted: readonly string[]): void {
  for (const entry of listed.filter((e) => e.DomainPackageStatus === 'ACTIVE' && adopted.includes(e.PackageID ?? ''))) {
    const conflict = adoptionConflict(entry, request.packages.find((pkg) => pkg.packageId === entry.PackageID)!);
    if (conflict) {
      throw conflict;
    }
  }
}

/** The packages of `ids` on the domain already (ACTIVE or on their way): the set adopts them. */
function present(listed: readonly DomainPackageDetails[], ids: readonly string[]): string[] {
  return listed.filter((entry) => ids.includes(entry.PackageID ?? '')
    && (entry.DomainPackageStatus === 'ACTIVE' || entry.DomainPackageStatus === 'ASSOCIATING')).map((entry) => entry.PackageID ?? '');
}

/**
 * The domain's list, read again a few times when the service does not answer
 * (or a new policy is still reaching IAM): the snapshot is what makes every
 * later reading trustworthy, so the operation does not start without it.
 */
async function readList(domainName: string, packageIds: readonly string[], deleting: boolean): Promise<DomainPackageDetails[]> {
  for (let read = 1; ; read++) {
    const listed = await lookUpAll(subjectOf(domainName, packageIds), deleting);
    if (listed !== UNAVAILABLE) {
      return listed;
    }
    if (read === LIST_READS) {
      throw new HandlerFailure('ServiceUnavailable',
        `the domain's packages could not be read ${LIST_READS} times in ${(LIST_READS - 1) * LIST_READ_INTERVAL_MS / 1000} seconds; nothing was changed`,
        subjectOf(domainName, packageIds));
    }
    await new Promise((resolve) => setTimeout(resolve, LIST_READ_INTERVAL_MS));
  }
}
