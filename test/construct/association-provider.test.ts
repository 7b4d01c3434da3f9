import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { associationOf, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation } from '../../lib';
import { DOMAIN_ACTIONS } from '../../lib/domain-policy';
import { handlerRuntime } from '../../lib/handler-runtime';

function stackWith(count: number, domains = ['search-one']) {
  const stack = newStack();
  const imported = domains.map((name) => importedDomain(stack, name));
  for (let i = 0; i < count; i++) {
    new DomainPackageAssociation(stack, `Assoc${i}`, { domain: imported[i % imported.length], packageId: `F${i + 1}` });
  }
  return { stack, template: Template.fromStack(stack) };
}

function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);

describe('AssociationProvider', () => {
  test('one provider per stack: the function count does not grow with the associations', () => {
    const counts = [1, 5, 20].map((n) => {
      const { template } = stackWith(n);
      return [
        Object.keys(template.findResources('AWS::Lambda::Function')).length,
        Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).length,
      ];
    });
    // onEvent + isComplete handlers, and the framework's onEvent, isComplete and onTimeout.
    expect(counts).toEqual([[5, 1], [5, 1], [5, 1]]);
  });

  test('every association targets the same service token', () => {
    const { template } = stackWith(3);
    const tokens = Object.values(template.findResources('Custom::OpenSearchPackageAssociation'))
      .map((r: any) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(1);
  });

  test('who gives up first is fixed: the handler (its timeout), then the waiter (58 minutes), then CloudFormation (one hour)', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    new DomainPackageAssociation(stack, 'Longest', { domain, packageId: 'F1', timeout: Duration.minutes(55) });
    const template = Template.fromStack(stack);
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    const retry = /\\"IntervalSeconds\\":(\d+),\\"MaxAttempts\\":(\d+),\\"BackoffRate\\":1/.exec(JSON.stringify(machine.Properties.DefinitionString));
    const waiterSeconds = Number(retry![1]) * Number(retry![2]);
    const { Timeout, ServiceTimeout } = associationOf(stack, 'F1').resource.Properties;

    expect(Number(retry![1])).toBe(10);
    expect(Number(Timeout)).toBe(55 * 60);
    expect(waiterSeconds).toBe(58 * 60);
    expect(Number(ServiceTimeout)).toBe(3600);
    expect(Number(Timeout)).toBeLessThan(waiterSeconds);
    expect(waiterSeconds).toBeLessThan(Number(ServiceTimeout));
  });

  test('handlers: the newest Node.js runtime of the installed aws-cdk-lib, exported handler names, one code asset folder', () => {
    const { template } = stackWith(1);
    for (const handler of ['index.onEvent', 'index.isComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: handler,
        Runtime: handlerRuntime().name,
        Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      });
    }
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    const userCode = functions.filter((f) => f.Properties.Handler.startsWith('index.')).map((f) => f.Properties.Code.S3Key);
    expect(new Set(userCode).size).toBe(1);
  });

  test('package actions only on the targeted domains, one policy per domain, never on *', () => {
    const { template } = stackWith(4, ['search-one', 'search-two']);
    const packageStatements = statements(template).filter((s) => asList(s.Action).some((a: string) => a.startsWith('es:')));

    expect(packageStatements).toHaveLength(2);
    expect(packageStatements.map((s) => s.Action)).toEqual([DOMAIN_ACTIONS, DOMAIN_ACTIONS]);
    expect(packageStatements.map((s) => s.Resource).sort()).toEqual([
      'arn:aws:es:us-east-1:123456789012:domain/search-one',
      'arn:aws:es:us-east-1:123456789012:domain/search-two',
    ]);
    expect(statements(template).filter((s) => asList(s.Resource).includes('*') && asList(s.Action).some((a: string) => a.startsWith('es:'))))
      .toEqual([]);
  });

  test('iam:PassRole only on the key-access roles in use, each once, only to OpenSearch Service', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const role = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/opensearch-key-access');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'pkg-aa', keyStoreAccess: { enabled: true, keyAccessRole: role } });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: 'pkg-bb', keyStoreAccess: { enabled: true, keyAccessRole: role } });
    new DomainPackageAssociation(stack, 'C', { domain, packageId: 'pkg-cc' });

    const passRole = statements(Template.fromStack(stack)).filter((s) => asList(s.Action).includes('iam:PassRole'));
    expect(passRole).toEqual([{
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: 'arn:aws:iam::123456789012:role/opensearch-key-access',
      Condition: { StringEquals: { 'iam:PassedToService': 'es.amazonaws.com' } },
    }]);
  });

  test('key-store access disabled: no role is sent and no PassRole granted, with a warning', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/opensearch-key-access');
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'pkg-aa', keyStoreAccess: { enabled: false, keyAccessRole: role } });

    const template = Template.fromStack(stack);
    expect(statements(template).filter((s) => asList(s.Action).includes('iam:PassRole'))).toEqual([]);
    expect(associationOf(stack, 'pkg-aa').resource.Properties.AssociationConfiguration).toEqual({ KeyStoreAccessOption: { KeyStoreAccessEnabled: false } });
    Annotations.fromStack(stack).hasWarning('/TestStack/A', Match.stringLikeRegexp('keyAccessRole is not sent while keyStoreAccess.enabled is false'));
  });

  test('the handler role may write its logs, manage packages and pass key-access roles, and nothing else', () => {
    const stack = newStack();
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/opensearch-key-access');
    new DomainPackageAssociation(stack, 'A', {
      domain: importedDomain(stack, 'search-one'), packageId: 'pkg-aa', keyStoreAccess: { enabled: true, keyAccessRole },
    });
    const template = Template.fromStack(stack);
    const [handlerRole] = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.includes('HandlerRole'));
    const handlerPolicies = Object.values(template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: handlerRole }] },
    })) as any[];
    const [logGroup] = Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => !id.includes('Waiter'));
    const grants = handlerPolicies.flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: any) => asList(s.Action).map((action: string) => `${action} on ${JSON.stringify(s.Resource)}`));

    expect(grants.sort()).toEqual([
      'cloudformation:DescribeStacks on {"Ref":"AWS::StackId"}',
      'cloudformation:ListStackResources on {"Ref":"AWS::StackId"}',
      'es:AssociatePackage on "arn:aws:es:us-east-1:123456789012:domain/search-one"',
      'es:DescribeDomain on "arn:aws:es:us-east-1:123456789012:domain/search-one"',
      'es:DissociatePackage on "arn:aws:es:us-east-1:123456789012:domain/search-one"',
      'es:ListPackagesForDomain on "arn:aws:es:us-east-1:123456789012:domain/search-one"',
      'iam:PassRole on "arn:aws:iam::123456789012:role/opensearch-key-access"',
      `logs:CreateLogStream on {"Fn::GetAtt":["${logGroup}","Arn"]}`,
      `logs:PutLogEvents on {"Fn::GetAtt":["${logGroup}","Arn"]}`,
    ]);
  });

  test('log groups have a retention period, and the waiter logs without execution data', () => {
    const { template } = stackWith(1);
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    expect(logGroups.length).toBeGreaterThan(0);
    expect(logGroups.every((group) => group.Properties.RetentionInDays === 30)).toBe(true);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(functions.every((f) => f.Properties.LoggingConfig?.LogGroup)).toBe(true);
  });

  test('no role carries a managed policy', () => {
    const { template } = stackWith(1);
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as any[];
    expect(roles.filter((role) => role.Properties.ManagedPolicyArns)).toEqual([]);
  });
});
