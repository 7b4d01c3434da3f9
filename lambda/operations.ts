import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { AssociationRequest, PackagePair } from './association-request';
import { activityOn, domainChangeOn, inFlightOn } from './domain-activity';
import { FailureSubject, HandlerFailure } from './handler-failure';
import { logCall } from './log';
import { timedOut, timeoutFailure, timeoutText, withinIamPropagation } from './operation-timeout';
import { associatePackage, dissociatePackage, findAssociation, listAssociations } from './packages-api';
import { inUseAdvice } from './removal-failure';
import {
  errorMessage, errorName, isAccessDenied, isAlreadyGone, isAlreadyInDesiredState, isConflict, isLimitExceeded, isRetryable, isValidationError,
} from './service-errors';

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

/** What an operation is about: its domain and the packages it names. */
export type OperationSubject = FailureSubject & { readonly domainName: string };

/** A write to the packages API: one pair, or a domain's set of packages in one call. */
export interface Operation {
  readonly name: 'AssociatePackage' | 'DissociatePackage' | 'AssociatePackages' | 'DissociatePackages';
  readonly subject: OperationSubject;
  readonly call: () => Promise<unknown>;
  /** An error that means there is nothing to do. */
  readonly isDone: (error: unknown) => boolean | Promise<boolean>;
}

/** Calls AssociatePackage; a failure that waiting cannot mend is final and thrown. */
export async function startAssociation(request: AssociationRequest): Promise<Start> {
  return startOperation({ name: 'AssociatePackage', subject: request, call: () => associatePackage(request), isDone: isAlreadyInDesiredState });
}

/** Calls DissociatePackage; a failure that waiting cannot mend is final and thrown. */
export async function startDissociation(pair: PackagePair): Promise<Start> {
  return startOperation({ name: 'DissociatePackage', subject: pair, call: () => dissociatePackage(pair), isDone: (error) => isGone(error, pair) });
}

/**
 * Sends the operation's write, unless the operation's timeout has passed, and
 * tells how it went. A domain still being created or changed (DescribeDomain)
 * gets no write yet: how the service refuses one then is undocumented, and
 * may not look like a busy domain. Conflicts, throttling and IAM propagation
 * are waited out as the service's answer allows; other failures are final
 * and thrown.
 */
export async function startOperation(operation: Operation): Promise<Start> {
  const { subject } = operation;
  if (timedOut()) {
    throw timeoutFailure(`${operation.name} not sent: the operation's ${timeoutText()} have passed`, subject);
  }
  const change = await domainChangeOn(subject.domainName);
  if (change !== undefined) {
    logCall({ operation: operation.name, domain: subject.domainName, package: packagesOf(subject), outcome: 'busy', detail: change });
    return { outcome: 'deferred' };
  }
  try {
    await operation.call();
    return { outcome: 'started' };
  } catch (error) {
    return settle(operation, error);
  }
}

async function settle(operation: Operation, error: unknown): Promise<Start> {
  if (await operation.isDone(error)) {
    return { outcome: 'done' };
  }
  if (isConflict(error)) {
    return settleConflict(operation);
  }
  if (isLimitExceeded(error)) {
    throw serviceFailure(error, operation.subject); // waiting frees no room on the domain
  }
  if (isRetryable(error) || (isAccessDenied(error) && withinIamPropagation())) {
    return { outcome: 'deferred' }; // the service did not answer, or a new policy is still reaching IAM
  }
  throw serviceFailure(error, operation.subject);
}

/**
 * Pauses between the attempts of a write refused with a conflict while
 * nothing is in flight on the domain, 15 seconds in all.
 */
const CONFLICT_PAUSES_MS = [0, 1_000, 2_000, 4_000, 8_000];

/**
 * A conflict is not always a busy domain: the model's ConflictException is
 * also "a resource that is still in use". The domain tells them apart: while
 * it shows an operation in flight, the write waits for the next poll. With
 * nothing in flight the refusal is either a race (an operation started and
 * ended between two calls: the domain's entries or status changed between
 * two readings, or a later attempt goes through) or a package in use (every
 * attempt refused, and the domain never changed). A race never fails the
 * operation; an in-use package fails after the spaced attempts.
 */
async function settleConflict(operation: Operation): Promise<Start> {
  const { subject } = operation;
  let seen = await activityOn(subject.domainName);
  let conflict: unknown;
  for (const pauseMs of CONFLICT_PAUSES_MS) {
    if (seen.inFlight !== undefined) {
      logCall({ operation: operation.name, domain: subject.domainName, package: packagesOf(subject), outcome: 'busy', detail: seen.inFlight });
      return { outcome: 'deferred' };
    }
    await pause(pauseMs);
    try {
      await operation.call();
      return { outcome: 'started' };
    } catch (error) {
      if (!isConflict(error)) {
        return settle(operation, error);
      }
      conflict = error;
    }
    const now = await activityOn(subject.domainName);
    if (now.fingerprint !== seen.fingerprint) {
      logCall({ operation: operation.name, domain: subject.domainName, package: packagesOf(subject), outcome: 'race', detail: 'the domain changed between two attempts' });
      return { outcome: 'deferred' };
    }
    seen = now;
  }
  const seconds = CONFLICT_PAUSES_MS.reduce((sum, ms) => sum + ms, 0) / 1000;
  const advice = operation.name.startsWith('Dissociate')
    ? inUseAdvice(subject.domainName, subject.packageIds ?? (subject.packageId ? [subject.packageId] : []))
    : 'the package or the domain refuses the change; check them in the console, then deploy again';
  throw new HandlerFailure(errorName(conflict), `${errorMessage(conflict)} (refused ${CONFLICT_PAUSES_MS.length + 1} times in ${seconds} seconds `
    + `while nothing was in flight on the domain and nothing on it changed, so waiting would not help; ${advice})`, subject);
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The failure of an operation whose domain stayed busy until its timeout: what is in flight now. */
export async function busyTimeout(subject: OperationSubject): Promise<HandlerFailure> {
  const inFlight = await inFlightOn(subject.domainName).catch(() => undefined);
  return timeoutFailure(`domain ${subject.domainName} still busy after ${timeoutText()} (in flight: ${inFlight ?? 'nothing now'})`, subject);
}

/** The package or packages a log line names. */
export function packagesOf(subject: FailureSubject): string | undefined {
  return subject.packageIds?.join(' ') ?? subject.packageId;
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

/** A service error as CloudFormation will show it: its name, its message and what it is about. */
export function serviceFailure(error: unknown, subject: FailureSubject): HandlerFailure {
  return error instanceof HandlerFailure ? error : new HandlerFailure(errorName(error), errorMessage(error), subject);
}

/** The answer when the service could not be read this time: ask again later. */
export const UNAVAILABLE = Symbol('unavailable');

/**
 * The pair's entry, undefined when not listed, or UNAVAILABLE when the service
 * failed in a way worth asking again. A missing domain means the pair is gone
 * when deleting, and is a failure otherwise.
 */
export async function lookUp(pair: PackagePair, deleting: boolean): Promise<DomainPackageDetails | undefined | typeof UNAVAILABLE> {
  return readOrWait(() => findAssociation(pair), pair, deleting, undefined);
}

/** Every entry of the domain (all pages), as lookUp reads one: [] for a missing domain when deleting. */
export async function lookUpAll(subject: OperationSubject, deleting: boolean): Promise<DomainPackageDetails[] | typeof UNAVAILABLE> {
  return readOrWait(() => listAssociations(subject.domainName), subject, deleting, []);
}

async function readOrWait<T>(read: () => Promise<T>, subject: FailureSubject, deleting: boolean, gone: T): Promise<T | typeof UNAVAILABLE> {
  try {
    return await read();
  } catch (error) {
    if (isRetryable(error) || (isAccessDenied(error) && withinIamPropagation())) {
      return UNAVAILABLE;
    }
    if (deleting && isAlreadyGone(error)) {
      return gone;
    }
    throw serviceFailure(error, subject);
  }
}
