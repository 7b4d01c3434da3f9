import * as http from 'node:http';
import * as https from 'node:https';
import { listStackResources, stackStatus } from '../cloudformation-api';
import { fitMessage } from '../handler-failure';
import { logCall } from '../log';
import { errorName } from '../service-errors';
import type { LongWaitIds } from './long-wait-event';
import type { Outcome } from './waiter-state';

/**
 * Signals a WaitCondition, only while the stack still waits for it: the
 * stack moves forward (not a rollback, not a newer operation) and the
 * condition is being created. The handle's pre-signed URL is read from the
 * stack (its physical id) at the moment of sending and never kept, logged
 * or returned.
 */

/** What came of an attempt: sent; not wanted any more; or ask again later. */
export type SignalResult = { readonly sent: 'signalled' | 'superseded'; readonly why: string } | { readonly sent: 'retry'; readonly why: string };

/** The stack statuses in which a condition may still be waiting. */
const FORWARD = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS']);

/** A signal's Reason and Data: CloudFormation documents no limit; the custom resource's 4,096-byte response is kept in sight. */
const TEXT_BYTES = 1_000;

const SEND_TIMEOUT_MS = 10_000;

export type SignalledPair = Pick<LongWaitIds, 'Handle' | 'Condition'>;

/** Whether the stack still waits for the condition: yes (with the handle's URL), not created yet, or no longer. */
export type WaitState =
  | { readonly asked: 'yes'; readonly url: string }
  | { readonly asked: 'not yet' | 'no'; readonly why: string };

/**
 * Reads the stack: it must move forward (not a rollback, not a delete) and
 * list the condition as being created (or not yet, just after the resource
 * answered).
 */
export async function waitState(stackId: string, ids: SignalledPair): Promise<WaitState> {
  const status = await stackStatus(stackId);
  if (!FORWARD.has(status ?? '')) {
    return { asked: 'no', why: `the stack is ${status ?? 'not found'}` };
  }
  const resources = await listStackResources(stackId);
  const condition = resources.find((resource) => resource.LogicalResourceId === ids.Condition);
  if (!condition) {
    return { asked: 'not yet', why: `${ids.Condition} is not created yet` };
  }
  if (condition.ResourceStatus !== 'CREATE_IN_PROGRESS') {
    return { asked: 'no', why: `${ids.Condition} is ${condition.ResourceStatus}` };
  }
  const url = resources.find((resource) => resource.LogicalResourceId === ids.Handle)?.PhysicalResourceId;
  return url ? { asked: 'yes', url } : { asked: 'no', why: `the stack lists no URL for ${ids.Handle}` };
}

/** The body CloudFormation documents: `{Status, UniqueId, Data, Reason}`. */
export function signalBody(uniqueId: string, outcome: Outcome): string {
  const text = fitMessage('', outcome.Detail, '', TEXT_BYTES);
  const success = outcome.Status === 'SUCCESS';
  return JSON.stringify({
    Status: outcome.Status,
    UniqueId: uniqueId,
    Data: success ? text : '',
    Reason: success ? 'the operation completed' : text,
  });
}

/**
 * Sends `outcome` to the handle's `url` (read from the stack by waitState): one PUT with an empty
 * Content-Type, as CloudFormation requires; a 403 is a URL that expired.
 */
export async function signal(url: string, uniqueId: string, outcome: Outcome, condition: string): Promise<SignalResult> {
  let code: number;
  try {
    code = await put(url, signalBody(uniqueId, outcome));
  } catch (error) {
    // The error may quote the host, never the path or query (the signature): only its name is logged.
    logCall({ operation: 'SignalWaitCondition', outcome: 'retry', detail: `${condition}: ${errorName(error)}` });
    return { sent: 'retry', why: `sending failed (${errorName(error)})` };
  }
  logCall({ operation: 'SignalWaitCondition', outcome: code < 300 ? 'ok' : 'refused', status: `HTTP ${code}`, detail: condition });
  if (code < 300) {
    return { sent: 'signalled', why: `HTTP ${code}` };
  }
  return code >= 500 || code === 429
    ? { sent: 'retry', why: `HTTP ${code}` }
    : { sent: 'superseded', why: `HTTP ${code}: the handle's URL was refused (expired?); the condition will time out` };
}

function put(url: string, body: string): Promise<number> {
  const target = new URL(url);
  const request = target.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const call = request(target, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      timeout: SEND_TIMEOUT_MS,
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('timeout', () => call.destroy(Object.assign(new Error('no answer'), { name: 'TimeoutError' })));
    call.on('error', reject);
    call.end(body);
  });
}
