/**
 * The background waiter of a stack's long resources: created with the first long resource only; its
 * step function may do on the stack's domains what the handler may, and read the stack; the handler
 * may only start it; the workflow may only invoke its step and, once, delete the waiter. The waiter is
 * kept on delete, and its own resource's Delete starts that clean-up.
 */
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { awsSolutionsReport, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackagesProvider, PackageType } from '../../lib';
import { LONG_WAIT_PROPERTY, POLL_SECONDS, WAITER_RESOURCE_TYPE } from '../../lib/long-wait-contract';

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const SYNONYMS = path.join(__dirname, 'fixtures', 'synonyms.txt');

function withAssociation(timeout?: Duration, stack: Stack = newStack()): Stack {
  const n = stack.node.children.length;
  new DomainPackageAssociation(stack, `Plugin${n}`, { domain: importedDomain(stack, 'search-one', `Domain${n}`), packageId: `F${n + 1}`, timeout });
  return stack;
}

type Resources = Record<string, any>;

function resourcesOf(stack: Stack): Resources {
  return Template.fromStack(stack).toJSON().Resources;
}

function idsOfType(resources: Resources, type: string, filter: (resource: any) => boolean = () => true): string[] {
  return Object.keys(resources).filter((id) => resources[id].Type === type && filter(resources[id]));
}

/** The waiter's parts by logical id: its state machine, step function and their roles. */
function waiterOf(resources: Resources) {
  const [step] = idsOfType(resources, 'AWS::Lambda::Function', (r) => r.Properties.Handler === 'index.waiterStep');
  const [machine] = idsOfType(resources, STATE_MACHINE, (r) => JSON.stringify(r.Properties.DefinitionString).includes(step));
  const [isComplete] = idsOfType(resources, 'AWS::Lambda::Function', (r) => r.Properties.Handler === 'index.isComplete');
  const [cleanUp] = idsOfType(resources, WAITER_RESOURCE_TYPE);
  return {
    step,
    machine,
    cleanUp,
    stepRole: resources[step]?.Properties.Role['Fn::GetAtt'][0],
    machineRole: resources[machine]?.Properties.RoleArn['Fn::GetAtt'][0],
    handlerRole: resources[isComplete]?.Properties.Role['Fn::GetAtt'][0],
    definition: machine && JSON.parse((resources[machine].Properties.DefinitionString['Fn::Join'][1] as unknown[])
      .map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('')),
  };
}

/** Every statement of the policies attached to `role`, with the policy's logical id. */
function statementsOf(resources: Resources, role: string): Array<{ policy: string; statement: any }> {
  return idsOfType(resources, 'AWS::IAM::Policy', (r) => JSON.stringify(r.Properties.Roles).includes(`"${role}"`))
    .flatMap((policy) => resources[policy].Properties.PolicyDocument.Statement.map((statement: any) => ({ policy, statement })));
}

const actionsOf = (statements: Array<{ statement: any }>) => statements.flatMap(({ statement }) => [].concat(statement.Action)).sort();

describe('no long resource', () => {
  test('adds no waiter: no state machine of its own, no step function, no clean-up resource, no LongWait', () => {
    const resources = resourcesOf(withAssociation(Duration.minutes(55)));
    const waiter = waiterOf(resources);
    expect(waiter.step).toBeUndefined();
    expect(waiter.cleanUp).toBeUndefined();
    expect(Object.keys(resources).filter((id) => id.includes('LongWaiter'))).toEqual([]);
    expect(JSON.stringify(resources)).not.toContain(LONG_WAIT_PROPERTY);
  });
});

describe('a long resource', () => {
  test('adds one standard workflow: step, then wait and step again, end, or clean up', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { machine, definition } = waiterOf(resources);
    expect(resources[machine].Properties.StateMachineType).toBe('STANDARD');
    // Logged, but never with execution data: the state holds the stack's requests.
    expect(resources[machine].Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(definition.StartAt).toBe('Step');
    const states = definition.States;
    expect(states.Step).toMatchObject({ Type: 'Task', Resource: 'TOKEN', Next: 'NextStep' });
    expect(states.NextStep.Choices).toEqual([
      { Variable: '$.Next', StringEquals: 'wait', Next: 'Wait' },
      { Variable: '$.Next', StringEquals: 'clean-up', Next: 'DeleteStepFunction' },
    ]);
    expect(states.NextStep.Default).toBe('Done');
    expect(states.Wait).toEqual({ Type: 'Wait', SecondsPath: '$.WaitSeconds', Next: 'Step' });
    expect(['DeleteStepFunction', 'DeleteStepPolicy', 'DeleteStepRole', 'DeleteStateMachine'].map((name) => states[name].Resource))
      .toEqual(['lambda:deleteFunction', 'iam:deleteRolePolicy', 'iam:deleteRole', 'sfn:deleteStateMachine'].map((action) => `arn:TOKEN:states:::aws-sdk:${action}`));
    expect(states.DeleteStateMachine).toMatchObject({ Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id' }, End: true });
  });

  test('the resource names the waiter it is signalled by, and depends on the waiter and the permission to start it', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { machine, step } = waiterOf(resources);
    const [association] = idsOfType(resources, 'Custom::OpenSearchPackageAssociation');
    expect(JSON.stringify(resources[association].Properties[LONG_WAIT_PROPERTY].Waiter)).toContain(':stateMachine:OpenSearchPackagesWaiter-');
    expect(resources[association].DependsOn).toEqual(expect.arrayContaining([machine, step]));
  });

  test('the handler may start executions of the waiter, and do nothing else new', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { handlerRole, cleanUp } = waiterOf(resources);
    const starts = statementsOf(resources, handlerRole).filter(({ statement }) => JSON.stringify(statement.Action).includes('states:'));
    expect(starts.map(({ statement }) => statement.Action)).toEqual(['states:StartExecution']);
    expect(JSON.stringify(starts[0].statement.Resource)).toContain(':stateMachine:OpenSearchPackagesWaiter-');
    expect(resources[cleanUp].DependsOn).toContain(starts[0].policy);
  });

  test('the step function has a role of its own, with the handler\'s statements on the stack\'s domains, stack reads, '
    + 'and a look at the waiter\'s executions', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { stepRole, handlerRole } = waiterOf(resources);
    expect(stepRole).not.toEqual(handlerRole);
    const step = statementsOf(resources, stepRole);
    const handlerDomain = statementsOf(resources, handlerRole).filter(({ statement }) => JSON.stringify(statement.Action).includes('es:Associate'));
    expect(step.map(({ statement }) => statement)).toEqual(expect.arrayContaining(handlerDomain.map(({ statement }) => statement)));
    expect(actionsOf(step)).toEqual([
      'cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'es:AssociatePackage', 'es:DescribeDomain',
      'es:DissociatePackage', 'es:ListPackagesForDomain', 'logs:CreateLogStream', 'logs:PutLogEvents', 'states:ListExecutions',
    ]);
  });

  test('the step may read packages only where the handler may: a stack with a package of its own', () => {
    const stack = withAssociation(Duration.hours(3));
    new OpenSearchPackage(stack, 'Dictionary', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS) });
    const resources = resourcesOf(stack);
    const { stepRole, handlerRole } = waiterOf(resources);
    expect(actionsOf(statementsOf(resources, handlerRole))).toContain('es:DescribePackages');
    expect(statementsOf(resources, stepRole).filter(({ statement }) => statement.Action === 'es:DescribePackages')
      .map(({ statement }) => statement.Resource)).toEqual(['*']);
  });

  test('the workflow may invoke its step, and delete the step function, its role and itself, nothing else', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { machineRole, step, stepRole } = waiterOf(resources);
    const statements = statementsOf(resources, machineRole).map(({ statement }) => statement);
    const scoped = statements.filter((statement) => !/^(logs|xray):/.test([].concat(statement.Action)[0]));
    expect(scoped.map((statement) => [statement.Action, JSON.stringify(statement.Resource)])).toEqual([
      ['lambda:InvokeFunction', expect.stringContaining(step)],
      ['lambda:DeleteFunction', expect.stringContaining(step)],
      ['iam:DeleteRolePolicy', expect.stringContaining(stepRole)],
      ['iam:DeleteRole', expect.stringContaining(stepRole)],
      ['states:DeleteStateMachine', expect.stringContaining(':stateMachine:OpenSearchPackagesWaiter-')],
    ]);
  });

  test('the waiter is kept on delete; what only the stack uses (the start permission, the clean-up resource) is not', () => {
    const resources = resourcesOf(withAssociation(Duration.hours(3)));
    const { machine, machineRole, step, stepRole, cleanUp, handlerRole } = waiterOf(resources);
    const stepAccess = statementsOf(resources, stepRole)[0].policy;
    const machinePolicy = statementsOf(resources, machineRole)[0].policy;
    for (const id of [machine, machineRole, machinePolicy, step, stepRole, stepAccess]) {
      expect([id, resources[id].DeletionPolicy]).toEqual([id, 'Retain']);
    }
    const startPolicy = statementsOf(resources, handlerRole).find(({ statement }) => statement.Action === 'states:StartExecution')!.policy;
    expect(resources[startPolicy].DeletionPolicy).toBeUndefined();
    expect(resources[cleanUp].DeletionPolicy).toBe('Delete');
  });

  test('two long associations, a long set and a long package share one waiter', () => {
    const stack = withAssociation(Duration.hours(3), withAssociation(Duration.hours(2)));
    const pkg = new OpenSearchPackage(stack, 'Dictionary', {
      packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), timeout: Duration.hours(1),
    });
    new DomainPackages(stack, 'Set', { domain: importedDomain(stack, 'search-two'), timeout: Duration.hours(4) }).addPackage(pkg);
    const resources = resourcesOf(stack);
    expect(idsOfType(resources, 'AWS::Lambda::Function', (r) => r.Properties.Handler === 'index.waiterStep')).toHaveLength(1);
    expect(idsOfType(resources, WAITER_RESOURCE_TYPE)).toHaveLength(1);
    expect(idsOfType(resources, 'AWS::CloudFormation::WaitCondition')).toHaveLength(4);
  });

  test('a stack that shares another stack\'s provider gets a waiter of its own, which the shared handler may start', () => {
    const app = new App();
    const owner = new Stack(app, 'Owner');
    const consumer = new Stack(app, 'Consumer');
    PackagesProvider.useProviderOf(consumer, owner);
    withAssociation(Duration.hours(3), consumer);
    const resources = resourcesOf(consumer);
    const { step, machine, cleanUp } = waiterOf(resources);
    expect([step, machine, cleanUp].every((id) => id !== undefined)).toBe(true);
    expect(Object.keys(resourcesOf(owner)).filter((id) => id.includes('LongWaiter'))).toEqual([]);
    const starts = idsOfType(resources, 'AWS::IAM::Policy', (r) => JSON.stringify(r.Properties.PolicyDocument).includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    expect(JSON.stringify(resources[starts[0]].Properties.Roles)).toContain('Fn::ImportValue');
  });

  test('12 hours of polls stay below a standard workflow\'s 25,000 history events (about 9 per poll)', () => {
    const polls = Duration.hours(12).toSeconds() / POLL_SECONDS;
    expect(polls * 9).toBeLessThan(25_000);
  });

  test('cdk-nag (AwsSolutions) finds nothing open', () => {
    const report = awsSolutionsReport(withAssociation(Duration.hours(3)));
    expect(report.open).toEqual([]);
    expect(report.synthFailed).toBe(false);
  });
});
