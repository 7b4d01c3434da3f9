import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { HandlerFailure } from '../handler-failure';
import { listStackResources, stackStatus } from '../cloudformation-api';
import type { OnEventRequest } from '../events';
import { logCall } from '../log';
import { IssuedId, parsePhysicalId, samePair } from './physical-id';
import { errorMessage, errorName, isRetryable } from '../service-errors';

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

/** Resource types whose physical ids name a pair the way this handler issues them. */
const PAIR_RESOURCE_TYPE_PREFIX = 'Custom::OpenSearch';

/**
 * Reads the resource's own stack (by its StackId) before a Delete dissociates,
 * and never guesses: an error other than a retryable one fails the Delete.
 */
export async function decideDelete(event: OnEventRequest, id: IssuedId): Promise<DeleteDecision> {
  const stackId = event.StackId;
  if (!stackId) {
    throw new HandlerFailure('InvalidRequest', 'the Delete request names no StackId: cannot tell whether the stack still holds the pair', id);
  }
  try {
    const decision = await readDecision(stackId, event.LogicalResourceId, id);
    if (decision.action === 'keep') {
      logCall({ operation: 'DissociatePackage', domain: id.domainName, package: id.packageId, outcome: 'kept', detail: decision.reason });
    }
    return decision;
  } catch (error) {
    if (isRetryable(error)) {
      return { action: 'wait', reason: `CloudFormation did not answer (${errorName(error)})` };
    }
    throw new HandlerFailure(errorName(error),
      `${errorMessage(error)}; reading stack ${stackId} failed, so the package is not dissociated`, id);
  }
}

async function readDecision(stackId: string, logicalId: string | undefined, id: IssuedId): Promise<DeleteDecision> {
  if (id.adopted) {
    const status = await stackStatus(stackId);
    if (status?.includes('ROLLBACK')) {
      return { action: 'keep', reason: `the association was adopted, and the deploy that adopted it is rolling back (${status})` };
    }
  }
  const holder = (await listStackResources(stackId)).find((resource) => holdsPair(resource, logicalId, id));
  return holder
    ? { action: 'keep', reason: `${holder.LogicalResourceId} (${holder.ResourceStatus}) of the same stack holds the pair` }
    : { action: 'dissociate' };
}

/** Another resource of the stack, not being deleted, whose physical id names the same pair. */
function holdsPair(resource: StackResourceSummary, logicalId: string | undefined, id: IssuedId): boolean {
  return resource.LogicalResourceId !== logicalId
    && (resource.ResourceType ?? '').startsWith(PAIR_RESOURCE_TYPE_PREFIX)
    && !(resource.ResourceStatus ?? '').startsWith('DELETE_')
    && samePair(parsePhysicalId(resource.PhysicalResourceId), id);
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
