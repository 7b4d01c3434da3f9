/**
 * The Step Functions emulator and the player's state machines: StartExecution's name rules over
 * HTTP with the real SDK, the long waiter synthesized by lib/ run with the real handler (lambda/)
 * until it signals its WaitCondition, its clean-up once the stack is gone, and the ASL subset.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { synthesizeLongStack } from './assemblies';
import { idOf, LEFT_AFTER_CLEAN_UP, LongWaitWorld, retainedNames } from './long-wait-world';
import { ExecutionControl } from '../../emulator/step-functions-executions';
import { runDefinition } from '../../local/asl-interpreter';
import type { ProgressEvent } from '../../local/cloudformation-player';
import { stateMachineRunner } from '../../local/state-machine-runner';

let world: LongWaitWorld;
let client: SFNClient;

beforeEach(async () => {
  world = await LongWaitWorld.start({
    domains: ['one'],
    packages: [{ id: 'F111111111', name: 'my-plugin', type: 'ZIP-PLUGIN' }, { id: 'F222222222', name: 'synonyms', type: 'TXT-DICTIONARY' }],
    associationMs: 50,
    dissociationMs: 50,
    blueGreenMs: 300,
  });
  client = new SFNClient({ endpoint: world.stepFunctions.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});

afterEach(async () => {
  client.destroy();
  await world.close();
});

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Gate';

/** A state machine whose executions end when `open()` is called, with their input as output. */
function gatedMachine(): () => void {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  world.stepFunctions.executions.register(ARN, async (input) => {
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
    expect(world.stepFunctions.executions.all()).toHaveLength(1);

    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":2}' })))).toBe('ExecutionAlreadyExists');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}0`, name: 'x', input: '{}' })))).toBe('StateMachineDoesNotExist');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'a/b', input: '{}' })))).toBe('InvalidName');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'bad-input', input: '{' })))).toBe('InvalidExecutionInput');

    const running = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((execution) => execution.name)).toEqual(['Long-Create']);
    open();
    await world.stepFunctions.settled();

    const described = await client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'Long-Create', input: '{"a":1}', output: '{"a":1}' });
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'Long-Create', input: '{"a":1}' })))).toBe('ExecutionAlreadyExists');
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'RUNNING' }))).executions).toEqual([]);
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'SUCCEEDED' }))).executions).toHaveLength(1);
    expect(await errorName(client.send(new DescribeExecutionCommand({ executionArn: `${first.executionArn}0` })))).toBe('ExecutionDoesNotExist');
  });
});

/** A player of `world` on a clock 500 times faster: Wait 30 s → 60 ms; the clean-up's 60 s checks → 120 ms. */
function longPlayer(events: ProgressEvent[], onProgress: (event: ProgressEvent) => void = () => undefined) {
  return world.player({ timeoutScale: 0.002, onProgress: (event) => { events.push(event); onProgress(event); } });
}

describe('the long waiter synthesized by lib/, run with the real handler', () => {
  test('a plugin association: the handler starts the named waiter, which polls on the scaled clock and signals SUCCESS; After starts only then', async () => {
    const template = synthesizeLongStack();
    const events: ProgressEvent[] = [];
    const player = longPlayer(events);
    let outcome;
    await world.asLambda(async () => {
      outcome = await player.deploy(template);
      await player.settled();
    });

    const long = idOf(template, (_id, resource) => resource.Properties?.LongWait);
    const condition = idOf(template, (_id, resource) => resource.Type === 'AWS::CloudFormation::WaitCondition');
    const after = idOf(template, (id) => id.startsWith('After'));
    expect(outcome!).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
    const waiter = `arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-${player.stackView().stackId.split('/')[2]}`;
    const [execution] = world.stepFunctions.executions.all();
    expect(world.stepFunctions.executions.all()).toHaveLength(1);
    expect(execution).toMatchObject({ stateMachineArn: waiter, name: expect.stringMatching(new RegExp(`^Create-${long}-`)), status: 'SUCCEEDED' });
    // The blue/green takes 300 ms: a few polls 60 ms apart.
    expect(execution.taskCalls).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(execution.output!)).toMatchObject({ Next: 'done', Ended: 'signalled', Outcome: { Status: 'SUCCESS' } });
    const signals = world.cloudFormation.waitHandles.all().flatMap((handle) => handle.signals);
    expect(signals).toEqual([expect.objectContaining({ status: 'SUCCESS', uniqueId: long })]);
    expect(JSON.parse(signals[0].data)).toMatchObject({ DomainPackageStatus: 'ACTIVE' });
    const statusOf = (id: string, wanted: string) => events.findIndex((event) => event.logicalId === id && event.status === wanted);
    expect(statusOf(after, 'CREATE_IN_PROGRESS')).toBeGreaterThan(statusOf(condition, 'CREATE_COMPLETE'));
    expect(world.packages.associations('one').map((entry) => `${entry.packageId} ${entry.status}`).sort()).toEqual(['F111111111 ACTIVE', 'F222222222 ACTIVE']);
  });

  test('a failed association: the waiter signals FAILURE with the handler\'s message, the stack rolls back, and the waiter removes itself', async () => {
    world.packages.failNextAssociation('one', 'F111111111', 'PluginError', 'the plugin did not load');
    const template = synthesizeLongStack();
    const player = longPlayer([]);
    let outcome;
    await world.asLambda(async () => {
      outcome = await player.deploy(template);
      await player.settled();
    });

    const condition = idOf(template, (_id, resource) => resource.Type === 'AWS::CloudFormation::WaitCondition');
    expect(outcome!).toMatchObject({
      status: 'ROLLBACK_COMPLETE',
      failures: [{ logicalId: condition, reason: expect.stringMatching(/^WaitCondition received failed message: 'ASSOCIATION_FAILED: PluginError: the plugin did not load/) }],
    });
    // The signal, the rollback's Delete of the association handed over too, and last the clean-up.
    const long = idOf(template, (_id, resource) => resource.Properties?.LongWait);
    const all = world.stepFunctions.executions.all();
    expect(all.map((execution) => `${execution.name.replace(/-[0-9a-f]+$/, '')} ${execution.status}`)).toEqual([
      `Create-${long} SUCCEEDED`, `Delete-${long} SUCCEEDED`, expect.stringMatching(/^Delete-cdkopensearchpackagesAssociationProvider SUCCEEDED$/),
    ]);
    expect(JSON.parse(all[0].output!)).toMatchObject({ Ended: 'signalled', Outcome: { Status: 'FAILURE' } });
    expect(JSON.parse(all[2].output!)).toMatchObject({ Next: 'clean-up', Ended: 'cleaned up' });
    expect(retainedNames(player)).toEqual(LEFT_AFTER_CLEAN_UP);
    expect(world.stepFunctions.executions.stateMachines()).toEqual([]);
  });

  test('a stack delete while the domain is busy: the withdrawal outlives the stack, the clean-up waits for it, then deletes the step function, its role and the state machine', async () => {
    const template = synthesizeLongStack();
    const long = idOf(template, (_id, resource) => resource.Properties?.LongWait);
    const player = longPlayer([], (event) => {
      if (event.logicalId === long && event.status === 'DELETE_IN_PROGRESS') {
        world.packages.startConfigurationChange('one', 400);
      }
    });
    let outcome;
    let leftAtDelete: string[] = [];
    let associatedAtDelete: string[] = [];
    await world.asLambda(async () => {
      await player.deploy(template);
      await player.settled();
      outcome = await player.destroy();
      leftAtDelete = retainedNames(player);
      associatedAtDelete = world.packages.associations('one').map((entry) => entry.packageId);
      await player.settled();
    });

    expect(outcome!).toMatchObject({ status: 'DELETE_COMPLETE', failures: [] });
    // The stack is gone, the withdrawal is not done yet: the waiter is kept.
    expect(associatedAtDelete).toContain('F111111111');
    expect(leftAtDelete).toEqual(expect.arrayContaining(['AWS::Lambda::Function LongWaiterStepHandler', 'AWS::IAM::Role LongWaiterStepRole',
      'AWS::IAM::Policy LongWaiterStepAccess', 'AWS::StepFunctions::StateMachine LongWaiterStateMachine']));
    const [, withdrawal, cleanUp] = world.stepFunctions.executions.all();
    expect(withdrawal).toMatchObject({ name: expect.stringMatching(new RegExp(`^Delete-${long}-`)), status: 'SUCCEEDED' });
    expect(cleanUp).toMatchObject({ name: expect.stringMatching(/^Delete-cdkopensearchpackages/), status: 'SUCCEEDED' });
    expect(cleanUp.stopDate!).toBeGreaterThanOrEqual(withdrawal.stopDate!);
    expect(JSON.parse(cleanUp.output!)).toMatchObject({ Next: 'clean-up', Ended: 'cleaned up' });
    expect(world.packages.associations('one')).toEqual([]);
    expect(retainedNames(player)).toEqual(LEFT_AFTER_CLEAN_UP);
    expect(world.stepFunctions.executions.stateMachines()).toEqual([]);
  });
});

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
    world.stepFunctions.executions.register(ARN, stateMachineRunner(definition, new Map([['arn:step', step]]), 0.001));
    world.stepFunctions.executions.register(`${ARN}Broken`, stateMachineRunner(definition, new Map(), 0.001));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok', input: '{}' }));
    const broken = await client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}Broken`, name: 'broken', input: '{}' }));
    await world.stepFunctions.settled();

    const done = world.stepFunctions.executions.describe(executionArn!);
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
    await expect(runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', InputPath: '$', End: true } } }, {}, host(async () => null)))
      .rejects.toMatchObject({ cause: "unsupported ASL: state 'T' has InputPath" });
    await expect(runDefinition({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ And: [], Next: 'C' }] } } }, {}, host(async () => null)))
      .rejects.toMatchObject({ cause: 'unsupported ASL: state \'C\' Choices[0] {"And":[],"Next":"C"}' });
  });
});
