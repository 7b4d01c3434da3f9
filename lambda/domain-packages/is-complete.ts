import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { IsCompleteRequest, IsCompleteResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { busyTimeout, lookUpAll, OperationSubject, UNAVAILABLE } from '../operations';
import { enterOperationOf, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { parseSetId } from '../physical-id';
import { isUpdateRollback } from '../stack-ownership';
import { attributesOf, removalsOf, startDissociatePackages, statusFailure, subjectOf, write } from './package-set';
import { changedPackages, oldPackageIds, PackageSetRequest, packageIdsOf, parsePackageSetRequest } from './package-set-request';
import { Plan, PlanInput, planNext } from './set-plan';

const WAIT: IsCompleteResponse = { IsComplete: false };
const DONE: IsCompleteResponse = { IsComplete: true };

/**
 * Polled until the set is as asked. Each call reads the domain's list once,
 * plans the next step from it (see planNext) and takes at most one write;
 * after the operation's timeout it writes nothing and fails with what it was
 * waiting for.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  enterOperationOf(event);
  const request = event.RequestType === 'Delete' ? undefined : parsePackageSetRequest(event.ResourceProperties);
  const domainName = request?.domainName ?? parseSetId(event.PhysicalResourceId)?.domainName;
  if (domainName === undefined) {
    return DONE; // a Delete of an id this handler did not issue
  }
  const wanted = request ? packageIdsOf(request) : [];
  const removals = event.Removals ?? await removalsOf(event, domainName, wanted);
  const subject = subjectOf(domainName, [...wanted, ...(removals ?? [])]);
  if (removals === undefined) {
    return waitOrTimeOut('CloudFormation to answer (the stack says which packages it still holds)', subject);
  }
  if (!request && removals.length === 0) {
    return DONE; // a Delete that found every package held by the stack, or none claimed
  }
  const listed = await lookUpAll(subject, event.RequestType === 'Delete');
  if (listed === UNAVAILABLE) {
    return waitOrTimeOut('the service to answer', subject);
  }
  const input: PlanInput = {
    wanted: request?.packages ?? [],
    changed: event.RequestType === 'Update' && request ? changedPackages(request, event.OldResourceProperties) : new Set(),
    removals,
    listed,
    before: event.Snapshots ?? {},
    sent: event.Sent,
    alreadyApplied: event.AlreadyApplied,
  };
  return settle(event, request, subject, input, planNext(input));
}

/** Acts on the plan: at most one write; `subject` is the set's domain and every package it names. */
async function settle(event: IsCompleteRequest, request: PackageSetRequest | undefined, subject: OperationSubject, input: PlanInput,
  plan: Plan): Promise<IsCompleteResponse> {
  const { domainName } = subject;
  switch (plan.kind) {
    case 'wait':
      return waitOrTimeOut(plan.waitingFor, subject);
    case 'failed':
      await withdrawFailedAdditions(event, request, input.listed);
      throw statusFailure(domainName, plan.entries);
    case 'done':
      return request ? verified(event, request, plan) : DONE;
    default: {
      if (timedOut()) {
        throw await busyTimeout(subject);
      }
      const start = await write(domainName, plan);
      // "Already in desired state": what the list shows now is the result.
      return start?.outcome === 'done' && plan.kind === 'associate' && !input.alreadyApplied
        ? settle(event, request, subject, { ...input, alreadyApplied: true }, planNext({ ...input, alreadyApplied: true }))
        : WAIT;
    }
  }
}

/**
 * Completes with every package's attributes once each ACTIVE entry shows what
 * was asked. A version other than the one asked is accepted in an update
 * rollback only: versions only move forward.
 */
async function verified(event: IsCompleteRequest, request: PackageSetRequest, plan: Extract<Plan, { kind: 'done' }>): Promise<IsCompleteResponse> {
  const configuration = plan.problems.filter((problem) => problem.kind === 'ConfigurationNotApplied');
  const versions = plan.problems.filter((problem) => problem.kind === 'VersionNotApplied');
  const subject = subjectOf(request.domainName, packageIdsOf(request));
  if (configuration.length > 0) {
    throw new HandlerFailure('ConfigurationNotApplied',
      `${configuration.map((problem) => problem.detail).join('; ')}; dissociate and associate again to change it`, subject);
  }
  if (versions.length > 0 && !await isUpdateRollback(event)) {
    throw new HandlerFailure('VersionNotApplied', versions.map((problem) => problem.detail).join('; '), subject);
  }
  return { IsComplete: true, Data: attributesOf(request, plan.entries) };
}

/**
 * An update failed: CloudFormation keeps the old physical id, so nothing
 * would ever remove what this update added. Withdraw the added packages that
 * were not on the domain before it (best effort: the failure is reported
 * either way); adopted ones and the old set's are never touched.
 */
async function withdrawFailedAdditions(event: IsCompleteRequest, request: PackageSetRequest | undefined, listed: readonly DomainPackageDetails[]): Promise<void> {
  if (event.RequestType !== 'Update' || !request) {
    return;
  }
  const old = oldPackageIds(event.OldResourceProperties, request.domainName);
  const added = packageIdsOf(request).filter((id) => !old.includes(id) && event.Snapshots?.[id] === null
    && listed.some((entry) => entry.PackageID === id));
  if (added.length > 0) {
    await startDissociatePackages(request.domainName, added).catch(() => undefined);
  }
}

function waitOrTimeOut(waitingFor: string, subject: OperationSubject): IsCompleteResponse {
  if (timedOut()) {
    throw timeoutFailure(`still waiting for ${waitingFor} after ${timeoutText()}`, subject);
  }
  return WAIT;
}
