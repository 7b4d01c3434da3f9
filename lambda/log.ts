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

/** Outcomes that need no attention. */
const QUIET_OUTCOMES = new Set(['ok', 'skipped']);

export function logCall(record: CallRecord): void {
  console.log(JSON.stringify({ level: QUIET_OUTCOMES.has(record.outcome) ? 'info' : 'warn', ...record }));
}
