/**
 * The background waiter of long resources: one per provider, created with the
 * first long resource only; its step runs with the handler role; the handler
 * may only start it, and the workflow may only invoke its step.
 */
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { awsSolutionsReport, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { POLL_SECONDS, WAITER_ARN_VARIABLE } from '../../lib/long-wait-contract';

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';

function withAssociation(timeout?: Duration, stack: Stack = newStack()): Stack {
  const n = stack.node.children.length;
  new DomainPackageAssociation(stack, `Plugin${n}`, { domain: importedDomain(stack, 'search-one', `Domain${n}`), packageId: `F${n + 1}`, timeout });
  return stack;
}

function functionsWithHandler(template: Template, handler: string): Array<[string, any]> {
  return Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Handler: handler } }));
}

/** Our waiter's state machine: the one whose definition runs `index.waiterStep`. */
function waiterOf(template: Template): { id: string; resource: any; definition: any } | undefined {
  const steps = functionsWithHandler(template, 'index.waiterStep');
  if (steps.length === 0) {
    return undefined;
  }
  const found = Object.entries(template.findResources(STATE_MACHINE))
    .find(([, resource]) => JSON.stringify(resource.Properties.DefinitionString).includes(steps[0]?.[0] ?? '-'));
  if (!found) {
    return undefined;
  }
  const parts = (found[1].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'ARN'));
  return { id: found[0], resource: found[1], definition: JSON.parse(parts.join('')) };
}

function statementsOfPolicies(template: Template): Array<{ policy: string; statement: any }> {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .flatMap(([policy, resource]) => (resource as any).Properties.PolicyDocument.Statement.map((statement: any) => ({ policy, statement })));
}

describe('no long resource', () => {
  test('adds no waiter, no step function and no environment variable: the template stays as it was', () => {
    const template = Template.fromStack(withAssociation(Duration.minutes(55)));
    expect(functionsWithHandler(template, 'index.waiterStep')).toHaveLength(0);
    expect(waiterOf(template)).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain(WAITER_ARN_VARIABLE);
    expect(Object.keys(template.toJSON().Resources).filter((id) => id.includes('LongWaiter'))).toEqual([]);
  });
});

describe('a long resource', () => {
  test('adds one standard workflow: step, then wait the poll interval and step again until the step says done', () => {
    const template = Template.fromStack(withAssociation(Duration.hours(3)));
    const waiter = waiterOf(template)!;
    expect(waiter).toBeDefined();
    expect(waiter.resource.Properties.StateMachineType).toBe('STANDARD');
    const states = waiter.definition.States;
    expect(waiter.definition.StartAt).toBe('Step');
    expect(states.Step).toMatchObject({ Type: 'Task', Resource: 'ARN', Next: 'NextStep' });
    expect(states.NextStep.Choices).toEqual([{ Variable: '$.Next', StringEquals: 'wait', Next: 'Wait' }]);
    expect(states.NextStep.Default).toBe('Done');
    expect(states.Wait).toEqual({ Type: 'Wait', SecondsPath: '$.WaitSeconds', Next: 'Step' });
    // Logged, but never with execution data: the state holds the stack's requests.
    expect(waiter.resource.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  test('runs its step with the handler role, and gives the isComplete handler alone the state machine ARN', () => {
    const template = Template.fromStack(withAssociation(Duration.hours(3)));
    const [[, step]] = functionsWithHandler(template, 'index.waiterStep');
    const [[, isComplete]] = functionsWithHandler(template, 'index.isComplete');
    const [[, onEvent]] = functionsWithHandler(template, 'index.onEvent');
    expect(step.Properties.Role).toEqual(isComplete.Properties.Role);
    expect(isComplete.Properties.Environment.Variables[WAITER_ARN_VARIABLE]).toEqual({ Ref: waiterOf(template)!.id });
    expect(onEvent.Properties.Environment?.Variables?.[WAITER_ARN_VARIABLE]).toBeUndefined();
  });

  test('the handler may start executions of this state machine only, in a policy the long resource depends on', () => {
    const template = Template.fromStack(withAssociation(Duration.hours(3)));
    const [[, isComplete]] = functionsWithHandler(template, 'index.isComplete');
    const handlerRole = JSON.stringify(isComplete.Properties.Role['Fn::GetAtt'][0]);
    const starts = statementsOfPolicies(template).filter(({ policy, statement }) => JSON.stringify(statement.Action).includes('states:')
      && JSON.stringify(template.toJSON().Resources[policy].Properties.Roles).includes(handlerRole));
    expect(starts).toHaveLength(1);
    expect(starts[0].statement).toEqual({ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: waiterOf(template)!.id } });
    const [association] = Object.values(template.findResources('Custom::OpenSearchPackageAssociation'));
    expect((association as any).DependsOn).toContain(starts[0].policy);
  });

  test('the workflow may invoke its step function and nothing else of the stack', () => {
    const template = Template.fromStack(withAssociation(Duration.hours(3)));
    const role = waiterOf(template)!.resource.Properties.RoleArn['Fn::GetAtt'][0];
    const [[stepId]] = functionsWithHandler(template, 'index.waiterStep');
    const statements = statementsOfPolicies(template).filter(({ policy }) =>
      JSON.stringify(template.toJSON().Resources[policy].Properties.Roles).includes(role)).map(({ statement }) => statement);
    const invoke = statements.filter((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0].Resource)).toContain(stepId);
    const others = statements.filter((statement) => statement.Action !== 'lambda:InvokeFunction').flatMap((statement) => [].concat(statement.Action));
    expect(others.every((action: string) => /^(logs|xray):/.test(action))).toBe(true);
  });

  test('two long associations, a long set and a long package share one waiter', () => {
    const stack = withAssociation(Duration.hours(3), withAssociation(Duration.hours(2)));
    const pkg = new OpenSearchPackage(stack, 'Dictionary', {
      packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(path.join(__dirname, 'fixtures', 'synonyms.txt')), timeout: Duration.hours(1),
    });
    new DomainPackages(stack, 'Set', { domain: importedDomain(stack, 'search-two'), timeout: Duration.hours(4) }).addPackage(pkg);
    const template = Template.fromStack(stack);
    expect(functionsWithHandler(template, 'index.waiterStep')).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::CloudFormation::WaitCondition'))).toHaveLength(4);
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
