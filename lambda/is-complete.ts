import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { AssociationFailure } from './association-failure';
import { AssociationRequest, PackagePair, parseAssociationRequest } from './association-request';
import type { IsCompleteRequest, IsCompleteResponse } from './events';
import { lookUp, startAssociation, startDissociation, UNAVAILABLE } from './operations';
import { IssuedId, parsePhysicalId, physicalIdOf } from './physical-id';
import { decideDelete, mayRecordAdoption } from './stack-ownership';

const WAIT: IsCompleteResponse = { IsComplete: false };
const DONE: IsCompleteResponse = { IsComplete: true };

/**
 * Polled by the provider's waiter until the association is ACTIVE (or gone, for
 * Delete). Each call reads the domain's packages once and returns; it never
 * sleeps, so the waiter's query interval sets the pace.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  return event.RequestType === 'Delete' ? dissociationComplete(event) : associationComplete(event);
}

async function associationComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const request = parseAssociationRequest(event.ResourceProperties);
  const entry = await lookUp(request, false);
  if (entry === UNAVAILABLE) {
    return WAIT;
  }
  const current = entry && !predates(entry, event.StartedAt);
  if (event.PendingOperation === 'AssociatePackage' && !current) {
    return retryAssociation(event, request, entry);
  }
  if (!current) {
    return WAIT; // not listed yet, or listed as before AssociatePackage: the list lags behind
  }
  switch (entry.DomainPackageStatus) {
    case 'ACTIVE':
      return { IsComplete: true, Data: attributesOf(entry) };
    case 'ASSOCIATION_FAILED':
      await withdrawFailedReplacement(event, request);
      throw statusFailure(entry, request);
    case 'DISSOCIATION_FAILED':
      throw statusFailure(entry, request);
    default:
      return WAIT; // ASSOCIATING
  }
}

/**
 * onEvent could not start the association (domain busy, service unavailable):
 * start it now. "Already in desired state" completes with the listed entry;
 * when this operation brought the pair to the resource (a create, or an
 * update to another pair), the pair was adopted and the physical id says so.
 */
async function retryAssociation(event: IsCompleteRequest, request: AssociationRequest, entry: DomainPackageDetails | undefined): Promise<IsCompleteResponse> {
  const { outcome } = await startAssociation(request);
  if (outcome !== 'done' || !entry) {
    return WAIT;
  }
  const done = { IsComplete: true, Data: attributesOf(entry) };
  return bringsPair(event) && await mayRecordAdoption(event) ? { ...done, PhysicalResourceId: physicalIdOf(request, true) } : done;
}

/** A create, or an update whose old properties named another pair. */
function bringsPair(event: IsCompleteRequest): boolean {
  const old = event.OldResourceProperties;
  return event.RequestType === 'Create'
    || (typeof old?.DomainName === 'string' && typeof old.PackageID === 'string'
      && physicalIdOf({ domainName: old.DomainName, packageId: old.PackageID }) !== physicalIdOf(parseAssociationRequest(event.ResourceProperties)));
}

/**
 * An update that replaced the pair failed: CloudFormation keeps the old
 * physical id and never deletes the new pair, so its failed entry would stay
 * on the domain. Remove it (best effort: the failure is reported either way,
 * and the call logs its own outcome). The old pair is never touched.
 */
async function withdrawFailedReplacement(event: IsCompleteRequest, request: AssociationRequest): Promise<void> {
  if (event.RequestType === 'Update' && bringsPair(event)) {
    await startDissociation(request).catch(() => undefined);
  }
}

async function dissociationComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const pair = parsePhysicalId(event.PhysicalResourceId);
  if (!pair || event.Kept !== undefined) {
    return DONE; // not ours, or onEvent found that the stack still wants the pair
  }
  const entry = await lookUp(pair, true);
  if (entry === UNAVAILABLE) {
    return WAIT;
  }
  if (!entry) {
    return DONE;
  }
  const status = entry.DomainPackageStatus;
  if (status === 'DISSOCIATING') {
    return WAIT;
  }
  const current = !predates(entry, event.StartedAt);
  if (current && status === 'DISSOCIATION_FAILED') {
    throw statusFailure(entry, pair);
  }
  if (current || event.PendingOperation === 'DissociatePackage') {
    // not started yet, or associated again since: dissociate (now), unless the stack still wants it
    return dissociateUnlessWanted(event, pair);
  }
  return WAIT; // still listed as before DissociatePackage: the list lags behind
}

async function dissociateUnlessWanted(event: IsCompleteRequest, id: IssuedId): Promise<IsCompleteResponse> {
  const decision = await decideDelete(event, id);
  if (decision.action !== 'dissociate') {
    return decision.action === 'keep' ? DONE : WAIT;
  }
  return (await startDissociation(id)).outcome === 'done' ? DONE : WAIT;
}

/**
 * Whether the entry was last updated before the operation onEvent started,
 * i.e. it does not show that operation yet. Without either time, it is
 * taken as current.
 */
function predates(entry: DomainPackageDetails, startedAt: string | undefined): boolean {
  const updated = entry.LastUpdated?.getTime();
  const started = startedAt === undefined ? NaN : Date.parse(startedAt);
  return updated !== undefined && updated < started;
}

function statusFailure(entry: DomainPackageDetails, pair: PackagePair): AssociationFailure {
  const details = entry.ErrorDetails;
  const cause = entry.DomainPackageStatus === 'DISSOCIATION_FAILED'
    ? '; likely cause: an index still uses the package (remove it from the index settings first)'
    : '';
  return new AssociationFailure(
    entry.DomainPackageStatus ?? 'UnknownStatus',
    `${details?.ErrorType ?? 'no error type'}: ${details?.ErrorMessage ?? 'no error message'}${cause}`,
    pair,
  );
}

/** The resource's attributes, always strings: '' where the service gives none. */
function attributesOf(entry: DomainPackageDetails): Record<string, string> {
  return {
    ReferencePath: entry.ReferencePath ?? '',
    PackageVersion: entry.PackageVersion ?? '',
    PackageName: entry.PackageName ?? '',
    PackageType: entry.PackageType ?? '',
    DomainPackageStatus: entry.DomainPackageStatus ?? '',
  };
}
