import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { attributesOf, changedSince, configurationMismatch } from '../association-entry';
import { AssociationRequest, PackagePair, parseAssociationRequest } from '../association-request';
import type { IsCompleteRequest, IsCompleteResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { enterOperationOf, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { busyTimeout, lookUp, startAssociation, startDissociation, UNAVAILABLE } from '../operations';
import { withNewestVersion } from '../package-revision';
import { IssuedId, parsePhysicalId, physicalIdOf } from '../physical-id';
import { inUseAdvice } from '../removal-failure';
import { decideDelete, isUpdateRollback, mayRecordAdoption } from '../stack-claims';

const WAIT: IsCompleteResponse = { IsComplete: false };
const DONE: IsCompleteResponse = { IsComplete: true };

type Listed = DomainPackageDetails | undefined | typeof UNAVAILABLE;

/**
 * Polled by the provider's waiter until the association is ACTIVE (or gone, for
 * Delete). Each call reads the domain's packages once and returns; it never
 * sleeps, so the waiter's query interval sets the pace. Once the operation's
 * timeout has passed it starts nothing more and fails with what it was
 * waiting for.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  enterOperationOf(event);
  return event.RequestType === 'Delete' ? dissociationComplete(event) : associationComplete(event);
}

/**
 * A long association handed over to the waiter answers with its entry as the
 * domain lists it now (ASSOCIATING, at the asked version when one was asked),
 * once the domain lists it; a Delete answers at once.
 */
export async function provisional(event: IsCompleteRequest): Promise<IsCompleteResponse | undefined> {
  if (event.RequestType === 'Delete') {
    return DONE;
  }
  const request = await withNewestVersion(parseAssociationRequest(event.ResourceProperties));
  const entry = await lookUp(request, false);
  if (entry === UNAVAILABLE || !entry) {
    return undefined;
  }
  return { IsComplete: true, Data: { ...attributesOf(entry), PackageVersion: request.packageVersion ?? entry.PackageVersion ?? '' } };
}

async function associationComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const request = await withNewestVersion(parseAssociationRequest(event.ResourceProperties));
  const entry = await lookUp(request, false);
  const notStarted = event.PendingOperation === 'AssociatePackage' && !(entry !== UNAVAILABLE && entry && shows(entry, event));
  if (timedOut()) {
    throw await timeout(notStarted, entry, request);
  }
  if (entry === UNAVAILABLE) {
    return WAIT;
  }
  if (event.AlreadyApplied) {
    return entry ? atVersion(event, entry, request, verified(entry, request)) : WAIT;
  }
  if (notStarted) {
    // Another operation on the pair (a dissociation an update arrived during) is waited out first.
    return entry?.DomainPackageStatus === 'DISSOCIATING' ? WAIT : retryAssociation(event, request, entry);
  }
  if (!entry || !shows(entry, event)) {
    return WAIT; // not listed yet, or listed as before AssociatePackage: the list lags behind
  }
  switch (entry.DomainPackageStatus) {
    case 'ACTIVE':
      return atVersion(event, entry, request);
    case 'ASSOCIATION_FAILED':
    case 'DISSOCIATION_FAILED':
      throw statusFailure(entry, request);
    default:
      return WAIT; // ASSOCIATING
  }
}

/** Whether the entry shows this operation (it changed since onEvent's reading), not the state before it. */
function shows(entry: DomainPackageDetails, event: IsCompleteRequest): boolean {
  // A pending operation without a reading before it: only the service's own answer tells.
  return !(event.PendingOperation !== undefined && event.Before === undefined) && changedSince(entry, event.Before);
}

/**
 * onEvent could not start the association (domain busy, service unavailable):
 * start it now. "Already in desired state" completes with the listed entry,
 * once it shows what was asked; when this operation brought the pair to the
 * resource (a create, or an update to another pair), the pair was adopted and
 * the physical id says so.
 */
async function retryAssociation(
  event: IsCompleteRequest, request: AssociationRequest, entry: DomainPackageDetails | undefined,
): Promise<IsCompleteResponse> {
  const { outcome } = await startAssociation(request);
  if (outcome !== 'done' || !entry) {
    return WAIT;
  }
  const done = await atVersion(event, entry, request, verified(entry, request));
  return bringsPair(event) && await mayRecordAdoption(event) ? { ...done, PhysicalResourceId: physicalIdOf(request, true) } : done;
}

/**
 * Completes on an entry the operation did not change ("already in desired
 * state"), only if it shows what was asked: the service may keep an old
 * configuration and still answer that way.
 */
function verified(entry: DomainPackageDetails, request: AssociationRequest): IsCompleteResponse {
  const mismatch = configurationMismatch(entry, request);
  if (mismatch) {
    throw new HandlerFailure('ConfigurationNotApplied',
      `the service answered "already in desired state" but the domain kept ${mismatch}; dissociate and associate again to change it`, request);
  }
  return { IsComplete: true, Data: attributesOf(entry) };
}

/**
 * `PackageVersion`, when given, is the exact version the domain must run. The
 * one exception is an update rollback: versions only move forward, so the
 * newest one is accepted there.
 */
async function atVersion(event: IsCompleteRequest, entry: DomainPackageDetails, request: AssociationRequest,
  done: IsCompleteResponse = { IsComplete: true, Data: attributesOf(entry) }): Promise<IsCompleteResponse> {
  const wanted = request.packageVersion;
  if (wanted === undefined || entry.PackageVersion === wanted || await isUpdateRollback(event)) {
    return done;
  }
  throw new HandlerFailure('VersionNotApplied', `the domain runs ${entry.PackageVersion ?? 'no version'}, expected ${wanted}`, request);
}

/** A create, or an update whose old properties named another pair. */
function bringsPair(event: IsCompleteRequest): boolean {
  const old = event.OldResourceProperties;
  return event.RequestType === 'Create'
    || (typeof old?.DomainName === 'string' && typeof old.PackageID === 'string'
      && physicalIdOf({ domainName: old.DomainName, packageId: old.PackageID }) !== physicalIdOf(parseAssociationRequest(event.ResourceProperties)));
}

async function dissociationComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const id = parsePhysicalId(event.PhysicalResourceId);
  if (!id || event.Kept !== undefined) {
    return DONE; // not ours, or onEvent found that the stack still wants the pair
  }
  const entry = await lookUp(id, true);
  const notStarted = event.PendingOperation === 'DissociatePackage' && !(entry !== UNAVAILABLE && entry && shows(entry, event));
  if (timedOut() && entry !== undefined) {
    throw await timeout(notStarted, entry, id);
  }
  if (entry === UNAVAILABLE) {
    return WAIT;
  }
  if (!entry) {
    return DONE;
  }
  if (entry.DomainPackageStatus === 'DISSOCIATING') {
    return WAIT; // whoever started it, the entry is on its way out
  }
  if (notStarted) {
    return dissociateUnlessWanted(event, id);
  }
  if (!shows(entry, event)) {
    return WAIT; // still listed as before DissociatePackage: the list lags behind
  }
  if (entry.DomainPackageStatus === 'DISSOCIATION_FAILED') {
    throw statusFailure(entry, id);
  }
  // associated again since: dissociate again, unless the stack now wants the pair
  return dissociateUnlessWanted(event, id);
}

async function dissociateUnlessWanted(event: IsCompleteRequest, id: IssuedId): Promise<IsCompleteResponse> {
  const decision = await decideDelete(event, id);
  if (decision.action !== 'dissociate') {
    return decision.action === 'keep' ? DONE : WAIT;
  }
  return (await startDissociation(id)).outcome === 'done' ? DONE : WAIT;
}

/** The failure once the timeout has passed: what the operation was still waiting for. */
async function timeout(notStarted: boolean, entry: Listed, pair: PackagePair): Promise<HandlerFailure> {
  const after = timeoutText();
  if (entry === UNAVAILABLE) {
    return timeoutFailure(`the service did not answer for ${after}`, pair);
  }
  if (notStarted) {
    return busyTimeout(pair);
  }
  return timeoutFailure(`${entry?.DomainPackageStatus ?? 'not listed'} for ${after}`, pair);
}

function statusFailure(entry: DomainPackageDetails, pair: PackagePair): HandlerFailure {
  const details = entry.ErrorDetails;
  const cause = entry.DomainPackageStatus === 'DISSOCIATION_FAILED' ? `${inUseAdvice(pair.domainName, [pair.packageId])}; ` : '';
  return new HandlerFailure(
    entry.DomainPackageStatus ?? 'UnknownStatus',
    `${cause}${details?.ErrorType ?? 'no error type'}: ${details?.ErrorMessage ?? 'no error message'}`,
    pair,
  );
}
