/**
 * The clean-up's `aws-sdk` Tasks on the retained resources (local/aws-sdk-tasks.ts), and the ASL
 * they need: Parameters with `.$` paths in the input and the context object, ResultPath null.
 */
import { RetainedResources } from '../../emulator/retained-resources';
import { ExecutionControl, StepFunctionsExecutions } from '../../emulator/step-functions-executions';
import { runDefinition } from '../../local/asl-interpreter';
import { stateMachineRunner } from '../../local/state-machine-runner';

const ACCOUNT = '123456789012';
const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/Gone/1`;
const MACHINE = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Waiter-1`;
const STEP = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:Step`;
const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;

let retained: RetainedResources;
let executions: StepFunctionsExecutions;

beforeEach(() => {
  retained = new RetainedResources();
  executions = new StepFunctionsExecutions();
  const left = { stackName: 'Gone', stackId: STACK_ID };
  retained.retain({ ...left, type: 'AWS::Lambda::Function', logicalId: 'Step', physicalId: 'Step', arn: STEP });
  retained.retain({ ...left, type: 'AWS::IAM::Role', logicalId: 'StepRole', physicalId: 'StepRole' });
  retained.retain({ ...left, type: 'AWS::IAM::Policy', logicalId: 'StepAccess', physicalId: 'StepAccess', policyName: 'waiter-step-access', roles: ['StepRole'] });
  retained.retain({ ...left, type: 'AWS::IAM::Role', logicalId: 'MachineRole', physicalId: 'MachineRole' });
  retained.retain({ ...left, type: 'AWS::StepFunctions::StateMachine', logicalId: 'Machine', physicalId: MACHINE, arn: MACHINE });
});

const task = (resource: string, parameters: unknown, next?: string, extra: object = {}) =>
  ({ Type: 'Task', Resource: resource, Parameters: parameters, ResultPath: null, ...(next ? { Next: next } : { End: true }), ...extra });

/** Registers the definition as MACHINE and runs one execution with `input`. */
async function run(definition: object, input: object = { Kept: 'as is' }) {
  executions.register(MACHINE, stateMachineRunner(definition, new Map([[STEP, async (event: unknown) => event]]), 0.001, { retained, executions }));
  const execution = executions.start(MACHINE, `run-${executions.all().length}`, JSON.stringify(input));
  await executions.settled();
  return execution;
}

const summary = () => retained.list().map((entry) => `${entry.type} ${entry.logicalId}`);

test('the clean-up: the step function, its policy, its role, then the state machine by $$.StateMachine.Id; the input goes on (ResultPath null)', async () => {
  const execution = await run({
    StartAt: 'DeleteStepFunction',
    States: {
      DeleteStepFunction: task(sdk('lambda', 'deleteFunction'), { FunctionName: STEP }, 'DeleteStepPolicy'),
      DeleteStepPolicy: task(sdk('iam', 'deleteRolePolicy'), { RoleName: 'StepRole', PolicyName: 'waiter-step-access' }, 'DeleteStepRole'),
      DeleteStepRole: task(sdk('iam', 'deleteRole'), { RoleName: 'StepRole' }, 'DeleteStateMachine'),
      DeleteStateMachine: task(sdk('sfn', 'deleteStateMachine'), { 'StateMachineArn.$': '$$.StateMachine.Id' }),
    },
  });
  expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '{"Kept":"as is"}', taskCalls: 0 });
  expect(summary()).toEqual(['AWS::IAM::Role MachineRole']);
  expect(executions.stateMachines()).toEqual([]);
});

test('a role that still holds an inline policy cannot be deleted (Iam.DeleteConflictException, which Catch sees); once the policy is gone it can', async () => {
  const execution = await run({
    StartAt: 'RoleFirst',
    States: {
      RoleFirst: task(sdk('iam', 'deleteRole'), { RoleName: 'StepRole' }, 'Never', { Catch: [{ ErrorEquals: ['Iam.DeleteConflictException'], Next: 'Policy' }] }),
      Never: { Type: 'Fail', Error: 'Unexpected' },
      Policy: task(sdk('iam', 'deleteRolePolicy'), { RoleName: 'StepRole', PolicyName: 'waiter-step-access' }, 'Role'),
      Role: task(sdk('iam', 'deleteRole'), { RoleName: 'StepRole' }),
    },
  });
  expect(execution.status).toBe('SUCCEEDED');
  expect(summary()).not.toContain('AWS::IAM::Role StepRole');
  expect(summary()).not.toContain('AWS::IAM::Policy StepAccess');

  const refused = await run({ StartAt: 'R', States: { R: task(sdk('iam', 'deleteRole'), { RoleName: 'StepRole' }) } });
  expect(refused).toMatchObject({ status: 'FAILED', error: 'Iam.NoSuchEntityException', cause: expect.stringContaining('StepRole') });
});

test('deleting a role that holds a policy fails the execution with IAM\'s conflict', async () => {
  const execution = await run({ StartAt: 'R', States: { R: task(sdk('iam', 'deleteRole'), { RoleName: 'StepRole' }) } });
  expect(execution).toMatchObject({ status: 'FAILED', error: 'Iam.DeleteConflictException', cause: expect.stringMatching(/must delete policies first/) });
  expect(summary()).toContain('AWS::IAM::Role StepRole');
});

test('a deleted function: later invocations fail with Lambda.ResourceNotFoundException, and a second delete too', async () => {
  const execution = await run({
    StartAt: 'Delete',
    States: { Delete: task(sdk('lambda', 'deleteFunction'), { 'FunctionName.$': '$.Function' }, 'Again'), Again: task(sdk('lambda', 'deleteFunction'), { FunctionName: STEP }) },
  }, { Function: STEP });
  expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException', cause: expect.stringContaining(STEP) });
});

test('deleting the state machine terminates its other executions at their next transition', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  executions.register(MACHINE, stateMachineRunner({
    StartAt: 'Choose',
    States: {
      Choose: { Type: 'Choice', Choices: [{ Variable: '$.Role', StringEquals: 'delete', Next: 'Delete' }], Default: 'Hold' },
      Hold: { Type: 'Task', Resource: STEP, Next: 'After' },
      After: { Type: 'Succeed' },
      Delete: task(sdk('sfn', 'deleteStateMachine'), { 'StateMachineArn.$': '$$.StateMachine.Id' }),
    },
  }, new Map([[STEP, async (event: unknown) => gate.then(() => event)]]), 0.001, { retained, executions }));
  const held = executions.start(MACHINE, 'held', '{"Role":"hold"}');
  await new Promise((resolve) => setTimeout(resolve, 10));
  const deleting = executions.start(MACHINE, 'deleting', '{"Role":"delete"}');
  await new Promise((resolve) => setTimeout(resolve, 10));
  release();
  await executions.settled();
  expect(deleting.status).toBe('SUCCEEDED');
  expect(held.status).toBe('ABORTED');
  expect(summary()).not.toContain('AWS::StepFunctions::StateMachine Machine');
  expect(executions.stateMachines()).toEqual([]);
});

test('an aws-sdk action other than the four fails the execution, naming it', async () => {
  const execution = await run({ StartAt: 'S3', States: { S3: task(sdk('s3', 'deleteBucket'), { Bucket: 'b' }) } });
  expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringMatching(/^unsupported aws-sdk integration 's3:deleteBucket'/) });
});

describe('Parameters and ResultPath', () => {
  const control: ExecutionControl = {
    executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:run-1`,
    stateMachineArn: MACHINE,
    executionName: 'run-1',
    transition: () => undefined,
    taskCalled: () => undefined,
  };
  const received: unknown[] = [];
  const host = { control, wait: async () => undefined, invoke: async (_resource: string, input: unknown) => (received.push(input), { Result: 1 }) };

  beforeEach(() => {
    received.length = 0;
  });

  test('static values and .$ paths in the input and the context object; ResultPath null keeps the input, "$" or none takes the result', async () => {
    const parameters = {
      'Static': 'x',
      'Number': 2,
      'FromInput.$': '$.a.b',
      'Whole.$': '$',
      'Nested': { 'Execution.$': '$$.Execution.Id', 'List': [{ 'Name.$': '$$.Execution.Name' }] },
      'Machine.$': '$$.StateMachine.Id',
      'MachineName.$': '$$.StateMachine.Name',
    };
    const input = { a: { b: 'deep' } };
    expect(await runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', Parameters: parameters, ResultPath: null, End: true } } }, input, host))
      .toEqual(input);
    expect(received).toEqual([{
      Static: 'x',
      Number: 2,
      FromInput: 'deep',
      Whole: input,
      Nested: { Execution: control.executionArn, List: [{ Name: 'run-1' }] },
      Machine: MACHINE,
      MachineName: 'Waiter-1',
    }]);
    expect(await runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', ResultPath: '$', End: true } } }, input, host)).toEqual({ Result: 1 });
    expect(await runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', End: true } } }, input, host)).toEqual({ Result: 1 });
    expect(received[1]).toEqual(input);
  });

  test('a ResultPath into a field, an intrinsic function, or a missing field fails the execution, naming it', async () => {
    const one = (state: object) => runDefinition({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'fn', End: true, ...state } } }, { a: 1 }, host);
    await expect(one({ ResultPath: '$.r' })).rejects.toMatchObject({ error: 'States.Runtime', cause: 'unsupported ASL: state \'T\' ResultPath "$.r"' });
    await expect(one({ Parameters: { 'F.$': "States.Format('{}', $.a)" } })).rejects.toMatchObject({ cause: expect.stringMatching(/^unsupported ASL: Parameters 'F\.\$'/) });
    await expect(one({ Parameters: { 'F.$': '$.missing' } })).rejects.toMatchObject({ error: 'States.Runtime', cause: expect.stringMatching(/^invalid path '\$\.missing'/) });
    await expect(one({ Parameters: { 'F.$': '$$.Task.Token' } })).rejects.toMatchObject({ cause: expect.stringMatching(/^invalid path '\$\.Task\.Token'/) });
    expect(received).toEqual([]);
  });
});
