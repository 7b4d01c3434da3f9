import { AssociationRequest, parseAssociationRequest, sameAssociation } from './association-request';
import type { OnEventRequest, OnEventResponse, PendingOperation } from './events';
import { logCall } from './log';
import { Start, startAssociation, startDissociation } from './operations';
import { findAssociation } from './packages-api';
import { parsePhysicalId, physicalIdOf } from './physical-id';

/**
 * Starts the operation and returns at once; isComplete waits for it.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  switch (event.RequestType) {
    case 'Create':
      return associate(parseAssociationRequest(event.ResourceProperties));
    case 'Update':
      return update(event);
    case 'Delete':
      return dissociate(event.PhysicalResourceId ?? '');
    default:
      throw new Error(`InvalidRequest: unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}

async function associate(request: AssociationRequest): Promise<OnEventResponse> {
  return respond(physicalIdOf(request), await startAssociation(request), 'AssociatePackage');
}

/**
 * A new pair is associated under a new physical id; CloudFormation deletes the
 * old pair after the whole update succeeded. The same pair is associated again,
 * which applies a new configuration and moves the domain to the newest package
 * version, unless nothing the service sees has changed.
 */
async function update(event: OnEventRequest): Promise<OnEventResponse> {
  const request = parseAssociationRequest(event.ResourceProperties);
  const physicalId = physicalIdOf(request);
  if (physicalId === event.PhysicalResourceId && unchanged(event.OldResourceProperties, request)) {
    return keep(request);
  }
  return associate(request);
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
async function keep(request: AssociationRequest): Promise<OnEventResponse> {
  const listed = await findAssociation(request).catch(() => 'unknown' as const);
  if (listed === undefined) {
    logCall({ operation: 'AssociatePackage', domain: request.domainName, package: request.packageId, outcome: 'restoring', detail: 'not associated any more' });
    return associate(request);
  }
  return { PhysicalResourceId: physicalIdOf(request) };
}

async function dissociate(physicalId: string): Promise<OnEventResponse> {
  const pair = parsePhysicalId(physicalId);
  if (!pair) {
    logCall({ operation: 'DissociatePackage', outcome: 'skipped', detail: `physical id ${physicalId} was not issued by this handler` });
    return { PhysicalResourceId: physicalId };
  }
  return respond(physicalId, await startDissociation(pair), 'DissociatePackage');
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
