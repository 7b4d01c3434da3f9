/**
 * The CloudFormation player's own semantics, with fake handlers: what it sends, in which
 * order, and how the provider framework's rules (timeout, Data, physical ids) apply.
 */
import { CloudFormationPlayer, CustomResourceHandlers, ProgressEvent } from '../../local/cloudformation-player';

const TYPE = 'Custom::OpenSearchPackageAssociation';
const TOKEN = { 'Fn::GetAtt': ['ProviderFramework', 'Arn'] };

function association(domain: unknown, packageId: string, extra: Record<string, unknown> = {}, dependsOn?: string[]) {
  return { Type: TYPE, Properties: { ServiceToken: TOKEN, DomainName: domain, PackageID: packageId, ...extra }, ...(dependsOn && { DependsOn: dependsOn }) };
}

function template(resources: Record<string, unknown>) {
  return { Resources: { ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} }, ...resources } };
}

/** Handlers whose associations take `polls` isComplete calls; physical id = domain/package. */
function fakeHandlers(options: { polls?: number; failOn?: string } = {}) {
  const calls: Array<{ kind: string; event: any; at: number }> = [];
  const started = Date.now();
  const handlers: CustomResourceHandlers = {
    async onEvent(event) {
      calls.push({ kind: 'onEvent', event, at: Date.now() - started });
      return { PhysicalResourceId: `${event.ResourceProperties.DomainName}/${event.ResourceProperties.PackageID}`, Count: 0 };
    },
    async isComplete(event) {
      calls.push({ kind: 'isComplete', event, at: Date.now() - started });
      if (event.ResourceProperties.PackageID === options.failOn && event.RequestType === 'Create') {
        throw new Error(`ASSOCIATION_FAILED: ${options.failOn}`);
      }
      if (event.RequestType === 'Delete') {
        return { IsComplete: true };
      }
      const seen = calls.filter((call) => call.kind === 'isComplete' && call.event.RequestId === event.RequestId).length;
      return seen >= (options.polls ?? 1) ? { IsComplete: true, Data: { PackageName: `name-${event.ResourceProperties.PackageID}` } } : { IsComplete: false };
    },
  };
  return { handlers, calls };
}

test('properties are resolved and every scalar becomes a string, as CloudFormation sends them', async () => {
  const { handlers, calls } = fakeHandlers();
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10, stackName: 'Resolve' });

  await player.deploy({
    Parameters: { Suffix: { Type: 'String', Default: 'one' } },
    Resources: {
      ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      First: association({ 'Fn::Join': ['-', ['search', { Ref: 'Suffix' }]] }, 'F1', {
        AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
        Extra: { 'Fn::Sub': '${AWS::Region}/${AWS::AccountId}/${AWS::Partition}/${AWS::URLSuffix}' },
        Count: 42,
        Picked: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
        Gone: { Ref: 'AWS::NoValue' },
      }),
      Second: association('search-one', 'F2', { After: { 'Fn::GetAtt': ['First', 'PackageName'] } }),
    },
  });

  const first = calls.find((call) => call.event.LogicalResourceId === 'First')!.event;
  expect(first.ResourceProperties).toEqual({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:ProviderFramework',
    DomainName: 'search-one',
    PackageID: 'F1',
    AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/Role' } },
    Extra: 'us-east-1/123456789012/aws/amazonaws.com',
    Count: '42',
    Picked: 'b',
  });
  // A GetAtt of another association is its Data, and makes it a dependency.
  const second = calls.find((call) => call.event.LogicalResourceId === 'Second')!;
  expect(second.event.ResourceProperties.After).toBe('name-F1');
  expect(calls.findIndex((call) => call === second)).toBeGreaterThan(calls.findIndex((call) => call.kind === 'isComplete' && call.event.LogicalResourceId === 'First'));
});

test('isComplete gets the onEvent answer merged in, at once and then every query interval', async () => {
  const { handlers, calls } = fakeHandlers({ polls: 3 });
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 200 });

  await player.deploy(template({ A: association('search-one', 'F1') }));

  const polls = calls.filter((call) => call.kind === 'isComplete');
  expect(polls).toHaveLength(3);
  expect(polls[0].event).toMatchObject({ RequestType: 'Create', PhysicalResourceId: 'search-one/F1', Count: 0 });
  expect(polls[0].at - calls[0].at).toBeLessThan(150); // not after a first interval
  expect(polls[2].at - polls[1].at).toBeGreaterThanOrEqual(195);
});

test('independent resources run at once; DependsOn waits; delete runs in reverse', async () => {
  const { handlers, calls } = fakeHandlers({ polls: 2 });
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 30 });

  await player.deploy(template({
    A: association('search-one', 'F1'),
    B: association('search-one', 'F2', {}, ['A']),
    C: association('search-two', 'F3'),
  }));
  await player.destroy();

  const order = (type: string) => calls.filter((call) => call.kind === 'onEvent' && call.event.RequestType === type).map((call) => call.event.LogicalResourceId);
  expect(order('Create').slice(0, 2).sort()).toEqual(['A', 'C']);
  expect(order('Create')[2]).toBe('B');
  expect(order('Delete').indexOf('B')).toBeLessThan(order('Delete').indexOf('A'));
});

test('totalTimeout fails the resource with "Operation timed out" and rolls back', async () => {
  const { handlers } = fakeHandlers({ polls: 1000 });
  const progress: ProgressEvent[] = [];
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10, totalTimeoutMs: 50, onProgress: (event) => progress.push(event) });

  const outcome = await player.deploy(template({ A: association('search-one', 'F1') }));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{ logicalId: 'A', reason: 'Operation timed out' }]);
  expect(progress.filter((event) => event.logicalId === 'A').map((event) => event.status))
    .toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
});

test('provider framework rules: Data with IsComplete false fails; a Create that failed in onEvent gets no Delete call', async () => {
  const calls: string[] = [];
  const player = new CloudFormationPlayer({
    queryIntervalMs: 10,
    handlers: {
      async onEvent(event) {
        calls.push(`${event.RequestType} ${event.LogicalResourceId}`);
        if (event.LogicalResourceId === 'Invalid') {
          throw new Error('InvalidProperty: PackageID');
        }
        return { PhysicalResourceId: event.LogicalResourceId };
      },
      async isComplete(event) {
        return event.RequestType === 'Delete' ? { IsComplete: true } : { IsComplete: false, Data: { Too: 'early' } };
      },
    },
  });

  const outcome = await player.deploy(template({ Invalid: association('search-one', 'F1'), Early: association('search-two', 'F2') }));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual(expect.arrayContaining([
    { logicalId: 'Invalid', reason: 'InvalidProperty: PackageID' },
    { logicalId: 'Early', reason: '"Data" is not allowed if "IsComplete" is "False"' },
  ]));
  expect(calls.filter((call) => call.startsWith('Delete'))).toEqual(['Delete Early']);
});
