import { AssociationRequest, parseAssociationRequest, sameAssociation } from './association-request';
import type { OnEventRequest, OnEventResponse, PendingOperation } from './events';
import { logCall } from './log';
import { lookUp, Start, startAssociation, startDissociation, UNAVAILABLE } from './operations';
import { findAssociation } from './packages-api';
import { parsePhysicalId, physicalIdOf, samePair } from './physical-id';
import { decideDelete, mayRecordAdoption } from './stack-ownership';

/**
 * Starts the operation and returns at once; isComplete waits for it.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  switch (event.RequestType) {
    case 'Create':
      return associate(event, parseAssociationRequest(event.ResourceProperties));
    case 'Update':
      return update(event);
    case 'Delete':
      return dissociate(event);
    default:
      throw new Error(`InvalidRequest: unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/**
 * Associates a pair under a physical id of its own. A pair found associated
 * already (listed before the call, or "already in desired state") is adopted,
 * and its physical id says so.
 */
async function associate(event: OnEventRequest, request: AssociationRequest): Promise<OnEventResponse> {
  const before = await lookUp(request, false);
  if (before === UNAVAILABLE) {
    return respond(physicalIdOf(request), { outcome: 'deferred', startedAt: new Date() }, 'AssociatePackage');
  }
  const present = before?.DomainPackageStatus === 'ACTIVE' || before?.DomainPackageStatus === 'ASSOCIATING';
  const start = await startAssociation(request);
  const adopted = (present || start.outcome === 'done') && await mayRecordAdoption(event);
  return respond(physicalIdOf(request, adopted), start, 'AssociatePackage');
}

/**
 * A new pair is associated under a new physical id; CloudFormation deletes the
 * old pair after the whole update succeeded. The same pair keeps its physical
 * id (a new one would make CloudFormation delete the old, i.e. the same pair)
 * and is associated again, which applies a new configuration and moves the
 * domain to the newest package version, unless nothing the service sees has
 * changed.
 */
async function update(event: OnEventRequest): Promise<OnEventResponse> {
  const request = parseAssociationRequest(event.ResourceProperties);
  const current = event.PhysicalResourceId ?? '';
  if (!samePair(parsePhysicalId(current), request)) {
    return associate(event, request);
  }
  if (unchanged(event.OldResourceProperties, request)) {
    return keep(request, current);
  }
  return respond(current, await startAssociation(request), 'AssociatePackage');
}

function unchanged(oldProperties: Record<string, unknown> | undefined, request: AssociationRequest): boolean {
  try {
    return sameAssociation(parseAssociationRequest(oldProperties), request);
  } catch {
    return false; // old properties this version cannot read: apply the new ones
  }
}

/**
 * Nothing the service sees has changed: no call, unless the association was
 * removed outside CloudFormation, in which case it is restored. (Associating
 * again when it exists could move the domain to a newer package version.)
 */
async function keep(request: AssociationRequest, physicalId: string): Promise<OnEventResponse> {
  const listed = await findAssociation(request).catch(() => 'unknown' as const);
  if (listed === undefined) {
    logCall({ operation: 'AssociatePackage', domain: request.domainName, package: request.packageId, outcome: 'restoring', detail: 'not associated any more' });
    return respond(physicalId, await startAssociation(request), 'AssociatePackage');
  }
  return { PhysicalResourceId: physicalId };
}

/**
 * Dissociates the pair unless the stack still wants it (see decideDelete).
 * When CloudFormation cannot be read yet, isComplete decides and dissociates.
 */
async function dissociate(event: OnEventRequest): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? '';
  const id = parsePhysicalId(physicalId);
  if (!id) {
    logCall({ operation: 'DissociatePackage', outcome: 'skipped', detail: `physical id ${physicalId} was not issued by this handler` });
    return { PhysicalResourceId: physicalId };
  }
  const decision = await decideDelete(event, id);
  switch (decision.action) {
    case 'keep':
      return { PhysicalResourceId: physicalId, Kept: decision.reason };
    case 'wait':
      return respond(physicalId, { outcome: 'deferred', startedAt: new Date() }, 'DissociatePackage');
    default:
      return respond(physicalId, await startDissociation(id), 'DissociatePackage');
  }
}

/**
 * Tells isComplete what happened: an operation started (and when, in the
 * service's own time), one to start later (when, in this function's time: an
 * entry updated since then shows someone's later operation, usually the one
 * isComplete started), or nothing left to do.
 */
function respond(physicalId: string, start: Start, operation: PendingOperation): OnEventResponse {
  switch (start.outcome) {
    case 'started':
      return { PhysicalResourceId: physicalId, StartedAt: start.startedAt.toISOString() };
    case 'deferred':
      return { PhysicalResourceId: physicalId, PendingOperation: operation, StartedAt: start.startedAt.toISOString() };
    default:
      return { PhysicalResourceId: physicalId };
  }
}
