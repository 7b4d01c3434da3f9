import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { FailureSubject, HandlerFailure } from './handler-failure';
import { listStackResources, stackStatus } from './cloudformation-api';
import type { OnEventRequest } from './events';
import { logCall } from './log';
import type { PackagePair } from './package-pair';
import { IssuedId, pairsNamedBy, samePair } from './physical-id';
import { errorMessage, errorName, isRetryable } from './service-errors';

/**
 * Whether a Delete may dissociate its pair:
 * - `keep`: the stack still wants the pair (another of its resources holds it,
 *   e.g. after a rename), or the pair was adopted by the deploy now rolling back;
 * - `wait`: CloudFormation could not be read this time: ask again later;
 * - `dissociate`: the stack no longer wants it.
 */
export type DeleteDecision =
  | { readonly action: 'dissociate' }
  | { readonly action: 'keep' | 'wait'; readonly reason: string };

/** A pair a physical id names, and whether the operation that named it adopted it. */
export interface Claim extends PackagePair {
  readonly adopted: boolean;
}

/** Which of a resource's pairs its Delete may dissociate, and why the others stay. */
export type RemovalDecision =
  | { readonly action: 'wait'; readonly reason: string }
  | { readonly action: 'decided'; readonly remove: readonly Claim[]; readonly kept: readonly string[] };

/** Resource types whose physical ids name pairs the way this handler issues them. */
const PAIR_RESOURCE_TYPE_PREFIX = 'Custom::OpenSearch';

/** decideRemovals for one association. */
export async function decideDelete(event: OnEventRequest, id: IssuedId): Promise<DeleteDecision> {
  const decision = await decideRemovals(event, [id]);
  if (decision.action === 'wait') {
    return decision;
  }
  return decision.remove.length > 0 ? { action: 'dissociate' } : { action: 'keep', reason: decision.kept[0] };
}

/**
 * Reads the resource's own stack (by its StackId) before a Delete dissociates
 * any of `claims`, and never guesses: an error other than a retryable one
 * fails the Delete.
 */
export async function decideRemovals(event: OnEventRequest, claims: readonly Claim[]): Promise<RemovalDecision> {
  const stackId = event.StackId;
  const subject = subjectOf(claims);
  if (!stackId) {
    throw new HandlerFailure('InvalidRequest', 'the Delete request names no StackId: cannot tell whether the stack still holds the packages', subject);
  }
  try {
    const kept = await readKept(stackId, event, claims);
    kept.forEach((reason, claim) => logCall({ operation: 'DissociatePackage', domain: claim.domainName, package: claim.packageId, outcome: 'kept', detail: reason }));
    return { action: 'decided', remove: claims.filter((claim) => !kept.has(claim)), kept: [...kept.values()] };
  } catch (error) {
    if (isRetryable(error)) {
      return { action: 'wait', reason: `CloudFormation did not answer (${errorName(error)})` };
    }
    throw new HandlerFailure(errorName(error),
      `${errorMessage(error)}; reading stack ${stackId} failed, so ${claims.length === 1 ? 'the package is not' : 'no package is'} dissociated`, subject);
  }
}

/** The claims the stack still wants, with the reason for each. */
async function readKept(stackId: string, event: OnEventRequest, claims: readonly Claim[]): Promise<Map<Claim, string>> {
  const kept = new Map<Claim, string>();
  if (claims.some((claim) => claim.adopted)) {
    const status = await stackStatus(stackId);
    if (status?.includes('ROLLBACK')) {
      claims.filter((claim) => claim.adopted)
        .forEach((claim) => kept.set(claim, `the association was adopted, and the deploy that adopted it is rolling back (${status})`));
    }
  }
  const holders = (await listStackResources(stackId)).filter((resource) => isOtherHolder(resource, event));
  for (const claim of claims.filter((c) => !kept.has(c))) {
    const holder = holders.find((resource) => pairsNamedBy(resource.PhysicalResourceId).some((pair) => samePair(pair, claim)));
    if (holder) {
      kept.set(claim, `${holder.LogicalResourceId} (${holder.ResourceStatus}) of the same stack holds the pair`);
    }
  }
  return kept;
}

/**
 * A resource of this handler that is not being deleted and is not the one
 * whose Delete runs. The same logical id under another physical id (an update
 * that replaced it, now cleaning up) still wants what that id names.
 */
function isOtherHolder(resource: StackResourceSummary, event: OnEventRequest): boolean {
  const self = resource.LogicalResourceId === event.LogicalResourceId && resource.PhysicalResourceId === event.PhysicalResourceId;
  return !self
    && (resource.ResourceType ?? '').startsWith(PAIR_RESOURCE_TYPE_PREFIX)
    && !(resource.ResourceStatus ?? '').startsWith('DELETE_');
}

function subjectOf(claims: readonly Claim[]): FailureSubject {
  return claims.length === 1 ? claims[0] : { domainName: claims[0]?.domainName, packageIds: claims.map((claim) => claim.packageId) };
}

/**
 * Whether an operation that found its pair already associated may record the
 * adoption. Not in an update rollback: that Update brings back a pair the
 * stack had before, under the physical id it had (CloudFormation never deletes
 * a pair it restores). A stack that cannot be read is taken as not rolling back.
 */
export async function mayRecordAdoption(event: OnEventRequest): Promise<boolean> {
  if (event.RequestType !== 'Update' || !event.StackId) {
    return true;
  }
  const status = await stackStatus(event.StackId).catch(() => undefined);
  return !status?.includes('ROLLBACK');
}

/** Whether the stack is rolling an update back (a stack that cannot be read is taken as not). */
export async function isUpdateRollback(event: OnEventRequest): Promise<boolean> {
  if (!event.StackId) {
    return false;
  }
  const status = await stackStatus(event.StackId).catch(() => undefined);
  return status?.includes('UPDATE_ROLLBACK') ?? false;
}
