/**
 * `AWS::CloudFormation::WaitConditionHandle` and `AWS::CloudFormation::WaitCondition` as the player
 * plays them (CloudFormation resource reference, and the texts its events show):
 * - a handle is created at once; its physical id is a URL of the CloudFormation emulator's server
 *   (wait-condition-handles.ts), where a PUT signals it. It is never updated (it has no properties);
 * - a condition stays CREATE_IN_PROGRESS until its handle received `Count` (default 1) SUCCESS
 *   signals of distinct UniqueIds; a FAILURE signal fails it, and so does its `Timeout` (seconds,
 *   on the player's scale: timeout-scale.ts) and the failure of another resource of the stack
 *   operation ("Resource creation cancelled"). Its `Data` attribute is the JSON object
 *   `{"<UniqueId>":"<Data>"}` of the signals. Deleting either is instant.
 * Two answers are not documented, so the player plays both (WaitConditionOptions).
 */
import { ResourceFailure } from './cloudformation-response';
import type { CustomResourceRequest } from './custom-resource-events';
import { WAIT_HANDLE_TYPE } from './stack-template';
import { scaledMilliseconds } from './timeout-scale';
import type { WaitConditionHandles, WaitConditionSignal } from '../emulator/wait-condition-handles';

/**
 * What an Update that changes a condition's properties in place does (the library never does it:
 * a new wait gets new logical ids): `noop` keeps the condition as it is; `error` fails the Update.
 */
export type WaitConditionUpdate = 'noop' | 'error';

/** Whether signals the handle received before the condition's Create started count (`counts`) or not (`ignored`). */
export type EarlySignals = 'counts' | 'ignored';

export interface WaitConditionOptions {
  /** Where handles get their URL and signals arrive; without it a handle cannot be created. */
  readonly handles?: WaitConditionHandles;
  readonly stackName: string;
  readonly stackId: string;
  /** Multiplies each condition's Timeout. */
  readonly timeoutScale: number;
  readonly update: WaitConditionUpdate;
  readonly earlySignals: EarlySignals;
}

export interface PlayedOutcome {
  readonly physicalResourceId: string;
  readonly data: Record<string, string>;
}

export const CANCELLED = 'Resource creation cancelled';

export class WaitConditionResources {
  constructor(private readonly options: WaitConditionOptions) {}

  /** One operation on a handle or a condition; `before`: its attributes before an Update. */
  async run(request: CustomResourceRequest, before: Record<string, string> | undefined, cancelled: AbortSignal): Promise<PlayedOutcome> {
    const physicalId = request.PhysicalResourceId;
    if (request.RequestType === 'Delete') {
      return { physicalResourceId: physicalId ?? '', data: {} };
    }
    if (request.ResourceType === WAIT_HANDLE_TYPE) {
      return { physicalResourceId: physicalId ?? this.newHandle(request.LogicalResourceId), data: {} };
    }
    if (request.RequestType === 'Update') {
      if (this.options.update === 'error') {
        throw new ResourceFailure(`WaitCondition ${request.LogicalResourceId} cannot be updated in place (player option waitConditionUpdate 'error'): `
          + `its properties changed from ${JSON.stringify(request.OldResourceProperties)} to ${JSON.stringify(request.ResourceProperties)}`, physicalId ?? '');
      }
      return { physicalResourceId: physicalId ?? '', data: before ?? {} };
    }
    return this.waitForSignals(request, cancelled);
  }

  private newHandle(logicalId: string): string {
    if (!this.options.handles) {
      throw new ResourceFailure(`WaitConditionHandle ${logicalId} needs a URL: give the player the CloudFormation emulator's waitHandles`, '');
    }
    return this.options.handles.create(this.options.stackName, logicalId);
  }

  private waitForSignals(request: CustomResourceRequest, cancelled: AbortSignal): Promise<PlayedOutcome> {
    const physicalResourceId = `${this.options.stackId}/${request.LogicalResourceId}`;
    const fail = (message: string) => new ResourceFailure(message, physicalResourceId);
    const { Handle: url, Timeout: timeout, Count: count = '1' } = request.ResourceProperties;
    const handles = this.options.handles;
    if (typeof url !== 'string' || !handles?.has(url)) {
      return Promise.reject(fail(`invalid Handle ${JSON.stringify(url)}: not the URL of a WaitConditionHandle of this run`));
    }
    const expected = Number(count);
    const seconds = Number(timeout);
    if (!Number.isInteger(expected) || expected < 1) {
      return Promise.reject(fail(`invalid Count ${JSON.stringify(count)}: must be a positive whole number`));
    }
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 43_200) {
      return Promise.reject(fail(`invalid Timeout ${JSON.stringify(timeout)}: must be whole seconds from 1 to 43200`));
    }
    // Those already received, by identity: a timestamp cannot tell a signal of the same millisecond apart.
    const early = new Set(handles.signals(url));
    const counted = (signal: WaitConditionSignal) => this.options.earlySignals === 'counts' || !early.has(signal);
    return new Promise<PlayedOutcome>((resolve, reject) => {
      const successes = () => handles.signals(url).filter((signal) => counted(signal) && signal.status === 'SUCCESS');
      const settle = (outcome: PlayedOutcome | ResourceFailure) => {
        clearTimeout(timer);
        unsubscribe();
        cancelled.removeEventListener('abort', onCancel);
        return outcome instanceof ResourceFailure ? reject(outcome) : resolve(outcome);
      };
      const evaluate = () => {
        const failure = handles.signals(url).find((signal) => counted(signal) && signal.status === 'FAILURE');
        if (failure) {
          return settle(fail(`WaitCondition received failed message: '${failure.reason}' for uniqueId: ${failure.uniqueId}`));
        }
        const received = successes();
        if (received.length >= expected) {
          const data = JSON.stringify(Object.fromEntries(received.map((signal) => [signal.uniqueId, signal.data])));
          settle({ physicalResourceId, data: { Data: data } });
        }
      };
      const onCancel = () => settle(fail(CANCELLED));
      const timer = setTimeout(() => settle(fail(`WaitCondition timed out. Received ${successes().length} conditions when expecting ${expected}`)),
        scaledMilliseconds(seconds, this.options.timeoutScale));
      const unsubscribe = handles.subscribe(url, evaluate);
      cancelled.addEventListener('abort', onCancel);
      if (cancelled.aborted) {
        return onCancel();
      }
      evaluate();
    });
  }
}
