/**
 * What the player leaves in the account: resources with `DeletionPolicy: Retain` that a stack
 * delete or an update removes stay in the registry (roles with their inline policies), a retained
 * state machine is not deleted (its executions go on after the stack, calling a retained
 * function), a named state machine is registered under the ARN its name gives, and a deleted stack
 * still answers by its id.
 */
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { StepFunctionsApiEmulator } from '../../emulator/step-functions-api-emulator';
import { CloudFormationPlayer, RetainedResources } from '../../local/cloudformation-player';

const ACCOUNT = '123456789012';
const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

/** Step (the function) → Wait 30 s → Step, until the step says done. */
const DEFINITION = {
  'Fn::Join': ['', [
    '{"StartAt":"Step","States":{"Step":{"Type":"Task","Resource":"',
    { 'Fn::GetAtt': ['Step', 'Arn'] },
    '","Next":"Choice"},"Choice":{"Type":"Choice","Choices":[{"Variable":"$.Next","StringEquals":"wait","Next":"Wait"}],"Default":"Done"},',
    '"Wait":{"Type":"Wait","Seconds":30,"Next":"Step"},"Done":{"Type":"Succeed"}}}',
  ]],
};

const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

function template(options: { withRoles?: boolean } = {}) {
  const withRoles = options.withRoles ?? true;
  return {
    Resources: {
      Named: {
        Type: 'AWS::StepFunctions::StateMachine',
        ...RETAIN,
        Properties: { StateMachineName: { 'Fn::Join': ['', ['Waiter-', STACK_UUID]] }, DefinitionString: DEFINITION },
      },
      Unnamed: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: DEFINITION } },
      Step: { Type: 'AWS::Lambda::Function', ...RETAIN, Properties: { Handler: 'index.step' } },
      ...withRoles && {
        StepRole: { Type: 'AWS::IAM::Role', ...RETAIN, Properties: {} },
        StepPolicy: { Type: 'AWS::IAM::Policy', ...RETAIN, Properties: { PolicyName: 'step-access', Roles: [{ Ref: 'StepRole' }] } },
        Deleted: { Type: 'AWS::IAM::Role', Properties: {} },
      },
    },
    Outputs: {
      NamedRef: { Value: { Ref: 'Named' } },
      NamedArn: { Value: { 'Fn::GetAtt': ['Named', 'Arn'] } },
      Formula: { Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:us-east-1:${ACCOUNT}:stateMachine:Waiter-`, STACK_UUID]] } },
      UnnamedRef: { Value: { Ref: 'Unnamed' } },
    },
  };
}

let stepFunctions: StepFunctionsApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let player: CloudFormationPlayer;
let retained: RetainedResources;
/** Calls of the step function; it answers `wait` until `done` is set. */
let stepCalls: number;
let done: boolean;

beforeEach(async () => {
  stepFunctions = await StepFunctionsApiEmulator.start();
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [player.stackView()] });
  retained = new RetainedResources();
  stepCalls = 0;
  done = false;
  player = new CloudFormationPlayer({
    handlers: { onEvent: async () => ({ PhysicalResourceId: 'x' }), isComplete: async () => ({ IsComplete: true }) },
    queryIntervalMs: 5,
    stackName: 'Kept',
    environment: { account: ACCOUNT, region: 'us-east-1' },
    timeoutScale: 0.001,
    stepFunctions: stepFunctions.executions,
    retained,
    functions: () => async (state) => {
      stepCalls++;
      return { ...(state as object), Next: done ? 'done' : 'wait' };
    },
  });
});

afterEach(async () => {
  done = true;
  await stepFunctions.settled();
  await Promise.all([stepFunctions.close(), cloudFormation.close()]);
});

const summary = () => retained.list().map((entry) => `${entry.type} ${entry.logicalId}`).sort();

test('a state machine with a StateMachineName is registered under the ARN its name gives, which its Ref and the formula agree on', async () => {
  expect((await player.deploy(template())).status).toBe('CREATE_COMPLETE');
  const uuid = player.stackView().stackId.split('/')[2];
  const values = player.outputs()!.values;
  const named = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Waiter-${uuid}`;
  expect(values.get('NamedRef')).toBe(named);
  expect(values.get('NamedArn')).toBe(named);
  expect(values.get('Formula')).toBe(named);
  expect(values.get('UnnamedRef')).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Unnamed`);
  expect(stepFunctions.executions.stateMachines().sort()).toEqual([values.get('UnnamedRef'), named].sort());
  expect(player.stackView().resources.find((resource) => resource.logicalId === 'Named')?.physicalId).toBe(named);
});

test('a stack delete leaves the retained resources in the registry, and the retained state machine runs on, calling the retained function', async () => {
  await player.deploy(template());
  const named = player.outputs()!.values.get('NamedRef')!;
  const unnamed = player.outputs()!.values.get('UnnamedRef')!;
  const running = stepFunctions.executions.start(named, 'outlives-the-stack');
  const stopped = stepFunctions.executions.start(unnamed, 'stops-with-the-stack');
  await until(() => stepCalls >= 2);

  expect((await player.destroy()).status).toBe('DELETE_COMPLETE');
  expect(summary()).toEqual([
    'AWS::IAM::Policy StepPolicy', 'AWS::IAM::Role StepRole', 'AWS::Lambda::Function Step', 'AWS::StepFunctions::StateMachine Named',
  ]);
  expect(retained.list().find((entry) => entry.logicalId === 'StepPolicy')).toMatchObject({ policyName: 'step-access', roles: ['StepRole'] });
  expect(retained.list().find((entry) => entry.logicalId === 'Named')).toMatchObject({ arn: named, stackName: 'Kept' });
  expect(retained.inlinePolicies(ACCOUNT, 'StepRole')).toEqual(['step-access']);

  const calls = stepCalls;
  await until(() => stepCalls >= calls + 2);
  expect(running.status).toBe('RUNNING');
  await until(() => stopped.status !== 'RUNNING');
  expect(stopped.status).toBe('ABORTED');
  expect(stepFunctions.executions.stateMachines()).toEqual([named]);
  done = true;
  await stepFunctions.settled();
  expect(running.status).toBe('SUCCEEDED');
});

test('a retained function deleted from the registry fails the next Task with Lambda.ResourceNotFoundException', async () => {
  await player.deploy(template());
  const named = player.outputs()!.values.get('NamedRef')!;
  await player.destroy();
  const step = retained.list().find((entry) => entry.logicalId === 'Step')!;
  retained.deleteFunction(step.arn!);
  const execution = stepFunctions.executions.start(named, 'after-the-function');
  await stepFunctions.settled();
  expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException', cause: expect.stringContaining(step.arn!) });
  expect(stepCalls).toBe(0);
});

test('an update whose template no longer holds retained resources leaves them; the others are deleted', async () => {
  await player.deploy(template());
  expect((await player.deploy(template({ withRoles: false }))).status).toBe('UPDATE_COMPLETE');
  expect(summary()).toEqual(['AWS::IAM::Policy StepPolicy', 'AWS::IAM::Role StepRole']);
  expect(player.stackView().resources.map((resource) => resource.logicalId).sort()).toEqual(['Named', 'Step', 'Unnamed']);
});

test('a deleted stack answers by its id: DELETE_COMPLETE, its resources DELETE_COMPLETE or DELETE_SKIPPED (retained); not by its name', async () => {
  await player.deploy(template());
  const stackId = player.stackView().stackId;
  await player.destroy();
  const client = new CloudFormationClient({ endpoint: cloudFormation.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackId }));
    expect(Stacks?.map((stack) => stack.StackStatus)).toEqual(['DELETE_COMPLETE']);
    const listed = (await client.send(new ListStackResourcesCommand({ StackName: stackId }))).StackResourceSummaries ?? [];
    expect(listed.map((resource) => `${resource.LogicalResourceId} ${resource.ResourceStatus}`).sort()).toEqual([
      'Deleted DELETE_COMPLETE', 'Named DELETE_SKIPPED', 'Step DELETE_SKIPPED', 'StepPolicy DELETE_SKIPPED', 'StepRole DELETE_SKIPPED',
      'Unnamed DELETE_COMPLETE',
    ]);
    expect(listed.find((resource) => resource.LogicalResourceId === 'Named')?.PhysicalResourceId).toMatch(/:stateMachine:Waiter-/);
    await expect(client.send(new DescribeStacksCommand({ StackName: 'Kept' }))).rejects.toThrow(/does not exist/);
  } finally {
    client.destroy();
  }
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in 5 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
