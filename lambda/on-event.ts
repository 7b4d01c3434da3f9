import { AssociationRequest, parseAssociationRequest, sameAssociation } from './association-request';
import type { OnEventRequest, OnEventResponse, PendingOperation } from './events';
import { logCall } from './log';
import { StartOutcome, startAssociation, startDissociation } from './operations';
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
    return { PhysicalResourceId: physicalId };
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

async function dissociate(physicalId: string): Promise<OnEventResponse> {
  const pair = parsePhysicalId(physicalId);
  if (!pair) {
    logCall({ operation: 'DissociatePackage', outcome: 'skipped', detail: `physical id ${physicalId} was not issued by this handler` });
    return { PhysicalResourceId: physicalId };
  }
  return respond(physicalId, await startDissociation(pair), 'DissociatePackage');
}

function respond(physicalId: string, outcome: StartOutcome, operation: PendingOperation): OnEventResponse {
  return outcome === 'deferred'
    ? { PhysicalResourceId: physicalId, PendingOperation: operation }
    : { PhysicalResourceId: physicalId };
}
