/**
 * One structured line per service call and outcome. Only the fields named here
 * are written: never the event (it holds the pre-signed response URL) nor
 * anything from the SDK's configuration.
 */
export interface CallRecord {
  readonly operation: string;
  readonly domain?: string;
  readonly package?: string;
  readonly outcome: string;
  readonly status?: string;
  readonly attempt?: number;
  readonly detail?: string;
}

import { attemptsOf, errorName } from './service-errors';

/** Outcomes that need no attention. */
const QUIET_OUTCOMES = new Set(['ok', 'skipped']);

export function logCall(record: CallRecord): void {
  console.log(JSON.stringify({ level: QUIET_OUTCOMES.has(record.outcome) ? 'info' : 'warn', ...record }));
}

/** What a call is about: the operation and, for the packages API, the pair. */
export type CallContext = Pick<CallRecord, 'operation' | 'domain' | 'package'>;

export interface CallResult<T> {
  readonly result: T;
  readonly status?: string;
  readonly attempt?: number;
}

/** Runs one service call and logs its outcome: ok with its status, or the error's name. */
export async function logged<T>(context: CallContext, call: () => Promise<CallResult<T>>): Promise<T> {
  try {
    const { result, status, attempt } = await call();
    logCall({ ...context, outcome: 'ok', status, attempt });
    return result;
  } catch (error) {
    logFailure(context, error);
    throw error;
  }
}

export function logFailure(context: CallContext, error: unknown): void {
  logCall({ ...context, outcome: errorName(error), attempt: attemptsOf(error) });
}

/**
 * Reads the pages of a paginated call, logging each one (with `status` of
 * what it found) or the error that ended it. `visit` returns true to stop.
 */
export async function loggedPages<P extends { readonly $metadata: { readonly attempts?: number } }>(
  context: CallContext,
  pages: AsyncIterable<P>,
  visit: (page: P) => { readonly stop?: boolean; readonly status?: string },
): Promise<void> {
  let number = 0;
  try {
    for await (const page of pages) {
      const { stop, status } = visit(page);
      logCall({ ...context, outcome: 'ok', status, attempt: page.$metadata.attempts, detail: `page ${++number}` });
      if (stop) {
        return;
      }
    }
  } catch (error) {
    logFailure(context, error);
    throw error;
  }
}
