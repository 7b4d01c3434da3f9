/**
 * What a handler sees when it reads its stack during a local deploy: the player's live view,
 * served by the CloudFormation emulator, read through the real SDK client with its default
 * configuration in the Lambda environment deploy:local builds (AWS_ENDPOINT_URL_CLOUDFORMATION).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { CloudFormationPlayer, CustomResourceHandlers } from '../../local/cloudformation-player';
import { withLambdaEnvironment } from '../../local/lambda-environment';

const TYPE = 'Custom::OpenSearchPackageAssociation';

function template(associations: Record<string, string>) {
  const resources = Object.fromEntries(Object.entries(associations).map(([logicalId, packageId]) => [logicalId, {
    Type: TYPE,
    Properties: { ServiceToken: { 'Fn::GetAtt': ['ProviderFramework', 'Arn'] }, DomainName: 'search-one', PackageID: packageId },
  }]));
  return { Resources: { ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} }, ...resources } };
}

interface StackRead {
  readonly request: string;
  readonly stackStatus?: string;
  /** `logicalId STATUS physicalId` of every listed resource, sorted. */
  readonly resources: string[];
}

/** Handlers whose onEvent reads the stack, as the handler does before dissociating on a Delete. */
function readingHandlers(reads: StackRead[]): CustomResourceHandlers {
  return {
    async onEvent(event) {
      const client = new CloudFormationClient({});
      try {
        const resources: string[] = [];
        for await (const page of paginateListStackResources({ client }, { StackName: event.StackId })) {
          resources.push(...(page.StackResourceSummaries ?? []).map((r) => `${r.LogicalResourceId} ${r.ResourceStatus} ${r.PhysicalResourceId ?? '-'}`));
        }
        const [stack] = (await client.send(new DescribeStacksCommand({ StackName: event.StackId }))).Stacks ?? [];
        reads.push({ request: `${event.RequestType} ${event.LogicalResourceId}`, stackStatus: stack?.StackStatus, resources: resources.sort() });
      } finally {
        client.destroy();
      }
      return { PhysicalResourceId: `search-one/${event.ResourceProperties.PackageID}` };
    },
    async isComplete() {
      return { IsComplete: true };
    },
  };
}

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-reads-'));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test('a rename: the Delete of the old logical id sees the cleanup phase and the new logical id CREATE_COMPLETE', async () => {
  const reads: StackRead[] = [];
  const players: CloudFormationPlayer[] = [];
  const emulator = await CloudFormationApiEmulator.start({ stacks: () => players.map((player) => player.stackView()) });
  const player = new CloudFormationPlayer({ handlers: readingHandlers(reads), queryIntervalMs: 10, stackName: 'Renamed' });
  players.push(player, new CloudFormationPlayer({ handlers: readingHandlers([]), queryIntervalMs: 10, stackName: 'Unrelated' }));
  try {
    const endpoints = { opensearch: 'http://127.0.0.1:9', cloudFormation: emulator.endpoint };
    await withLambdaEnvironment(endpoints, path.join(workDir, 'handler.log'), async () => {
      await player.deploy(template({ Synonyms: 'F1' }));
      await player.deploy(template({ Dictionary: 'F1' }));
    });
  } finally {
    await emulator.close();
  }

  expect(reads).toEqual([
    { request: 'Create Synonyms', stackStatus: 'CREATE_IN_PROGRESS', resources: ['ProviderFramework CREATE_COMPLETE ProviderFramework', 'Synonyms CREATE_IN_PROGRESS -'] },
    {
      request: 'Create Dictionary',
      stackStatus: 'UPDATE_IN_PROGRESS',
      resources: ['Dictionary CREATE_IN_PROGRESS -', 'ProviderFramework CREATE_COMPLETE ProviderFramework', 'Synonyms CREATE_COMPLETE search-one/F1'],
    },
    {
      request: 'Delete Synonyms',
      stackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      resources: ['Dictionary CREATE_COMPLETE search-one/F1', 'ProviderFramework CREATE_COMPLETE ProviderFramework', 'Synonyms DELETE_IN_PROGRESS search-one/F1'],
    },
  ]);
  expect(emulator.requests.every((request) => request.status === 200)).toBe(true);
});
