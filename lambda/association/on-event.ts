import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { adoptionConflict, configurationShown, snapshotOf } from '../association-entry';
import { AssociationRequest, PackagePair, parseAssociationRequest, sameAssociation } from '../association-request';
import type { EntrySnapshot, OnEventRequest, OnEventResponse, PendingOperation } from '../events';
import { logCall } from '../log';
import { startOperation } from '../operation-timeout';
import { lookUp, Start, startAssociation, startDissociation, UNAVAILABLE } from '../operations';
import { withNewestVersion } from '../package-revision';
import { parsePhysicalId, physicalIdOf, samePair } from '../physical-id';
import { decideDelete, isUpdateRollback, mayRecordAdoption } from '../stack-claims';

/**
 * Starts the operation and returns at once; isComplete waits for it. The
 * operation's timeout counts from now.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  return startOperation(event, {
    Create: async (create) => associate(create, await withNewestVersion(parseAssociationRequest(create.ResourceProperties))),
    Update: update,
    Delete: dissociate,
  });
}

/**
 * Associates a pair under a physical id of its own. A pair found associated
 * already (listed before the call, or "already in desired state") is adopted,
 * and its physical id says so, except in an update rollback, which restores a
 * pair the stack had. A pair that is ACTIVE and shows what is asked gets no
 * call: an association again could move the domain to a newer version.
 */
async function associate(event: OnEventRequest, request: AssociationRequest): Promise<OnEventResponse> {
  const before = await lookUp(request, false);
  if (before === UNAVAILABLE) {
    return pending(physicalIdOf(request), 'AssociatePackage');
  }
  const restoring = !await mayRecordAdoption(event);
  const present = before?.DomainPackageStatus === 'ACTIVE' || before?.DomainPackageStatus === 'ASSOCIATING';
  const conflict = !restoring && before?.DomainPackageStatus === 'ACTIVE' ? adoptionConflict(before, request) : undefined;
  if (conflict) {
    throw conflict;
  }
  // A rollback restores a pair the failed update never touched: a field the list leaves out is as it was.
  if (before && await showsAsked(before, request, restoring, async () => restoring)) {
    return { PhysicalResourceId: physicalIdOf(request, !restoring) };
  }
  const start = await startAssociation(request);
  const adopted = (present || start.outcome === 'done') && !restoring;
  return respond(physicalIdOf(request, adopted), start, 'AssociatePackage', snapshotOf(before));
}

/**
 * A new pair is associated under a new physical id; CloudFormation deletes the
 * old pair after the whole update succeeded. The same pair keeps its physical
 * id (a new one would make CloudFormation delete the old, i.e. the same pair)
 * and is associated again when the domain does not show what is asked: a new
 * configuration, the newest package version, or an entry that is not ACTIVE
 * (removed outside CloudFormation, failed, or still being dissociated, which
 * is waited out first).
 */
async function update(event: OnEventRequest): Promise<OnEventResponse> {
  const request = await withNewestVersion(parseAssociationRequest(event.ResourceProperties));
  const current = event.PhysicalResourceId ?? '';
  if (!samePair(parsePhysicalId(current), request)) {
    return associate(event, request);
  }
  const before = await lookUp(request, false);
  if (before === UNAVAILABLE) {
    return pending(current, 'AssociatePackage');
  }
  if (before?.DomainPackageStatus === 'ACTIVE' && await showsAsked(before, request, unchanged(event.OldResourceProperties, request), () => isUpdateRollback(event))) {
    return { PhysicalResourceId: current };
  }
  if (before?.DomainPackageStatus === 'DISSOCIATING') {
    return { PhysicalResourceId: current, PendingOperation: 'AssociatePackage', Before: snapshotOf(before) };
  }
  if (before === undefined) {
    logCall({ operation: 'AssociatePackage', domain: request.domainName, package: request.packageId, outcome: 'restoring', detail: 'not associated any more' });
  }
  return respond(current, await startAssociation(request), 'AssociatePackage', snapshotOf(before));
}

/**
 * Whether an ACTIVE entry shows what is asked: the package version (any in an
 * update rollback: versions only move forward) and the configuration, where
 * the list returns it; where it does not, only a request that did not change
 * (`unchangedRequest`) counts as shown. `inUpdateRollback` is read only when
 * the versions differ.
 */
async function showsAsked(entry: DomainPackageDetails, request: AssociationRequest, unchangedRequest: boolean,
  inUpdateRollback: () => Promise<boolean>): Promise<boolean> {
  if (entry.DomainPackageStatus !== 'ACTIVE') {
    return false;
  }
  const shown = configurationShown(entry, request);
  if (shown !== 'match' && !(shown === 'unknown' && unchangedRequest)) {
    return false;
  }
  return request.packageVersion === undefined || entry.PackageVersion === request.packageVersion || inUpdateRollback();
}

/** Whether the old properties ask the service for the same association (unreadable ones do not). */
function unchanged(oldProperties: Record<string, unknown> | undefined, request: AssociationRequest): boolean {
  try {
    return sameAssociation(parseAssociationRequest(oldProperties), request);
  } catch {
    return false; // old properties this version cannot read: apply the new ones
  }
}

/**
 * Dissociates the pair unless the stack still wants it (see decideDelete).
 * When CloudFormation or the domain cannot be read yet, isComplete decides.
 */
async function dissociate(event: OnEventRequest): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? '';
  const id = parsePhysicalId(physicalId);
  if (!id) {
    logCall({ operation: 'DissociatePackage', outcome: 'skipped', detail: `physical id ${physicalId} was not issued by this handler` });
    return { PhysicalResourceId: physicalId };
  }
  const decision = await decideDelete(event, id);
  if (decision.action === 'keep') {
    return { PhysicalResourceId: physicalId, Kept: decision.reason };
  }
  const before = decision.action === 'wait' ? UNAVAILABLE : await lookUp(id, true);
  if (before === UNAVAILABLE) {
    return pending(physicalId, 'DissociatePackage');
  }
  return respond(physicalId, await startDissociation(id as PackagePair), 'DissociatePackage', snapshotOf(before));
}

/** An operation onEvent could not start: isComplete starts it, reading the entry first. */
function pending(physicalId: string, operation: PendingOperation): OnEventResponse {
  return { PhysicalResourceId: physicalId, PendingOperation: operation };
}

/**
 * Tells isComplete what happened: an operation started (and the entry as it
 * was before), one to start later, or nothing to do ("already in desired
 * state", or already gone).
 */
function respond(physicalId: string, start: Start, operation: PendingOperation, before: EntrySnapshot | null): OnEventResponse {
  switch (start.outcome) {
    case 'started':
      return { PhysicalResourceId: physicalId, Before: before };
    case 'deferred':
      return { PhysicalResourceId: physicalId, PendingOperation: operation, Before: before };
    default:
      return operation === 'AssociatePackage' ? { PhysicalResourceId: physicalId, AlreadyApplied: true } : { PhysicalResourceId: physicalId };
  }
}
