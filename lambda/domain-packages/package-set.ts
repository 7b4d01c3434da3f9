import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import { snapshotOf } from '../association-entry';
import type { AssociationRequest } from '../association-request';
import type { EntrySnapshot, OnEventRequest } from '../events';
import { HandlerFailure } from '../handler-failure';
import { logCall } from '../log';
import { lookUpAll, OperationSubject, Start, startOperation, UNAVAILABLE } from '../operations';
import { associatePackages, dissociatePackages } from '../packages-api';
import type { IssuedSetId } from '../physical-id';
import { inUseAdvice } from '../removal-failure';
import { isAlreadyGone, isAlreadyInDesiredState, isValidationError } from '../service-errors';
import { Claim, decideRemovals } from '../stack-claims';
import type { PackageSetRequest } from './package-set-request';
import type { Plan } from './set-plan';

/**
 * What onEvent and isComplete of a set of packages (DomainPackages) share:
 * its writes, the packages it removes, and how it reads and reports entries.
 */

export function subjectOf(domainName: string, packageIds: readonly string[]): OperationSubject {
  return { domainName, packageIds };
}

/** One AssociatePackages with every request (prerequisites in the same call). */
function startAssociatePackages(domainName: string, requests: readonly AssociationRequest[]): Promise<Start> {
  return startOperation({
    name: 'AssociatePackages',
    subject: subjectOf(domainName, requests.map((request) => request.packageId)),
    call: () => associatePackages(domainName, requests),
    isDone: isAlreadyInDesiredState,
  });
}

/** One DissociatePackages; a ValidationException while none of them is listed means they are gone. */
function startDissociatePackages(domainName: string, packageIds: readonly string[]): Promise<Start> {
  const subject = subjectOf(domainName, packageIds);
  return startOperation({
    name: 'DissociatePackages',
    subject,
    call: () => dissociatePackages(domainName, packageIds),
    isDone: async (error) => isAlreadyGone(error) || (isValidationError(error) && noneListed(await lookUpAll(subject, true), packageIds)),
  });
}

function noneListed(listed: DomainPackageDetails[] | typeof UNAVAILABLE, packageIds: readonly string[]): boolean {
  return listed !== UNAVAILABLE && !listed.some((entry) => packageIds.includes(entry.PackageID ?? ''));
}

/** Sends the write a plan asks for; anything else sends nothing. */
export async function write(domainName: string, plan: Plan): Promise<Start | undefined> {
  switch (plan.kind) {
    case 'associate':
      return startAssociatePackages(domainName, plan.requests);
    case 'dissociate':
      return startDissociatePackages(domainName, plan.packageIds);
    default:
      return undefined;
  }
}

/**
 * The packages a Delete takes off the domain: those its physical id names,
 * unless the stack still holds them or adopted them in the deploy now
 * rolling back. Undefined while CloudFormation cannot be read.
 */
export async function removalsOf(event: OnEventRequest, set: IssuedSetId): Promise<string[] | undefined> {
  const claims: Claim[] = set.packageIds.map((packageId) => ({ domainName: set.domainName, packageId, adopted: set.adoptedIds.includes(packageId) }));
  const decision = await decideRemovals(event, claims);
  return decision.action === 'wait' ? undefined : decision.remove.map((claim) => claim.packageId);
}

/** Each package's entry as listed now (null: not listed). */
export function snapshotsOf(listed: readonly DomainPackageDetails[], packageIds: readonly string[]): Record<string, EntrySnapshot | null> {
  return Object.fromEntries(packageIds.map((id) => [id, snapshotOf(listed.find((entry) => entry.PackageID === id))]));
}

/** `<key>.ReferencePath` and `<key>.PackageVersion` of every package, always strings. */
export function attributesOf(request: PackageSetRequest, entries: readonly DomainPackageDetails[]): Record<string, string> {
  return Object.fromEntries(request.keys.flatMap((key, i) => [
    [`${key}.ReferencePath`, entries[i]?.ReferencePath ?? ''],
    [`${key}.PackageVersion`, entries[i]?.PackageVersion ?? ''],
  ]));
}

/** ASSOCIATION_FAILED or DISSOCIATION_FAILED entries: every package's error, in one failure. */
export function statusFailure(domainName: string, entries: readonly DomainPackageDetails[]): HandlerFailure {
  const status = entries[0]?.DomainPackageStatus ?? 'UnknownStatus';
  const failedIds = entries.map((entry) => entry.PackageID ?? '');
  const cause = status === 'DISSOCIATION_FAILED' ? `${inUseAdvice(domainName, failedIds)}; ` : '';
  const details = entries.map((entry) =>
    `${entry.PackageID} ${entry.DomainPackageStatus}: ${entry.ErrorDetails?.ErrorType ?? 'no error type'}: ${entry.ErrorDetails?.ErrorMessage ?? 'no error message'}`);
  return new HandlerFailure(status, `${cause}${details.join('; ')}`, subjectOf(domainName, failedIds));
}

/** Logs a Delete that leaves the domain alone: its physical id is not one this handler issued. */
export function logSkipped(detail: string): void {
  logCall({ operation: 'DissociatePackages', outcome: 'skipped', detail });
}
