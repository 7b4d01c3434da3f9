import { WAITER_RESOURCE_TYPE } from '../lib/long-wait-contract';
import * as association from './association/is-complete';
import * as associationStart from './association/on-event';
import * as packageSet from './domain-packages/is-complete';
import * as packageSetStart from './domain-packages/on-event';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from './events';
import { HandlerFailure } from './handler-failure';
import * as waiterResource from './long-wait/waiter-resource';
import * as packageComplete from './package/is-complete';
import * as packageStart from './package/on-event';
import * as lookupStart from './package-lookup/on-event';

/** One resource type's handlers. */
export interface ResourceHandlers {
  onEvent(event: OnEventRequest): Promise<OnEventResponse>;
  isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse>;
  /**
   * For a long request still running: the answer the custom resource gives
   * when it hands the rest over to the waiter (attributes as the domain
   * shows them now), or undefined while the domain does not show the
   * operation yet.
   */
  provisional(event: IsCompleteRequest): Promise<IsCompleteResponse | undefined>;
}

const DONE: IsCompleteResponse = { IsComplete: true };

/**
 * The stack-wide provider serves every resource type: each event goes to the
 * module of its `ResourceType`, never chosen by the shape of a physical id (a
 * lookup's id is a G-id, and a Delete routed to the package module would call
 * DeletePackage on an AWS plugin).
 */
const HANDLERS: Record<string, ResourceHandlers> = {
  'Custom::OpenSearchPackageAssociation': { onEvent: associationStart.onEvent, isComplete: association.isComplete, provisional: association.provisional },
  'Custom::OpenSearchDomainPackages': { onEvent: packageSetStart.onEvent, isComplete: packageSet.isComplete, provisional: packageSet.provisional },
  'Custom::OpenSearchPackage': { onEvent: packageStart.onEvent, isComplete: packageComplete.isComplete, provisional: packageComplete.provisional },
  // onEvent finds the plugin or fails: nothing to wait for.
  'Custom::OpenSearchPackageLookup': { onEvent: lookupStart.onEvent, isComplete: async () => DONE, provisional: async () => DONE },
  // The long waiter's own resource: its Delete starts the waiter's clean-up.
  [WAITER_RESOURCE_TYPE]: { onEvent: waiterResource.onEvent, isComplete: waiterResource.isComplete, provisional: async () => DONE },
};

export function handlersFor(event: OnEventRequest): ResourceHandlers {
  const handlers = HANDLERS[event.ResourceType ?? 'Custom::OpenSearchPackageAssociation'];
  if (!handlers) {
    throw new HandlerFailure('InvalidRequest', `unknown ResourceType ${JSON.stringify(event.ResourceType)}`);
  }
  return handlers;
}
