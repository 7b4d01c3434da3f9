import * as crypto from 'node:crypto';
import { LOGICAL_ID_PATTERN, LONG_WAIT_PROPERTY } from '../../lib/long-wait-contract';
import type { IsCompleteRequest, OnEventRequest } from '../events';
import { HandlerFailure } from '../handler-failure';
import { timeoutSecondsOf } from '../operation-timeout';

/**
 * Which requests take the long path, and what of them the waiter keeps.
 * A resource whose `timeout` is above 55 minutes carries `LongWait`, the
 * logical ids of its WaitCondition and handle (never the handle's URL).
 */

/** The WaitCondition pair a long resource's properties name, and the waiter that signals it. */
export interface LongWaitIds {
  readonly Handle: string;
  readonly Condition: string;
  /** The state machine's ARN. */
  readonly Waiter: string;
}

const STATE_MACHINE_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

/** The pair `properties` name, if any; a malformed one fails, naming it. */
export function longWaitOf(properties: Record<string, unknown> | undefined): LongWaitIds | undefined {
  const value = properties?.[LONG_WAIT_PROPERTY];
  if (value === undefined) {
    return undefined;
  }
  const ids = value as Partial<LongWaitIds>;
  if (typeof ids !== 'object' || !isLogicalId(ids.Handle) || !isLogicalId(ids.Condition) || !STATE_MACHINE_ARN.test(String(ids.Waiter))) {
    throw new HandlerFailure('InvalidProperty',
      `${LONG_WAIT_PROPERTY}: ${JSON.stringify(value)} must name a Handle and a Condition by logical id, and the Waiter state machine by ARN`);
  }
  return { Handle: ids.Handle!, Condition: ids.Condition!, Waiter: ids.Waiter! };
}

function isLogicalId(value: unknown): boolean {
  return typeof value === 'string' && LOGICAL_ID_PATTERN.test(value);
}

/**
 * Whether the request runs in the background: its resource is long, or was
 * long before this request (a rollback or an update back to a short timeout
 * may have to wait for a long operation still running on the domain).
 */
export function isLongRequest(event: OnEventRequest): boolean {
  return longWaitOf(event.ResourceProperties) !== undefined || longWaitOf(event.OldResourceProperties) !== undefined;
}

/**
 * The request as the waiter keeps it in its execution: without the
 * framework's fields (the response URL is pre-signed, and execution history
 * keeps inputs for 90 days), and with the longer of the two timeouts, since
 * what runs on the domain may be the other request's operation.
 */
export function waiterRequest(event: IsCompleteRequest): IsCompleteRequest {
  const { ResponseURL: _url, ServiceToken: _token, ...kept } = event as IsCompleteRequest & { ResponseURL?: string; ServiceToken?: string };
  const longest = Math.max(timeoutSecondsOf(event.ResourceProperties), timeoutSecondsOf(event.OldResourceProperties));
  return { ...kept, ResourceProperties: { ...event.ResourceProperties, Timeout: String(longest) } };
}

/**
 * An execution name that is the same for the same input, so a repeated
 * isComplete call starts nothing more (`[0-9A-Za-z_-]`, at most 80).
 */
export function executionName(event: IsCompleteRequest, input: string): string {
  const hash = crypto.createHash('sha256').update(input).digest('hex').slice(0, 24);
  const resource = (event.LogicalResourceId ?? 'resource').replace(/[^0-9A-Za-z_-]/g, '').slice(0, 40);
  return `${event.RequestType}-${resource}-${hash}`;
}
