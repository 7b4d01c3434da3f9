import type { IsCompleteRequest, IsCompleteResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { enterOperationOf, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { busyTimeout, lookUpAll, OperationSubject, UNAVAILABLE } from '../operations';
import { withNewestVersions } from '../package-revision';
import { parseSetId } from '../physical-id';
import { attributesOf, removalsOf, statusFailure, subjectOf, write } from './package-set';
import { changedPackages, PackageSetRequest, packageIdsOf, parsePackageSetRequest } from './package-set-request';
import { Plan, PlanInput, planNext } from './set-plan';

const WAIT: IsCompleteResponse = { IsComplete: false };
const DONE: IsCompleteResponse = { IsComplete: true };

/**
 * Polled until the set is as asked (create, update) or its packages are gone
 * (delete). Each call reads the domain's list once, plans the next step from
 * it (see planNext) and takes at most one write; after the operation's
 * timeout it writes nothing and fails with what it was waiting for. A failure
 * takes nothing back: CloudFormation deletes the physical id the failed
 * operation answered, in the rollback, and that Delete removes what the
 * stack does not claim.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  enterOperationOf(event);
  return event.RequestType === 'Delete'
    ? removalComplete(event)
    : additionComplete(event, await withNewestVersions(parsePackageSetRequest(event.ResourceProperties)));
}

/**
 * A long set handed over to the waiter answers with its packages' entries
 * as the domain lists them now, once it lists every one; a Delete answers
 * at once.
 */
export async function provisional(event: IsCompleteRequest): Promise<IsCompleteResponse | undefined> {
  if (event.RequestType === 'Delete') {
    return DONE;
  }
  const request = await withNewestVersions(parsePackageSetRequest(event.ResourceProperties));
  const listed = await lookUpAll(subjectOf(request.domainName, packageIdsOf(request)), false);
  if (listed === UNAVAILABLE) {
    return undefined;
  }
  const entries = request.packages.map((wanted) => listed.find((entry) => entry.PackageID === wanted.packageId));
  return entries.every((entry) => entry !== undefined) ? { IsComplete: true, Data: attributesOf(request, entries) } : undefined;
}

async function additionComplete(event: IsCompleteRequest, request: PackageSetRequest): Promise<IsCompleteResponse> {
  const subject = subjectOf(request.domainName, packageIdsOf(request));
  const changed = event.RequestType === 'Update' ? changedPackages(request, event.OldResourceProperties) : new Set<string>();
  return reconcile(event, subject, { wanted: request.packages, changed, removals: [], rollback: event.Rollback }, (plan) => verified(request, plan));
}

async function removalComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const set = parseSetId(event.PhysicalResourceId);
  if (!set) {
    return DONE; // a Delete of an id this handler did not issue
  }
  const removals = event.Removals ?? await removalsOf(event, set);
  const subject = subjectOf(set.domainName, removals ?? set.packageIds);
  if (removals === undefined) {
    return waitOrTimeOut('CloudFormation to answer (the stack says which packages it still holds)', subject);
  }
  if (removals.length === 0) {
    return DONE; // every package is held by the stack, or none was left
  }
  return reconcile(event, subject, { wanted: [], changed: new Set(), removals }, () => DONE);
}

type Intent = Pick<PlanInput, 'wanted' | 'changed' | 'removals' | 'rollback'>;

/** Reads the domain's list once and acts on the plan for it: at most one write. */
async function reconcile(event: IsCompleteRequest, subject: OperationSubject, intent: Intent,
  complete: (plan: Extract<Plan, { kind: 'done' }>) => IsCompleteResponse): Promise<IsCompleteResponse> {
  const listed = await lookUpAll(subject, event.RequestType === 'Delete');
  if (listed === UNAVAILABLE) {
    return waitOrTimeOut('the service to answer', subject);
  }
  let input: PlanInput = { ...intent, listed, before: event.Snapshots ?? {}, sent: event.Sent, alreadyApplied: event.AlreadyApplied };
  for (;;) {
    const plan = planNext(input);
    switch (plan.kind) {
      case 'wait':
        return waitOrTimeOut(plan.waitingFor, subject);
      case 'failed':
        throw statusFailure(subject.domainName, plan.entries);
      case 'done':
        return complete(plan);
      default: {
        if (timedOut()) {
          throw await busyTimeout(subject);
        }
        const start = await write(subject.domainName, plan);
        // "Already in desired state" is the service's answer: the list as read is the result.
        if (start?.outcome !== 'done' || plan.kind !== 'associate' || input.alreadyApplied) {
          return WAIT;
        }
        input = { ...input, alreadyApplied: true };
      }
    }
  }
}

/**
 * Completes with every package's attributes once each ACTIVE entry shows what
 * was asked; an entry the service answered for without it fails the
 * operation (in an update rollback the planner accepts a newer version:
 * versions only move forward).
 */
function verified(request: PackageSetRequest, plan: Extract<Plan, { kind: 'done' }>): IsCompleteResponse {
  const subject = subjectOf(request.domainName, packageIdsOf(request));
  const configuration = plan.problems.filter((problem) => problem.kind === 'ConfigurationNotApplied');
  if (configuration.length > 0) {
    throw new HandlerFailure('ConfigurationNotApplied',
      `${configuration.map((problem) => problem.detail).join('; ')}; dissociate and associate again to change it`, subject);
  }
  const versions = plan.problems.filter((problem) => problem.kind === 'VersionNotApplied');
  if (versions.length > 0) {
    throw new HandlerFailure('VersionNotApplied', versions.map((problem) => problem.detail).join('; '), subject);
  }
  return { IsComplete: true, Data: attributesOf(request, plan.entries) };
}

function waitOrTimeOut(waitingFor: string, subject: OperationSubject): IsCompleteResponse {
  if (timedOut()) {
    throw timeoutFailure(`still waiting for ${waitingFor} after ${timeoutText()}`, subject);
  }
  return WAIT;
}
