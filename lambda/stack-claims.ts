import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { listStackResources, stackStatus } from './cloudformation-api';
import type { OnEventRequest } from './events';
import { FailureSubject, HandlerFailure, subjectOfPairs } from './handler-failure';
import { logCall } from './log';
import type { PackagePair } from './package-pair';
import { IssuedId, pairsNamedBy, samePair } from './physical-id';
import { errorMessage, errorName, isRetryable } from './service-errors';

/**
 * What the handler's own stack still claims: the one place that decides
 * whether anything may be removed. CloudFormation removes a resource only in
 * a cleanup phase (after every update of the deploy succeeded) or in a
 * rollback, so the stack's other resources, read at that moment, say what is
 * still wanted. Associations, sets and packages ask it before they remove
 * anything, and before they record an adoption. The stack is always read by
 * its id (a stack being deleted or rolled back is found by its id only), and
 * never guessed: an error other than a retryable one fails the operation.
 */

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
const OWN_RESOURCE_TYPE_PREFIX = 'Custom::OpenSearch';

/** decideRemovals for one association. */
export async function decideDelete(event: OnEventRequest, id: IssuedId): Promise<DeleteDecision> {
  const decision = await decideRemovals(event, [id]);
  if (decision.action === 'wait') {
    return decision;
  }
  return decision.remove.length > 0 ? { action: 'dissociate' } : { action: 'keep', reason: decision.kept[0] };
}

/**
 * Which of `claims` (the pairs a resource's physical id names) its Delete may
 * dissociate: those no other resource of the stack holds, except adopted
 * ones while the stack rolls back (the deploy that adopted them failed, so
 * they were never the stack's).
 */
export async function decideRemovals(event: OnEventRequest, claims: readonly Claim[]): Promise<RemovalDecision> {
  const subject = subjectOfPairs(claims);
  const read = await readStack(event, subject, claims.length === 1 ? 'the package is not dissociated' : 'no package is dissociated');
  if (read.action === 'wait') {
    return read;
  }
  const kept = new Map<Claim, string>();
  const rollback = claims.some((claim) => claim.adopted) ? await stackStatusOf(event) : undefined;
  for (const claim of claims) {
    const holder = read.resources.find((resource) => pairsNamedBy(resource.PhysicalResourceId).some((pair) => samePair(pair, claim)));
    if (holder) {
      kept.set(claim, `${holder.LogicalResourceId} (${holder.ResourceStatus}) of the same stack holds the pair`);
    } else if (claim.adopted && rollback?.includes('ROLLBACK')) {
      kept.set(claim, `the association was adopted, and the deploy that adopted it is rolling back (${rollback})`);
    }
  }
  kept.forEach((reason, claim) => logCall({ operation: 'DissociatePackage', domain: claim.domainName, package: claim.packageId, outcome: 'kept', detail: reason }));
  return { action: 'decided', remove: claims.filter((claim) => !kept.has(claim)), kept: [...kept.values()] };
}

type StackRead = { readonly action: 'wait'; readonly reason: string } | { readonly action: 'read'; readonly resources: StackResourceSummary[] };

/** The stack's other resources of this handler's types that are not being deleted. */
async function readStack(event: OnEventRequest, subject: FailureSubject, consequence: string): Promise<StackRead> {
  const stackId = event.StackId;
  if (!stackId) {
    throw new HandlerFailure('InvalidRequest', `the ${event.RequestType} request names no StackId: cannot tell whether the stack still holds the packages`, subject);
  }
  try {
    const resources = await listStackResources(stackId);
    return { action: 'read', resources: resources.filter((resource) => isOtherHolder(resource, event)) };
  } catch (error) {
    if (isRetryable(error)) {
      return { action: 'wait', reason: `CloudFormation did not answer (${errorName(error)})` };
    }
    throw new HandlerFailure(errorName(error), `${errorMessage(error)}; reading stack ${stackId} failed, so ${consequence}`, subject);
  }
}

/**
 * A resource of this handler that is not being deleted and is not the one
 * whose request runs. The same logical id under another physical id (an
 * update that replaced it, now cleaning up, or the id a rollback restored)
 * still wants what that id names.
 */
function isOtherHolder(resource: StackResourceSummary, event: OnEventRequest): boolean {
  const self = resource.LogicalResourceId === event.LogicalResourceId && resource.PhysicalResourceId === event.PhysicalResourceId;
  return !self
    && (resource.ResourceType ?? '').startsWith(OWN_RESOURCE_TYPE_PREFIX)
    && !(resource.ResourceStatus ?? '').startsWith('DELETE_');
}

/** The stack's status; a stack that cannot be read gives undefined (taken as not rolling back). */
async function stackStatusOf(event: OnEventRequest): Promise<string | undefined> {
  return event.StackId ? stackStatus(event.StackId).catch(() => undefined) : undefined;
}

/**
 * Whether an operation that found its pair already associated may record the
 * adoption. Not in a rollback: that Update brings back what the stack had
 * before (CloudFormation never deletes what it restores), and the deploy that
 * could have adopted it failed.
 */
export async function mayRecordAdoption(event: OnEventRequest): Promise<boolean> {
  return event.RequestType !== 'Update' || !await isUpdateRollback(event);
}

/** Whether the stack is rolling an update back (a stack that cannot be read is taken as not). */
export async function isUpdateRollback(event: OnEventRequest): Promise<boolean> {
  return (await stackStatusOf(event))?.includes('UPDATE_ROLLBACK') ?? false;
}
