import type { AssociationRequest, PackagePair } from './association-request';
import { AssociationFailure } from './association-failure';
import { associatePackage, dissociatePackage } from './packages-api';
import { errorMessage, errorName, isAlreadyGone, isAlreadyInDesiredState, isDomainBusy, isRetryable } from './service-errors';

/**
 * How starting an operation went:
 * - `started`: the service accepted it; wait for the entry to settle.
 * - `done`: nothing to do (already associated as asked, or already gone).
 * - `deferred`: the domain is busy or the service did not answer; start it again later.
 */
export type StartOutcome = 'started' | 'done' | 'deferred';

/** Calls AssociatePackage; any other failure is final and thrown. */
export async function startAssociation(request: AssociationRequest): Promise<StartOutcome> {
  try {
    await associatePackage(request);
    return 'started';
  } catch (error) {
    return settle(error, request, isAlreadyInDesiredState);
  }
}

/** Calls DissociatePackage; any other failure is final and thrown. */
export async function startDissociation(pair: PackagePair): Promise<StartOutcome> {
  try {
    await dissociatePackage(pair);
    return 'started';
  } catch (error) {
    return settle(error, pair, isAlreadyGone);
  }
}

function settle(error: unknown, pair: PackagePair, isDone: (error: unknown) => boolean): StartOutcome {
  if (isDone(error)) {
    return 'done';
  }
  if (isDomainBusy(error) || isRetryable(error)) {
    return 'deferred';
  }
  throw serviceFailure(error, pair);
}

/** A service error as CloudFormation will show it: its name, its message and the pair. */
export function serviceFailure(error: unknown, pair: PackagePair): AssociationFailure {
  return new AssociationFailure(errorName(error), errorMessage(error), pair);
}
