/**
 * The Step Functions emulator and the player's state machines: StartExecution's name rules over
 * HTTP with the real SDK, the long waiter synthesized by lib/ run with a stand-in step until it
 * signals its WaitCondition, the ASL subset, and executions terminated with their state machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { synthesizeLongStack } from './assemblies';
import { StandInState, waiterStep } from './stand-in-waiter-step';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { StepFunctionsApiEmulator } from '../../emulator/step-functions-api-emulator';
import { ExecutionControl } from '../../emulator/step-functions-executions';
import { runDefinition } from '../../local/asl-interpreter';
import { CloudFormationPlayer, CustomResourceHandlers, ProgressEvent, StackFunction } from '../../local/cloudformation-player';
import { withLambdaEnvironment } from '../../local/lambda-environment';
import { stateMachineRunner } from '../../local/state-machine-runner';

let stepFunctions: StepFunctionsApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let client: SFNClient;
let workDir: string;
const players: CloudFormationPlayer[] = [];

beforeEach(async () => {
  players.length = 0;
  stepFunctions = await StepFunctionsApiEmulator.start();
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => players.map((player) => player.stackView()) });
  client = new SFNClient({ endpoint: stepFunctions.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-functions-'));
});

afterEach(async () => {
  client.destroy();
  await Promise.all([stepFunctions.close(), cloudFormation.close()]);
  fs.rmSync(workDir, { recursive: true, force: true });
});

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Gate';

/** A state machine whose executions end when `open()` is called, with their input as output. */
function gatedMachine(): () => void {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  stepFunctions.executions.register(ARN, async (input) => {
    await gate;
    return input;
  });
  return open;
}

async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

describe('StartExecution over HTTP (real @aws-sdk/client-sfn)', () => {
  test('a name is idempotent with the same input while running; another input, or a closed execution, is ExecutionAlreadyExists', async () => {
    const open = gatedMachine();
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":1}' }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":1}' }));
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Gate:Long-Create');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(stepFunctions.executions.all()).toHaveLength(1);

    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":2}' })))).toBe('ExecutionAlreadyExists');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}0`, name: 'x', input: '{}' })))).toBe('StateMachineDoesNotExist');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'a/b', input: '{}' })))).toBe('InvalidName');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'bad-input', input: '{' })))).toBe('InvalidExecutionInput');

    const running = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((execution) => execution.name)).toEqual(['Long-Create']);
    open();
    await stepFunctions.settled();

    const described = await client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'Long-Create', input: '{"a":1}', output: '{"a":1}' });
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":1}' })))).toBe('ExecutionAlreadyExists');
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'RUNNING' }))).executions).toEqual([]);
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'SUCCEEDED' }))).executions).toHaveLength(1);
    expect(await errorName(client.send(new DescribeExecutionCommand({ executionArn: `${first.executionArn}0` })))).toBe('ExecutionDoesNotExist');
  });
});

/** Handlers that complete at once; a long resource's isComplete starts the waiter first, as lambda/ will. */
function longHandlers(
  player: () => CloudFormationPlayer, isCompleteId: string, polls: number, status?: 'SUCCESS' | 'FAILURE',
): CustomResourceHandlers {
  return {
    async onEvent(event) {
      return { PhysicalResourceId: `search-one/${event.ResourceProperties.PackageID}` };
    },
    async isComplete(event) {
      const longWait = event.ResourceProperties.LongWait;
      if (longWait && event.RequestType !== 'Delete') {
        const sfn = new SFNClient({}); // AWS_ENDPOINT_URL_SFN, as the handler's client
        try {
          const { Handle, Condition } = longWait;
          const input: StandInState = { StackId: event.StackId, Handle, Condition, Polls: polls, Status: status };
          await sfn.send(new StartExecutionCommand({
            stateMachineArn: player().functionVariables(isCompleteId).LONG_WAIT_STATE_MACHINE_ARN,
            name: `${event.LogicalResourceId}-${event.RequestType}`,
            input: JSON.stringify(input),
          }));
        } finally {
          sfn.destroy();
        }
      }
      return { IsComplete: true };
    },
  };
}

function functionId(template: Record<string, any>, handler: string): string {
  return Object.entries(template.Resources).find(([, resource]: [string, any]) => resource.Properties?.Handler === handler)![0];
}

describe('the long waiter synthesized by lib/', () => {
  for (const status of ['SUCCESS', 'FAILURE'] as const) {
    test(`runs the stand-in step through Wait and Choice to Succeed on the scaled clock, which signals ${status}`, async () => {
      const template = synthesizeLongStack();
      const condition = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'AWS::CloudFormation::WaitCondition')!;
      const loaded: StackFunction[] = [];
      const events: ProgressEvent[] = [];
      const player: CloudFormationPlayer = new CloudFormationPlayer({
        handlers: longHandlers(() => player, functionId(template, 'index.isComplete'), 2, status),
        queryIntervalMs: 5,
        stackName: 'LongStack',
        environment: { account: '123456789012', region: 'us-east-1' },
        timeoutScale: 0.002, // Wait 30 s → 60 ms; the condition's 7,200 s → 14.4 s
        waitHandles: cloudFormation.waitHandles,
        stepFunctions: stepFunctions.executions,
        functions: (fn) => {
          loaded.push(fn);
          return async (event) => waiterStep(event as StandInState);
        },
        onProgress: (event) => events.push(event),
      });
      players.push(player);
      const endpoints = { opensearch: 'http://127.0.0.1:9', cloudFormation: cloudFormation.endpoint, stepFunctions: stepFunctions.endpoint };
      let outcome;
      await withLambdaEnvironment(endpoints, path.join(workDir, 'handler.log'), async () => {
        outcome = await player.deploy(template);
        await player.settled();
      });

      const long = Object.keys(template.Resources).find((id) => template.Resources[id].Properties?.LongWait)!;
      const [execution] = stepFunctions.executions.all();
      expect(stepFunctions.executions.all()).toHaveLength(1);
      expect(execution).toMatchObject({ name: `${long}-Create`, taskCalls: 3 });
      expect(execution.stateMachineArn).toMatch(/^arn:aws:states:us-east-1:123456789012:stateMachine:.*LongWaiterStateMachine/);
      expect(execution.stopDate! - execution.startDate).toBeGreaterThanOrEqual(2 * 60);
      const [signal] = cloudFormation.waitHandles.all().flatMap((handle) => handle.signals);
      expect(signal).toMatchObject({ status, uniqueId: condition, data: 'polled 3 times', reason: `stand-in ${status}` });
      expect(loaded.find((fn) => fn.handler === 'index.waiterStep')?.logicalId).toMatch(/WaiterStep/);

      const after = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'Custom::OpenSearchPackageAssociation' && id !== long)!;
      expect(after).toMatch(/^After/);
      const statusOf = (id: string, wanted: string) => events.findIndex((event) => event.logicalId === id && event.status === wanted);
      if (status === 'SUCCESS') {
        expect(outcome!).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
        expect(execution.status).toBe('SUCCEEDED');
        expect(JSON.parse(execution.output!)).toMatchObject({ Calls: 3, Next: 'done', Signalled: 200 });
        expect(statusOf(after, 'CREATE_IN_PROGRESS')).toBeGreaterThan(statusOf(condition, 'CREATE_COMPLETE'));
        expect(player.outputs()).toBeDefined();
      } else {
        expect(outcome!).toMatchObject({
          status: 'ROLLBACK_COMPLETE',
          failures: [{ logicalId: condition, reason: `WaitCondition received failed message: 'stand-in FAILURE' for uniqueId: ${condition}` }],
        });
        expect(statusOf(after, 'CREATE_IN_PROGRESS')).toBe(-1);
        // The signal rolls the stack back, and the rollback deletes the state machine: the execution
        // ends at its Choice or is terminated there, whichever comes first (the rollback is instant here).
        expect(['SUCCEEDED', 'ABORTED']).toContain(execution.status);
      }
    });
  }

  test('executions are terminated at their next transition once the stack deletes the state machine', async () => {
    const template = synthesizeLongStack('Deleted');
    const player = new CloudFormationPlayer({
      handlers: { onEvent: async (event) => ({ PhysicalResourceId: event.LogicalResourceId }), isComplete: async () => ({ IsComplete: true }) },
      queryIntervalMs: 5,
      stackName: 'Deleted',
      environment: { account: '123456789012', region: 'us-east-1' },
      timeoutScale: 0.001,
      waitHandles: cloudFormation.waitHandles,
      stepFunctions: stepFunctions.executions,
      functions: () => async (event) => ({ ...(event as object), Next: 'wait', WaitSeconds: 30 }), // never done
    });
    const deployed = player.deploy(template);
    const arn = player.functionVariables(functionId(template, 'index.isComplete')).LONG_WAIT_STATE_MACHINE_ARN;
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'withdraw', input: '{}' }));
    // The condition is never signalled here: let it time out (7,200 s → 7.2 s is too long), so signal it by hand.
    const url = await untilHandle(player);
    const { putSignal } = await import('./wait-signals');
    await putSignal(url, { Status: 'SUCCESS', UniqueId: 'by-hand' });
    expect((await deployed).status).toBe('CREATE_COMPLETE');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stepFunctions.executions.describe(started.executionArn!).status).toBe('RUNNING');

    expect((await player.destroy()).status).toBe('DELETE_COMPLETE');
    await player.settled();
    const execution = stepFunctions.executions.describe(started.executionArn!);
    expect(execution.status).toBe('ABORTED');
    expect(execution.taskCalls).toBeGreaterThan(1);
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'later', input: '{}' })))).toBe('StateMachineDoesNotExist');
  });
});

async function untilHandle(player: CloudFormationPlayer): Promise<string> {
  for (;;) {
    const handle = player.stackView().resources.find((resource) => resource.type === 'AWS::CloudFormation::WaitConditionHandle' && resource.physicalId);
    const condition = player.stackView().resources.find((resource) => resource.type === 'AWS::CloudFormation::WaitCondition');
    if (handle && condition?.status === 'CREATE_IN_PROGRESS') {
      return handle.physicalId!;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('stateMachineRunner, for a handler test that registers a state machine itself', () => {
  test('Tasks call the functions by ARN, Waits run scaled; an unknown Resource fails the execution, naming it', async () => {
    const definition = JSON.stringify({
      StartAt: 'Step',
      States: {
        Step: { Type: 'Task', Resource: 'arn:step', Next: 'NextStep' },
        NextStep: { Type: 'Choice', Choices: [{ Variable: '$.Next', StringEquals: 'wait', Next: 'Wait' }], Default: 'Done' },
        Wait: { Type: 'Wait', SecondsPath: '$.WaitSeconds', Next: 'Step' },
        Done: { Type: 'Succeed' },
      },
    });
    const step = async (state: unknown) => {
      const calls = ((state as { calls?: number }).calls ?? 0) + 1;
      return { calls, Next: calls < 3 ? 'wait' : 'done', WaitSeconds: 30 };
    };
    stepFunctions.executions.register(ARN, stateMachineRunner(definition, new Map([['arn:step', step]]), 0.001));
    stepFunctions.executions.register(`${ARN}Broken`, stateMachineRunner(definition, new Map(), 0.001));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok', input: '{}' }));
    const broken = await client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}Broken`, name: 'broken', input: '{}' }));
    await stepFunctions.settled();

    const done = stepFunctions.executions.describe(executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"calls":3,"Next":"done","WaitSeconds":30}', taskCalls: 3 });
    expect(done.stopDate! - done.startDate).toBeGreaterThanOrEqual(60);
    expect(await client.send(new DescribeExecutionCommand({ executionArn: broken.executionArn }))).toMatchObject({
      status: 'FAILED', error: 'States.Runtime', cause: "unsupported ASL: Task Resource 'arn:step' is not a function of the state machine's stack",
    });
  });
});

describe('the ASL subset', () => {
  const control: ExecutionControl = { executionArn: 'x', stateMachineArn: 'sm', executionName: 'x', transition: () => undefined, taskCalled: () => undefined };
  const host = (invoke: (resource: string, input: unknown) => Promise<unknown>, waits: number[] = []) =>
    ({ control, invoke, wait: async (seconds: number) => void waits.push(seconds) });

  test('Retry waits IntervalSeconds × BackoffRate^n between attempts, then Catch goes on with the error', async () => {
    const waits: number[] = [];
    let calls = 0;
    const output = await runDefinition({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'fn',
          Next: 'never',
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'P' }],
        },
        P: { Type: 'Pass', Next: 'S' },
        S: { Type: 'Succeed' },
      },
    }, { n: 1 }, host(async () => {
      calls++;
      throw Object.assign(new Error('try again'), { name: 'Flaky' });
    }, waits));
    expect(calls).toBe(3);
    expect(waits).toEqual([2, 6]);
    expect(output).toEqual({ Error: 'Flaky', Cause: JSON.stringify({ errorType: 'Flaky', errorMessage: 'try again' }) });
  });

  test('Choice on NumericEquals and BooleanEquals, Default, Fail', async () => {
    const definition = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'B' }], Default: 'F' },
        B: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'S' }], Default: 'F' },
        S: { Type: 'Succeed' },
        F: { Type: 'Fail', Error: 'Nope', Cause: 'no match' },
      },
    };
    expect(await runDefinition(definition, { n: 1, ok: true }, host(async () => null))).toEqual({ n: 1, ok: true });
    await expect(runDefinition(definition, { n: 2 }, host(async () => null))).rejects.toMatchObject({ error: 'Nope', cause: 'no match' });
  });

  test('an unsupported construct fails the execution, naming it', async () => {
    await expect(runDefinition({ StartAt: 'M', States: { M: { Type: 'Map', End: true } } }, {}, host(async () => null)))
      .rejects.toMatchObject({ error: 'States.Runtime', cause: "unsupported ASL: state type 'Map' (state 'M')" });
    await expect(runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', Parameters: {}, End: true } } }, {}, host(async () => null)))
      .rejects.toMatchObject({ cause: "unsupported ASL: state 'T' has Parameters" });
    await expect(runDefinition({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ And: [], Next: 'C' }] } } }, {}, host(async () => null)))
      .rejects.toMatchObject({ cause: 'unsupported ASL: state \'C\' Choices[0] {"And":[],"Next":"C"}' });
  });
});
