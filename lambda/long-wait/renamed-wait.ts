import { LONG_WAIT_PROPERTY } from '../../lib/long-wait-contract';
import type { OnEventRequest } from '../events';
import { HandlerFailure } from '../handler-failure';
import { isUpdateRollback } from '../stack-claims';
import { longWaitOf } from './long-wait-event';

/**
 * A long resource's WaitCondition is named after what it asks for, as far as
 * the template tells at synth time. A value known only at deploy time (a
 * parameter, an import, an SSM reference) can change what it asks while the
 * name stays: the update would then start an operation that no new
 * condition waits for, and the stack would go on before it ends. Such an
 * update fails before it changes anything (not in a rollback, which must
 * restore what was).
 */
export async function checkLongWaitRenamed(event: OnEventRequest): Promise<void> {
  if (event.RequestType !== 'Update') {
    return;
  }
  const ids = longWaitOf(event.ResourceProperties);
  const old = longWaitOf(event.OldResourceProperties);
  if (!ids || !old || ids.Condition !== old.Condition) {
    return;
  }
  const changed = changedProperties(event.ResourceProperties ?? {}, event.OldResourceProperties ?? {});
  if (changed.length === 0 || await isUpdateRollback(event)) {
    return;
  }
  throw new HandlerFailure('InvalidProperty',
    `${LONG_WAIT_PROPERTY}: ${changed.join(', ')} changed at deploy time but the wait condition ${ids.Condition} did not, `
    + 'so nothing would wait for the new operation; give the changed value at synth time (not a parameter, an import or a dynamic reference), '
    + 'or change the timeout to start a new wait');
}

/** The properties whose value differs, ServiceToken aside (a new handler asks for nothing new). */
function changedProperties(properties: Record<string, unknown>, old: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(properties), ...Object.keys(old)]);
  keys.delete('ServiceToken');
  return [...keys].filter((key) => JSON.stringify(properties[key]) !== JSON.stringify(old[key])).sort();
}
