import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { AssociationRequest, PackagePair } from './association-request';
import { HandlerFailure } from '../handler-failure';
import { inFlightOn } from './domain-activity';
import { logCall } from '../log';
import { timedOut, timeoutFailure, timeoutText, withinIamPropagation } from '../operation-timeout';
import { associatePackage, dissociatePackage, findAssociation } from '../packages-api';
import {
  errorMessage, errorName, isAccessDenied, isAlreadyGone, isAlreadyInDesiredState, isConflict, isLimitExceeded, isRetryable, isValidationError,
} from '../service-errors';

/**
 * How starting an operation went:
 * - `started`: the service accepted it; wait for the entry to settle.
 * - `done`: nothing to do (already associated as asked, or already gone).
 * - `deferred`: the domain is busy or the service did not answer; start it again later.
 */
export type StartOutcome = 'started' | 'done' | 'deferred';

export interface Start {
  readonly outcome: StartOutcome;
}

interface Operation {
  readonly name: 'AssociatePackage' | 'DissociatePackage';
  readonly call: () => Promise<unknown>;
  /** An error that means there is nothing to do. */
  readonly isDone: (error: unknown) => boolean | Promise<boolean>;
}

/** Calls AssociatePackage; a failure that waiting cannot mend is final and thrown. */
export async function startAssociation(request: AssociationRequest): Promise<Start> {
  return start({ name: 'AssociatePackage', call: () => associatePackage(request), isDone: isAlreadyInDesiredState }, request);
}

/** Calls DissociatePackage; a failure that waiting cannot mend is final and thrown. */
export async function startDissociation(pair: PackagePair): Promise<Start> {
  return start({ name: 'DissociatePackage', call: () => dissociatePackage(pair), isDone: (error) => isGone(error, pair) }, pair);
}

async function start(operation: Operation, pair: PackagePair): Promise<Start> {
  if (timedOut()) {
    throw timeoutFailure(`${operation.name} not sent: the operation's ${timeoutText()} have passed`, pair);
  }
  try {
    await operation.call();
    return { outcome: 'started' };
  } catch (error) {
    return settle(operation, pair, error);
  }
}

async function settle(operation: Operation, pair: PackagePair, error: unknown): Promise<Start> {
  if (await operation.isDone(error)) {
    return { outcome: 'done' };
  }
  if (isConflict(error)) {
    return settleConflict(operation, pair);
  }
  if (isLimitExceeded(error)) {
    throw serviceFailure(error, pair); // waiting frees no room on the domain
  }
  if (isRetryable(error) || (isAccessDenied(error) && withinIamPropagation())) {
    return { outcome: 'deferred' }; // the service did not answer, or a new policy is still reaching IAM
  }
  throw serviceFailure(error, pair);
}

/**
 * A conflict is not always a busy domain: the model's ConflictException is
 * also "a resource that is still in use". Try once more at once (the other
 * operation may just have ended), then wait only while the domain shows an
 * operation in flight; a conflict with nothing in flight fails.
 */
async function settleConflict(operation: Operation, pair: PackagePair): Promise<Start> {
  let conflict: unknown;
  try {
    await operation.call();
    return { outcome: 'started' };
  } catch (error) {
    if (!isConflict(error)) {
      return settle(operation, pair, error);
    }
    conflict = error;
  }
  const inFlight = await inFlightOn(pair.domainName);
  if (inFlight === undefined) {
    throw new HandlerFailure(errorName(conflict),
      `${errorMessage(conflict)} (nothing is in flight on the domain, so waiting would not help: the package may be in use)`, pair);
  }
  logCall({ operation: operation.name, domain: pair.domainName, package: pair.packageId, outcome: 'busy', detail: inFlight });
  return { outcome: 'deferred' };
}

/**
 * Nothing left to dissociate: the documented answers, or a ValidationException
 * of any wording while the pair is not listed.
 */
async function isGone(error: unknown, pair: PackagePair): Promise<boolean> {
  if (isAlreadyGone(error)) {
    return true;
  }
  if (!isValidationError(error)) {
    return false;
  }
  return (await lookUp(pair, true)) === undefined;
}

/** A service error as CloudFormation will show it: its name, its message and the pair. */
export function serviceFailure(error: unknown, pair: PackagePair): HandlerFailure {
  return error instanceof HandlerFailure ? error : new HandlerFailure(errorName(error), errorMessage(error), pair);
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
    if (isRetryable(error) || (isAccessDenied(error) && withinIamPropagation())) {
      return UNAVAILABLE;
    }
    if (deleting && isAlreadyGone(error)) {
      return undefined;
    }
    throw serviceFailure(error, pair);
  }
}
