/**
 * The long waiter's step (lambda/long-wait/waiter-step.ts) over HTTP against the emulators: it asks
 * isComplete as the framework would until the operation ends, then PUTs one signal to the handle's
 * URL, which it reads from the stack at that moment, only while the stack waits for the condition.
 */
import {
  captureLogs, createEvent, DOMAIN, Harness, LOGICAL_ID, PLUGIN, properties, RESPONSE_URL, silenceAndCloseEachTest, startHarness,
} from './handler-harness';
import { LocalServer, readBody } from '../../emulator/local-server';
import { onEvent, waiterStep } from '../../lambda';
import type { IsCompleteRequest, OnEventRequest } from '../../lambda/events';
import { signalBody } from '../../lambda/long-wait/signal';
import type { WaiterState } from '../../lambda/long-wait/waiter-state';
import { POLL_SECONDS, SIGNAL_RETRY_SECONDS } from '../../lib/long-wait-contract';

const LONG_WAIT = {
  Handle: 'AssociationWaitHandle1a2b3c4d', Condition: 'AssociationWait1a2b3c4d', Waiter: 'arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-1',
};
const SIGNAL = { Handle: LONG_WAIT.Handle, Condition: LONG_WAIT.Condition };
const SIGNATURE = 'X-Amz-Signature=HANDLE-SIGNATURE-NOT-TO-LOG';

interface Signal {
  readonly contentType: string | undefined;
  readonly body: Record<string, string>;
}

/** The handle's URL: records each PUT as CloudFormation's bucket would take it. */
class HandleEndpoint {
  public static async start(): Promise<HandleEndpoint> {
    const endpoint = new HandleEndpoint();
    await endpoint.server.listen(0);
    return endpoint;
  }

  public readonly signals: Signal[] = [];
  private readonly server = new LocalServer(async (req, res) => {
    const body = await readBody(req);
    this.signals.push({ contentType: req.headers['content-type'], body: JSON.parse(body) });
    res.writeHead(req.method === 'PUT' ? 200 : 405).end();
  });

  public get url(): string {
    return `${this.server.endpoint}/waitcondition/handle?${SIGNATURE}`;
  }

  public close(): Promise<void> {
    return this.server.close();
  }
}

let harness: Harness | undefined;
let handle: HandleEndpoint | undefined;
silenceAndCloseEachTest(() => harness);
afterEach(async () => handle?.close());

const longProperties = () => properties(PLUGIN.id, { Timeout: '10800', LongWait: LONG_WAIT });

/** The stack as CloudFormation lists it while the condition waits (or is in `conditionStatus`). */
function listStack(status: string, conditionStatus: string | undefined): void {
  harness!.setStack({
    status,
    resources: [
      { logicalId: LOGICAL_ID, type: 'Custom::OpenSearchPackageAssociation', physicalId: 'search-one|pkg-a1', status: 'CREATE_COMPLETE' },
      { logicalId: LONG_WAIT.Handle, type: 'AWS::CloudFormation::WaitConditionHandle', physicalId: handle!.url, status: 'CREATE_COMPLETE' },
      ...conditionStatus ? [{ logicalId: LONG_WAIT.Condition, type: 'AWS::CloudFormation::WaitCondition', physicalId: 'x', status: conditionStatus }] : [],
    ],
  });
}

/** onEvent's answer merged into the request, as the framework hands it to isComplete. */
async function started(event: OnEventRequest): Promise<IsCompleteRequest> {
  const answer = await onEvent(event);
  return { ...event, ...answer } as IsCompleteRequest;
}

/** Steps as the workflow would, the harness's time passing with each Wait, until the step says done. */
async function runWaiter(state: WaiterState, maxSteps = 200): Promise<{ final: WaiterState; steps: number }> {
  let current = state;
  for (let steps = 1; steps <= maxSteps; steps++) {
    current = await waiterStep(current);
    if (current.Next === 'done') {
      return { final: current, steps };
    }
    harness!.advance((current.WaitSeconds ?? 0) * 1000);
  }
  throw new Error(`the waiter did not end in ${maxSteps} steps`);
}

beforeEach(async () => {
  harness = await startHarness({ associationMs: 3 * 3600_000 - 60_000 });
  handle = await HandleEndpoint.start();
});

test('a three-hour association: polls every 30 seconds, then one SUCCESS signal with an empty Content-Type and the attributes', async () => {
  listStack('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const request = await started(createEvent(longProperties()));
  const { final, steps } = await runWaiter({ Request: request, Signal: SIGNAL }, 1000);

  expect(final.Ended).toBe('signalled');
  expect(steps).toBeGreaterThanOrEqual((3 * 3600 - 60) / POLL_SECONDS);
  expect(handle!.signals).toHaveLength(1);
  const [signal] = handle!.signals;
  expect(signal.contentType ?? '').toBe('');
  expect(signal.body).toMatchObject({ Status: 'SUCCESS', UniqueId: LOGICAL_ID });
  expect(JSON.parse(signal.body.Data)).toMatchObject({ PackageVersion: expect.any(String), DomainPackageStatus: 'ACTIVE' });
  expect(harness!.emulator.associations(DOMAIN).map((entry) => entry.status)).toEqual(['ACTIVE']);
});

test('a failed association: one FAILURE signal whose Reason is the handler\'s failure', async () => {
  harness!.emulator.failNextAssociation(DOMAIN, PLUGIN.id, 'PluginError', 'the plugin did not load');
  listStack('UPDATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const request = await started(createEvent(longProperties()));
  const { final } = await runWaiter({ Request: request, Signal: SIGNAL }, 1000);

  expect(final.Outcome?.Status).toBe('FAILURE');
  expect(handle!.signals.map((signal) => signal.body.Status)).toEqual(['FAILURE']);
  expect(handle!.signals[0].body.Reason).toMatch(/^ASSOCIATION_FAILED: PluginError: the plugin did not load/);
});

test('a condition CloudFormation has not created yet is signalled once it exists', async () => {
  listStack('CREATE_IN_PROGRESS', undefined);
  const first = await waiterStep({ Request: await started(createEvent(longProperties())), Signal: SIGNAL, Outcome: { Status: 'SUCCESS', Detail: '{}' } });
  expect(first).toMatchObject({ Next: 'wait', WaitSeconds: SIGNAL_RETRY_SECONDS, SignalAttempts: 1 });
  expect(handle!.signals).toHaveLength(0);

  listStack('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const second = await waiterStep(first);
  expect(second).toMatchObject({ Next: 'done', Ended: 'signalled' });
  expect(handle!.signals).toHaveLength(1);
});

test.each([
  ['the stack rolls back', 'UPDATE_ROLLBACK_IN_PROGRESS', 'CREATE_IN_PROGRESS'],
  ['the condition failed or timed out', 'UPDATE_IN_PROGRESS', 'CREATE_FAILED'],
  ['the condition is complete (an older wait)', 'UPDATE_IN_PROGRESS', 'CREATE_COMPLETE'],
])('no signal when %s: the wait is not asked for any more', async (_case, stackStatus, conditionStatus) => {
  listStack(stackStatus, conditionStatus);
  const state = await waiterStep({ Request: await started(createEvent(longProperties())), Signal: SIGNAL, Outcome: { Status: 'SUCCESS', Detail: '{}' } });
  expect(state.Next).toBe('done');
  expect(state.Ended).not.toBe('signalled');
  expect(handle!.signals).toHaveLength(0);
});

test('neither the handle\'s URL nor the response URL reaches a log line or the state', async () => {
  const logs = captureLogs();
  listStack('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const { final } = await runWaiter({ Request: await started(createEvent(longProperties())), Signal: SIGNAL }, 1000);
  expect(final.Ended).toBe('signalled');
  const everything = JSON.stringify(logs) + JSON.stringify(final);
  expect(everything).not.toContain('HANDLE-SIGNATURE');
  expect(everything).not.toContain(handle!.url);
  expect(JSON.stringify(logs)).not.toContain(RESPONSE_URL);
});

test('a long reason is cut in its middle to 1,000 bytes; the status and the unique id are kept', () => {
  const body = JSON.parse(signalBody('Resource', { Status: 'FAILURE', Detail: `Timeout: ${'ü'.repeat(3000)} end` }));
  expect(Buffer.byteLength(JSON.stringify(body.Reason))).toBeLessThanOrEqual(1002);
  expect(body).toMatchObject({ Status: 'FAILURE', UniqueId: 'Resource' });
  expect(body.Reason).toMatch(/^Timeout: ü+ \[\.\.\. \d+ characters cut/);
  expect(body.Reason.endsWith(' end')).toBe(true);
});

test('an association still running when its timeout ends: a FAILURE signal naming what it waited for', async () => {
  listStack('UPDATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const request = await started(createEvent(properties(PLUGIN.id, { Timeout: '7200', LongWait: LONG_WAIT })));
  const { final } = await runWaiter({ Request: request, Signal: SIGNAL }, 1000);
  expect(final.Outcome?.Status).toBe('FAILURE');
  expect(handle!.signals[0].body.Reason).toMatch(/^Timeout: ASSOCIATING for 120 minutes/);
});

test('a forward execution stops at its next step once the stack no longer waits for it, before it reads or writes the domain', async () => {
  listStack('CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS');
  const request = await started(createEvent(longProperties()));
  const running = await waiterStep({ Request: request, Signal: SIGNAL });
  expect(running).toMatchObject({ Next: 'wait', Polls: 1 });

  listStack('ROLLBACK_IN_PROGRESS', 'CREATE_FAILED');
  const reads = harness!.emulator.count('ListPackagesForDomain');
  const stopped = await waiterStep(running);
  expect(stopped).toMatchObject({ Next: 'done', Ended: 'the stack is ROLLBACK_IN_PROGRESS' });
  expect(harness!.emulator.count('ListPackagesForDomain')).toBe(reads);
  expect(handle!.signals).toHaveLength(0);
});

test('a condition the stack still does not list after 20 polls is taken as gone (a later deploy): the execution stops', async () => {
  listStack('UPDATE_IN_PROGRESS', undefined);
  const request = await started(createEvent(longProperties()));
  expect(await waiterStep({ Request: request, Signal: SIGNAL, Polls: 19 })).toMatchObject({ Next: 'wait', Polls: 20 });
  expect(await waiterStep({ Request: request, Signal: SIGNAL, Polls: 20 })).toMatchObject({
    Next: 'done', Ended: `${LONG_WAIT.Condition} is not created yet after 20 polls`,
  });
});
