/**
 * WaitConditionHandles and WaitConditions as the player plays them: the handle's URL on the
 * CloudFormation emulator's server, signals, the condition's outcome texts, and what its
 * dependents and the rest of the stack see.
 */
import { physicalIdOf, putSignal, untilStatus } from './wait-signals';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { CloudFormationPlayer, CustomResourceHandlers, PlayerOptions, ProgressEvent } from '../../local/cloudformation-player';

const TOKEN = { 'Fn::GetAtt': ['ProviderFramework', 'Arn'] };

/** Handle → Long (an association) → Wait (the condition, Timeout seconds) → After, as lib/ synthesizes a long association. */
function longTemplate(options: { timeout?: string; count?: number; failing?: string } = {}) {
  const association = (packageId: string, dependsOn: string[]) => ({
    Type: 'Custom::OpenSearchPackageAssociation',
    Properties: { ServiceToken: TOKEN, DomainName: 'search-one', PackageID: packageId },
    DependsOn: dependsOn,
  });
  return {
    Resources: {
      ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} },
      Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      Long: association('F1', ['Handle']),
      Wait: {
        Type: 'AWS::CloudFormation::WaitCondition',
        Properties: { Handle: { Ref: 'Handle' }, Timeout: options.timeout ?? '7200', ...(options.count && { Count: options.count }) },
        DependsOn: ['Long'],
      },
      After: association('F2', ['Wait']),
      ...(options.failing && { Other: association(options.failing, ['Handle']) }),
    },
    Outputs: { Data: { Value: { 'Fn::GetAtt': ['Wait', 'Data'] } } },
  };
}

/** Associations that complete at once, but a package id named `failOn` fails after `failAfterMs`; onEvent calls in order. */
function handlers(calls: string[], failOn?: string, failAfterMs = 0): CustomResourceHandlers {
  return {
    async onEvent(event) {
      calls.push(`${event.RequestType} ${event.LogicalResourceId}`);
      if (event.ResourceProperties.PackageID === failOn && event.RequestType === 'Create') {
        await new Promise((resolve) => setTimeout(resolve, failAfterMs));
        throw new Error(`association of ${failOn} failed`);
      }
      return { PhysicalResourceId: `search-one/${event.ResourceProperties.PackageID}` };
    },
    async isComplete() {
      return { IsComplete: true };
    },
  };
}

let emulator: CloudFormationApiEmulator;
const players: CloudFormationPlayer[] = [];

beforeEach(async () => {
  players.length = 0;
  emulator = await CloudFormationApiEmulator.start({ stacks: () => players.map((player) => player.stackView()) });
});

afterEach(() => emulator.close());

function newPlayer(options: Partial<PlayerOptions> & { calls?: string[]; events?: ProgressEvent[] } = {}): CloudFormationPlayer {
  const { calls = [], events = [], ...rest } = options;
  const player = new CloudFormationPlayer({
    handlers: handlers(calls),
    queryIntervalMs: 5,
    stackName: 'Long',
    waitHandles: emulator.waitHandles,
    onProgress: (event) => events.push(event),
    ...rest,
  });
  players.push(player);
  return player;
}

describe('the handle URL', () => {
  test('is the physical id, on the emulator server, and takes a PUT with an empty or no Content-Type only', async () => {
    const player = newPlayer();
    const deployed = player.deploy(longTemplate());
    await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
    const url = physicalIdOf(player, 'Handle');
    expect(url).toMatch(new RegExp(`^${emulator.endpoint}/wait-condition/Long/Handle/[0-9a-f]{24}$`));

    expect(await putSignal(url, { Status: 'SUCCESS', UniqueId: 'a', Data: 'x' }, 'application/json')).toBe(403);
    expect(await putSignal(url, { Status: 'SUCCESS', UniqueId: 'a', Data: 'x' }, 'text/plain')).toBe(403);
    expect(await putSignal(url, 'not json')).toBe(400);
    expect(await putSignal(url, { Status: 'DONE', UniqueId: 'a' })).toBe(400);
    expect(await putSignal(`${url}0`, { Status: 'SUCCESS', UniqueId: 'a' })).toBe(403);
    expect(emulator.waitHandles.signals(url)).toEqual([]);

    expect(await putSignal(url, { Status: 'SUCCESS', UniqueId: 'a', Data: 'x' }, undefined)).toBe(200);
    expect(await putSignal(url, { Status: 'SUCCESS', UniqueId: 'a', Data: 'again' })).toBe(200);
    expect((await deployed).status).toBe('CREATE_COMPLETE');
    expect(emulator.waitHandles.signals(url).map((signal) => [signal.uniqueId, signal.data])).toEqual([['a', 'x']]);
    expect(emulator.waitHandles.requests.map((request) => request.status)).toEqual([403, 403, 400, 400, 403, 200, 200]);
  });
});

describe('a WaitCondition', () => {
  test('completes on a SUCCESS signal: its dependents start only then, and its Data is the signals\' JSON object', async () => {
    const calls: string[] = [];
    const player = newPlayer({ calls });
    const deployed = player.deploy(longTemplate());
    await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['Create Long']);
    expect(player.stackView().status).toBe('CREATE_IN_PROGRESS');

    expect(await putSignal(physicalIdOf(player, 'Handle'), { Status: 'SUCCESS', UniqueId: 'Long-1', Data: '{"version":"v2"}' })).toBe(200);
    const outcome = await deployed;
    expect(outcome.status).toBe('CREATE_COMPLETE');
    expect(calls).toEqual(['Create Long', 'Create After']);
    expect(player.stackView().resources.find((resource) => resource.logicalId === 'Wait')).toMatchObject({ status: 'CREATE_COMPLETE' });
    expect(player.outputs()?.values.get('Data')).toBe(JSON.stringify({ 'Long-1': '{"version":"v2"}' }));
    expect(player.physicalIds.get('Wait')).toMatch(/:stack\/Long\/.*\/Wait$/);
  });

  test('waits for Count SUCCESS signals of distinct UniqueIds', async () => {
    const player = newPlayer();
    const deployed = player.deploy(longTemplate({ count: 2 }));
    await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
    const url = physicalIdOf(player, 'Handle');
    await putSignal(url, { Status: 'SUCCESS', UniqueId: 'one', Data: '1' });
    await putSignal(url, { Status: 'SUCCESS', UniqueId: 'one', Data: '1' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(player.stackView().resources.find((resource) => resource.logicalId === 'Wait')?.status).toBe('CREATE_IN_PROGRESS');
    await putSignal(url, { Status: 'SUCCESS', UniqueId: 'two', Data: '2' });
    expect((await deployed).status).toBe('CREATE_COMPLETE');
  });

  test('a FAILURE signal fails it with CloudFormation\'s text, and the stack rolls back', async () => {
    const events: ProgressEvent[] = [];
    const calls: string[] = [];
    const player = newPlayer({ events, calls });
    const deployed = player.deploy(longTemplate());
    await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
    await putSignal(physicalIdOf(player, 'Handle'), { Status: 'FAILURE', UniqueId: 'Long-1', Reason: 'ASSOCIATION_FAILED: plugin broken' });
    const outcome = await deployed;

    const reason = "WaitCondition received failed message: 'ASSOCIATION_FAILED: plugin broken' for uniqueId: Long-1";
    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(outcome.failures).toEqual([{ logicalId: 'Wait', reason }]);
    expect(events.find((event) => event.logicalId === 'Wait' && event.status === 'CREATE_FAILED')?.reason).toBe(reason);
    expect(events.find((event) => event.status === 'ROLLBACK_IN_PROGRESS')?.reason).toBe('The following resource(s) failed to create: [Wait]. Rollback requested by user.');
    expect(calls).toEqual(['Create Long', 'Delete Long']);
    expect(player.stackView().resources).toEqual([]);
  });

  test('times out after its Timeout on the player\'s scale, with CloudFormation\'s text', async () => {
    const player = newPlayer({ timeoutScale: 0.0001 }); // 1,000 s → 100 ms
    const started = Date.now();
    const outcome = await player.deploy(longTemplate({ timeout: '1000' }));
    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(outcome.failures).toEqual([{ logicalId: 'Wait', reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('is cancelled when another resource fails while it waits', async () => {
    const calls: string[] = [];
    const player = newPlayer({ calls, handlers: handlers(calls, 'F9', 60) });
    const outcome = await player.deploy(longTemplate({ failing: 'F9' }));
    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(outcome.failures).toEqual([
      { logicalId: 'Other', reason: 'association of F9 failed' },
      { logicalId: 'Wait', reason: 'Resource creation cancelled' },
    ]);
    expect(calls).not.toContain('Create After');
  });

  test('signals sent before its Create count by default, and not with earlySignals ignored', async () => {
    for (const earlySignals of ['counts', 'ignored'] as const) {
      const handles = emulator.waitHandles;
      const player = newPlayer({
        stackName: `Early-${earlySignals}`,
        timeoutScale: 0.0001,
        earlySignals,
        // Long signals its own handle before answering, as a waiter that finds the work done at once would.
        handlers: {
          async onEvent(event) {
            const url = handles.all().find((handle) => handle.stackName === `Early-${earlySignals}`)!.url;
            await putSignal(url, { Status: 'SUCCESS', UniqueId: 'early' });
            return { PhysicalResourceId: `search-one/${event.ResourceProperties.PackageID}` };
          },
          isComplete: async () => ({ IsComplete: true }),
        },
      });
      const outcome = await player.deploy(longTemplate({ timeout: '1000' }));
      expect([earlySignals, outcome.status]).toEqual([earlySignals, earlySignals === 'counts' ? 'CREATE_COMPLETE' : 'ROLLBACK_COMPLETE']);
    }
  });

  test('an in-place Update is a no-op by default, and fails with waitConditionUpdate error', async () => {
    for (const waitConditionUpdate of ['noop', 'error'] as const) {
      const player = newPlayer({ stackName: `Update-${waitConditionUpdate}`, waitConditionUpdate });
      const created = player.deploy(longTemplate());
      await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
      await putSignal(physicalIdOf(player, 'Handle'), { Status: 'SUCCESS', UniqueId: 'one' });
      expect((await created).status).toBe('CREATE_COMPLETE');
      const updated = await player.deploy(longTemplate({ timeout: '3600' }));
      expect([waitConditionUpdate, updated.status]).toEqual([waitConditionUpdate, waitConditionUpdate === 'noop' ? 'UPDATE_COMPLETE' : 'UPDATE_ROLLBACK_FAILED']);
      if (waitConditionUpdate === 'error') {
        expect(updated.failures[0].reason).toMatch(/^WaitCondition Wait cannot be updated in place \(player option waitConditionUpdate 'error'\)/);
      }
    }
  });
});

describe('the read API while a condition waits', () => {
  test('lists the handle with its URL and the condition CREATE_IN_PROGRESS, and the stack\'s status', async () => {
    const { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
    const player = newPlayer();
    const deployed = player.deploy(longTemplate());
    await untilStatus(player, 'Wait', 'CREATE_IN_PROGRESS');
    const client = new CloudFormationClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const stackId = player.stackView().stackId;
      const listed = (await client.send(new ListStackResourcesCommand({ StackName: stackId }))).StackResourceSummaries ?? [];
      const [stack] = (await client.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks ?? [];
      const entry = (id: string) => listed.find((resource) => resource.LogicalResourceId === id);
      expect(entry('Handle')).toMatchObject({ ResourceType: 'AWS::CloudFormation::WaitConditionHandle', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: physicalIdOf(player, 'Handle') });
      expect(entry('Wait')).toMatchObject({ ResourceType: 'AWS::CloudFormation::WaitCondition', ResourceStatus: 'CREATE_IN_PROGRESS' });
      expect(entry('After')).toBeUndefined();
      expect(stack.StackStatus).toBe('CREATE_IN_PROGRESS');
      await putSignal(entry('Handle')!.PhysicalResourceId!, { Status: 'SUCCESS', UniqueId: 'one' });
      await deployed;
    } finally {
      client.destroy();
    }
  });
});
