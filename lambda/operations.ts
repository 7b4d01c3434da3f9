import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { AssociationRequest, PackagePair } from './association-request';
import { AssociationFailure } from './association-failure';
import { associatePackage, dissociatePackage, findAssociation } from './packages-api';
import { errorMessage, errorName, isAlreadyGone, isAlreadyInDesiredState, isDomainBusy, isRetryable } from './service-errors';

/**
 * How starting an operation went:
 * - `started`: the service accepted it; wait for the entry to settle.
 * - `done`: nothing to do (already associated as asked, or already gone).
 * - `deferred`: the domain is busy or the service did not answer; start it again later.
 */
export type StartOutcome = 'started' | 'done' | 'deferred';

export interface Start {
  readonly outcome: StartOutcome;
  /**
   * When the operation started: the service's LastUpdated of the entry it
   * changed, or (without one, or when it did not start) the time of the call.
   */
  readonly startedAt: Date;
}

/** Calls AssociatePackage; any other failure is final and thrown. */
export async function startAssociation(request: AssociationRequest): Promise<Start> {
  return start(() => associatePackage(request), request, isAlreadyInDesiredState);
}

/** Calls DissociatePackage; any other failure is final and thrown. */
export async function startDissociation(pair: PackagePair): Promise<Start> {
  return start(() => dissociatePackage(pair), pair, isAlreadyGone);
}

async function start(call: () => Promise<DomainPackageDetails | undefined>, pair: PackagePair, isDone: (error: unknown) => boolean): Promise<Start> {
  const calledAt = new Date();
  try {
    const details = await call();
    return { outcome: 'started', startedAt: details?.LastUpdated ?? calledAt };
  } catch (error) {
    return { outcome: settle(error, pair, isDone), startedAt: calledAt };
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

/** The answer when the service could not be read this time: ask again later. */
export const UNAVAILABLE = Symbol('unavailable');

/**
 * The pair's entry, undefined when not listed, or UNAVAILABLE when the service
 * failed in a way worth asking again. A missing domain means the pair is gone
 * when deleting, and is a failure otherwise.
 */
export async function lookUp(pair: PackagePair, deleting: boolean): Promise<DomainPackageDetails | undefined | typeof UNAVAILABLE> {
  try {
    return await findAssociation(pair);
  } catch (error) {
    if (isRetryable(error)) {
      return UNAVAILABLE;
    }
    if (deleting && isAlreadyGone(error)) {
      return undefined;
    }
    throw serviceFailure(error, pair);
  }
}

