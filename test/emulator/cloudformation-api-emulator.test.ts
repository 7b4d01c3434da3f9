/**
 * The CloudFormation emulator through the real SDK client, configured as the handler's is: the
 * default configuration, with the endpoint, region and credentials from the environment.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  paginateListStackResources,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudFormationApiEmulator, CloudFormationEmulatorOptions, StackResourceView, StackView } from '../../emulator/cloudformation-api-emulator';

const ASSOCIATION = 'Custom::OpenSearchPackageAssociation';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Packages/11111111-2222-4333-8444-555555555555';
const ENVIRONMENT: Record<string, string> = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

type SdkError = Error & { $metadata: { httpStatusCode?: number; attempts?: number } };

let emulator: CloudFormationApiEmulator;
let client: CloudFormationClient;
let stacks: StackView[];
let savedEnvironment: Record<string, string | undefined>;

function resource(logicalId: string, status: string, physicalId?: string, type = ASSOCIATION): StackResourceView {
  return { logicalId, type, status, ...(physicalId !== undefined && { physicalId }) };
}

function stack(resources: StackResourceView[], extra: Partial<StackView> = {}): StackView {
  return { stackId: STACK_ID, stackName: 'Packages', status: 'CREATE_IN_PROGRESS', resources, ...extra };
}

/** Serves `stacks`, which a test may replace between calls: the source is read at each request. */
async function startEmulator(initial: StackView[], options: Partial<CloudFormationEmulatorOptions> = {}): Promise<void> {
  stacks = initial;
  emulator = await CloudFormationApiEmulator.start({ stacks: () => stacks, ...options });
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = emulator.endpoint;
  client = new CloudFormationClient({});
}

beforeAll(() => {
  savedEnvironment = Object.fromEntries([...Object.keys(ENVIRONMENT), 'AWS_ENDPOINT_URL_CLOUDFORMATION'].map((key) => [key, process.env[key]]));
  Object.assign(process.env, ENVIRONMENT);
});

afterAll(() => {
  for (const [key, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = value;
    }
  }
});

afterEach(async () => {
  client?.destroy();
  await emulator?.close();
});

const listResources = (stackName = STACK_ID) => client.send(new ListStackResourcesCommand({ StackName: stackName }));
const describeStack = async (stackName: string) => (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];

async function allResources(stackName = STACK_ID): Promise<StackResourceSummary[]> {
  const summaries: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client }, { StackName: stackName })) {
    summaries.push(...(page.StackResourceSummaries ?? []));
  }
  return summaries;
}

async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

test('ListStackResources: logical id, type, status, physical id once the create completed', async () => {
  await startEmulator([stack([
    resource('Synonyms', 'CREATE_IN_PROGRESS'),
    resource('Plugin', 'CREATE_COMPLETE', 'search-example/pkg-0a1b'),
    resource('Handler', 'CREATE_COMPLETE', 'Handler', 'AWS::Lambda::Function'),
  ])]);

  const output = await listResources();

  expect(output.NextToken).toBeUndefined();
  // Sorted by logical id, like every page.
  expect(output.StackResourceSummaries).toEqual([
    expect.objectContaining({ LogicalResourceId: 'Handler', PhysicalResourceId: 'Handler', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE' }),
    expect.objectContaining({ LogicalResourceId: 'Plugin', PhysicalResourceId: 'search-example/pkg-0a1b', ResourceType: ASSOCIATION, ResourceStatus: 'CREATE_COMPLETE' }),
    expect.objectContaining({ LogicalResourceId: 'Synonyms', ResourceType: ASSOCIATION, ResourceStatus: 'CREATE_IN_PROGRESS' }),
  ]);
  const inProgress = output.StackResourceSummaries![2];
  expect(inProgress).not.toHaveProperty('PhysicalResourceId');
  expect(inProgress.LastUpdatedTimestamp).toBeInstanceOf(Date);
  expect(inProgress.DriftInformation?.StackResourceDriftStatus).toBe('NOT_CHECKED');
});

test('the source is read at each request; an empty or one-entry list keeps its shape; XML is escaped', async () => {
  await startEmulator([stack([])]);
  expect((await listResources()).StackResourceSummaries).toEqual([]);

  stacks = [stack([resource('Odd', 'UPDATE_COMPLETE', 'a<b>&"c\'')])];

  expect((await listResources()).StackResourceSummaries).toEqual([
    expect.objectContaining({ LogicalResourceId: 'Odd', PhysicalResourceId: 'a<b>&"c\'', ResourceStatus: 'UPDATE_COMPLETE' }),
  ]);
});

test('pagination: 250 resources come in pages of 100, 100 and 50, each once', async () => {
  const ids = Array.from({ length: 250 }, (_, index) => `Association${String(index).padStart(3, '0')}`);
  await startEmulator([stack(ids.map((id) => resource(id, 'CREATE_COMPLETE', `search-example/${id}`)))]);

  const summaries = await allResources();

  expect(summaries.map((summary) => summary.LogicalResourceId)).toEqual(ids);
  expect(emulator.requests.map((request) => request.nextToken === undefined)).toEqual([true, false, false]);
  expect(emulator.count('ListStackResources')).toBe(3);
});

test('pagination with a smaller page size; a resource deleted between pages skips none of the others', async () => {
  await startEmulator([stack(['A', 'B', 'C', 'D', 'E'].map((id) => resource(id, 'CREATE_COMPLETE', id)))], { pageSize: 2 });

  const first = await listResources();
  stacks = [stack(['A', 'C', 'D', 'E'].map((id) => resource(id, 'CREATE_COMPLETE', id)))];
  const second = await client.send(new ListStackResourcesCommand({ StackName: STACK_ID, NextToken: first.NextToken }));

  expect(first.StackResourceSummaries?.map((summary) => summary.LogicalResourceId)).toEqual(['A', 'B']);
  expect(second.StackResourceSummaries?.map((summary) => summary.LogicalResourceId)).toEqual(['C', 'D']);
  expect(second.NextToken).toBeDefined();
  const invalid = await failure(client.send(new ListStackResourcesCommand({ StackName: STACK_ID, NextToken: 'not-a-token' })));
  expect(invalid.name).toBe('ValidationError');
});

test('DescribeStacks finds the stack by name or by id', async () => {
  await startEmulator([stack([], { status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' })]);

  const byName = await describeStack('Packages');
  const byId = await describeStack(STACK_ID);

  expect(byName).toEqual([expect.objectContaining({ StackId: STACK_ID, StackName: 'Packages', StackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' })]);
  expect(byName[0].CreationTime).toBeInstanceOf(Date);
  expect(byId).toEqual(byName);
  expect((await listResources('Packages')).StackResourceSummaries).toEqual([]);
});

test('a deleted stack is found by its id only; its name finds the stack that replaced it', async () => {
  const newId = STACK_ID.replace(/[0-9a-f-]{36}$/, '99999999-2222-4333-8444-555555555555');
  await startEmulator([stack([], { status: 'DELETE_COMPLETE' }), stack([], { stackId: newId, status: 'CREATE_IN_PROGRESS' })]);

  expect((await describeStack(STACK_ID))[0].StackStatus).toBe('DELETE_COMPLETE');
  expect((await describeStack('Packages'))[0].StackId).toBe(newId);

  stacks = [stack([], { status: 'DELETE_COMPLETE' })];
  const error = await failure(describeStack('Packages'));
  expect(error.message).toBe('Stack with id Packages does not exist');
});

test('an unknown stack: ValidationError "Stack with id X does not exist", HTTP 400, for both actions', async () => {
  await startEmulator([stack([])]);
  const unknown = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/00000000-0000-4000-8000-000000000000';

  for (const call of [listResources, describeStack]) {
    const error = await failure(call(unknown));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(`Stack with id ${unknown} does not exist`);
    expect(error.$metadata.httpStatusCode).toBe(400);
  }
  expect(emulator.requests.map((request) => request.errorCode)).toEqual(['ValidationError', 'ValidationError']);
});

test('Throttling and InternalFailure are retried by the SDK, which then succeeds', async () => {
  await startEmulator([stack([resource('Synonyms', 'CREATE_IN_PROGRESS')])]);
  emulator.failNext('throttling', { action: 'ListStackResources' });
  emulator.failNext('internal');

  const output = await listResources();

  expect(output.StackResourceSummaries).toHaveLength(1);
  expect(output.$metadata.attempts).toBe(3);
  expect(emulator.requests).toEqual([
    { action: 'ListStackResources', stackName: STACK_ID, status: 400, errorCode: 'Throttling', fault: 'throttling' },
    { action: 'ListStackResources', stackName: STACK_ID, status: 500, errorCode: 'InternalFailure', fault: 'internal' },
    { action: 'ListStackResources', stackName: STACK_ID, status: 200 },
  ]);
}, 15_000);

test('a fault scripted for one action leaves the other alone', async () => {
  await startEmulator([stack([])]);
  emulator.failNext('denied', { action: 'ListStackResources', count: 2 });

  await describeStack('Packages');
  expect((await failure(listResources())).name).toBe('AccessDenied');
  expect((await failure(listResources())).name).toBe('AccessDenied');
  await listResources();

  expect(emulator.requests.map((request) => `${request.action} ${request.status}`))
    .toEqual(['DescribeStacks 200', 'ListStackResources 403', 'ListStackResources 403', 'ListStackResources 200']);
});

test('AccessDenied: HTTP 403, not retried, naming the action and the stack', async () => {
  await startEmulator([stack([])]);
  emulator.denyAll(true);

  const error = await failure(listResources('Packages'));

  expect(error.name).toBe('AccessDenied');
  expect(error.$metadata).toMatchObject({ httpStatusCode: 403, attempts: 1 });
  expect(error.message).toMatch(new RegExp(`^User: \\S+ is not authorized to perform: cloudformation:ListStackResources on resource: ${STACK_ID.replace(/\//g, '\\/')}`));

  emulator.denyAll(false);
  await expect(describeStack('Packages')).resolves.toHaveLength(1);
  expect(emulator.count('ListStackResources')).toBe(1);
  expect(emulator.count('DescribeStacks')).toBe(1);
});

test('requests the emulator does not serve: InvalidAction, or ValidationError without StackName', async () => {
  await startEmulator([stack([])]);
  const post = (body: string) => fetch(emulator.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  const unknownAction = await post('Action=CreateStack&Version=2010-05-15&StackName=Packages');
  const noStackName = await post('Action=ListStackResources&Version=2010-05-15');

  expect(unknownAction.status).toBe(400);
  expect(await unknownAction.text()).toContain('<Error><Type>Sender</Type><Code>InvalidAction</Code>');
  expect(noStackName.status).toBe(400);
  expect(await noStackName.text()).toContain('<Code>ValidationError</Code>');
  expect(emulator.requests.map((request) => request.errorCode)).toEqual(['InvalidAction', 'ValidationError']);
});

test('close() ends the SDK\'s keep-alive connections and frees the port', async () => {
  await startEmulator([stack([])]);
  await listResources();

  await emulator.close();

  await expect(fetch(emulator.endpoint, { method: 'POST' })).rejects.toThrow();
});
