/**
 * The long path through the provider framework (lambda/long-wait/hand-over.ts), over HTTP against the
 * emulators, Step Functions included: a long request's isComplete starts one waiter execution once
 * the domain shows the operation, and the custom resource completes at once with the attributes of
 * that moment. The execution's input is the request without the framework's response URL.
 */
import {
  createEvent, deleteEvent, DOMAIN, Harness, LICENSE, PLUGIN, play, properties, RESPONSE_URL, silenceAndCloseEachTest, startHarness,
  updateEvent,
} from './handler-harness';
import { StepFunctionsApiEmulator } from '../../emulator/step-functions-api-emulator';
import type { WaiterState } from '../../lambda/long-wait/waiter-state';

const WAITER = 'arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-1';
const LONG_WAIT = { Handle: 'AssociationWaitHandle1a2b3c4d', Condition: 'AssociationWait1a2b3c4d', Waiter: WAITER };

let harness: Harness | undefined;
let stepFunctions: StepFunctionsApiEmulator | undefined;
/** The inputs of the executions started, as the waiter receives them. */
let started: WaiterState[] = [];
silenceAndCloseEachTest(() => harness);
afterEach(async () => {
  await stepFunctions?.close();
  delete process.env.AWS_ENDPOINT_URL_SFN;
});

beforeEach(async () => {
  harness = await startHarness({ associationMs: 3 * 3600_000 });
  harness.setStack({ status: 'CREATE_IN_PROGRESS', resources: [] });
  stepFunctions = await StepFunctionsApiEmulator.start();
  started = [];
  // Records each execution and leaves it running: the waiter's steps are tested in long-wait-step.test.ts.
  stepFunctions.executions.register(WAITER, async (input) => {
    started.push(input as WaiterState);
    return new Promise(() => undefined);
  });
  process.env.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;
});

const long = (packageId: string, extra: Record<string, unknown> = {}) => properties(packageId, { Timeout: '10800', LongWait: LONG_WAIT, ...extra });

test('a long create completes at once with the entry as listed, and hands the rest to one execution', async () => {
  const outcome = await play(harness!, createEvent(long(PLUGIN.id)));

  expect(outcome.polls).toBe(1);
  expect(outcome.complete).toMatchObject({ IsComplete: true, Data: { DomainPackageStatus: 'ASSOCIATING', PackageName: PLUGIN.name } });
  expect(harness!.emulator.associations(DOMAIN).map((entry) => entry.status)).toEqual(['ASSOCIATING']);
  expect(stepFunctions!.executions.all()).toHaveLength(1);
  await Promise.resolve();
  expect(started).toHaveLength(1);
  expect(started[0].Signal).toEqual({ Handle: LONG_WAIT.Handle, Condition: LONG_WAIT.Condition });
  expect(started[0].Request).toMatchObject({ RequestType: 'Create', StartedAt: outcome.started.StartedAt, PhysicalResourceId: outcome.physicalId });
  expect(JSON.stringify(started[0])).not.toContain(RESPONSE_URL);
  expect(started[0].Request).not.toHaveProperty('ResponseURL');
  expect(started[0].Request).not.toHaveProperty('ServiceToken');
});

test('isComplete asked again with the same request starts nothing more (the execution name hashes the input)', async () => {
  const outcome = await play(harness!, createEvent(long(PLUGIN.id)));
  const { isComplete } = await import('../../lambda');
  const again = await isComplete({ ...createEvent(long(PLUGIN.id)), ...outcome.started } as never);
  expect(again).toMatchObject({ IsComplete: true });
  expect(stepFunctions!.executions.all()).toHaveLength(1);
});

test('a long update that finds the domain as asked completes and still starts one execution, to signal its new condition', async () => {
  harness!.emulator.seedAssociation(DOMAIN, PLUGIN.id);
  const physicalId = `${DOMAIN}/${PLUGIN.id}`;
  const renamed = { ...LONG_WAIT, Condition: 'AssociationWait99999999', Handle: 'AssociationWaitHandle99999999' };
  const outcome = await play(harness!, updateEvent(physicalId, properties(PLUGIN.id, { Timeout: '10800', LongWait: renamed }), long(PLUGIN.id)));

  expect(outcome.complete.IsComplete).toBe(true);
  expect(harness!.emulator.count('AssociatePackage')).toBe(0);
  const [execution] = stepFunctions!.executions.all();
  const input = JSON.parse(execution.input) as WaiterState;
  expect(input.Outcome?.Status).toBe('SUCCESS');
  expect(input.Signal?.Condition).toBe('AssociationWait99999999');
});

test('a short request takes the short path: isComplete keeps answering not complete, no execution', async () => {
  const { isComplete, onEvent } = await import('../../lambda');
  const event = createEvent(properties(LICENSE.id, { Timeout: '3000' }));
  const answer = await isComplete({ ...event, ...await onEvent(event) } as never);
  expect(answer).toEqual({ IsComplete: false });
  expect(stepFunctions!.executions.all()).toHaveLength(0);
});

test('a long delete on a busy domain answers at once; the execution, which signals nothing, finishes the withdrawal', async () => {
  await play(harness!, createEvent(long(PLUGIN.id)));
  harness!.setStack({ status: 'DELETE_IN_PROGRESS', resources: [] });
  const outcome = await play(harness!, deleteEvent(`${DOMAIN}/${PLUGIN.id}`, long(PLUGIN.id)));

  expect(outcome.polls).toBe(1);
  const executions = stepFunctions!.executions.all();
  expect(executions).toHaveLength(2);
  const input = JSON.parse(executions[1].input) as WaiterState;
  expect(input.Signal).toBeUndefined();
  expect(input.Request).toMatchObject({ RequestType: 'Delete' });
  // The domain still runs the association: the dissociation waits in the execution.
  expect(harness!.emulator.associations(DOMAIN).map((entry) => entry.status)).toEqual(['ASSOCIATING']);
});

test('an update back to a short timeout (a rollback) is handed over too, with the longer timeout', async () => {
  await play(harness!, createEvent(long(PLUGIN.id)));
  harness!.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS', resources: [] });
  await play(harness!, updateEvent(`${DOMAIN}/${PLUGIN.id}`, properties(PLUGIN.id, { Timeout: '600' }), long(PLUGIN.id)));

  const executions = stepFunctions!.executions.all();
  expect(executions).toHaveLength(2);
  const input = JSON.parse(executions[1].input) as WaiterState;
  expect(input.Signal).toBeUndefined();
  expect(input.Request?.ResourceProperties?.Timeout).toBe('10800');
});

test('Step Functions refusing the execution fails the resource with its error, naming nothing secret', async () => {
  const unknown = { ...LONG_WAIT, Waiter: 'arn:aws:states:us-east-1:123456789012:stateMachine:Missing' };
  const error = await play(harness!, createEvent(properties(PLUGIN.id, { Timeout: '10800', LongWait: unknown }))).catch((e: Error) => e);
  expect((error as Error).message).toMatch(/StateMachineDoesNotExist|State Machine Does Not Exist/);
});

describe('a long OpenSearchPackage', () => {
  const BUCKET = 'cdk-assets-bucket';
  const packageProps = () => ({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    PackageName: 'example-synonyms-1a2b3c4d',
    PackageType: 'TXT-DICTIONARY',
    PackageSource: { S3BucketName: BUCKET, S3Key: 'synonyms.txt' },
    Timeout: '7200',
    LongWait: LONG_WAIT,
  });

  test('answers once the package exists, with its details as described then; the waiter waits for AVAILABLE', async () => {
    await harness!.close();
    harness = await startHarness({ s3Objects: [{ bucket: BUCKET, key: 'synonyms.txt' }], copyMs: 5_000, validationMs: 3_600_000 });
    harness.setStack({ status: 'CREATE_IN_PROGRESS', resources: [] });
    const outcome = await play(harness, createEvent(packageProps(), 'Custom::OpenSearchPackage'));

    expect(outcome.polls).toBe(1);
    expect(outcome.complete).toMatchObject({ IsComplete: true, Data: { PackageID: outcome.physicalId, PackageName: 'example-synonyms-1a2b3c4d' } });
    expect(harness.emulator.packages().find((p) => p.name === 'example-synonyms-1a2b3c4d')?.status).toBe('COPYING');
    expect(stepFunctions!.executions.all()).toHaveLength(1);
  });
});
