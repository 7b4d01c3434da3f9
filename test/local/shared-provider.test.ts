/**
 * deploy:local on an app whose stacks share one provider (PackagesProvider.useProviderOf): the consumer's resources
 * run through the provider of `Shared` (their ServiceToken an Fn::ImportValue), each request names the consumer's
 * own stack, which the handler reads before it removes anything, and the provider's stack, whose exports the
 * consumer imports, deploys first and is deleted last.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newApp, synthesize } from './assemblies';
import { runCli } from './cli-run';
import { EXAMPLE_SYNONYMS_FILE } from '../../bin/example-stack';
import { OpenSearchPackage, PackageSource, PackageType, PackagesProvider } from '../../lib';
import type { RunResult } from '../../local/deploy-local';

jest.setTimeout(30_000);

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-provider-'));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** `Shared` holds the provider and nothing else of the library; `Consumer` a dictionary associated with its domain. */
function sharedApp(name: string): string {
  const app = newApp(path.join(workDir, name));
  const shared = new Stack(app, 'Shared');
  const consumer = new Stack(app, 'Consumer');
  PackagesProvider.useProviderOf(consumer, shared);
  const domain = opensearch.Domain.fromDomainAttributes(consumer, 'Domain', {
    domainArn: consumer.formatArn({ service: 'es', resource: 'domain', resourceName: 'search-consumer' }),
    domainEndpoint: 'https://search-consumer.example.com',
  });
  new OpenSearchPackage(consumer, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(EXAMPLE_SYNONYMS_FILE) })
    .associateWith(domain);
  return synthesize(app).directory;
}

const operations = (result: RunResult) => result.operations.map((op) => `${op.action} ${op.stackName} ${op.outcome.status}`);

test('the consumer runs through the shared provider: created after the provider\'s stack, destroyed before it, reading its own stack', async () => {
  const app = sharedApp('shared.out');
  const consumerTemplate = JSON.stringify(JSON.parse(fs.readFileSync(path.join(app, 'Consumer.template.json'), 'utf8')));
  expect(consumerTemplate).toMatch(/"ServiceToken":\{"Fn::ImportValue":"Shared:ExportsOutputFnGetAtt/);
  expect(consumerTemplate).not.toContain('AWS::Lambda::Function');

  const { result } = await runCli(workDir, ['--app', app, '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(operations(result)).toEqual([
    'create Shared CREATE_COMPLETE',
    'create Consumer CREATE_COMPLETE',
    'destroy Consumer DELETE_COMPLETE',
    'destroy Shared DELETE_COMPLETE',
  ]);
  const destroyConsumer = result.operations[2];
  expect(destroyConsumer.requests).toMatchObject({ DissociatePackage: 1, DeletePackage: 1 });
  // Before dissociating, the handler read the stack its request names: the consumer's, not the provider's.
  expect(destroyConsumer.cloudFormationRequests.ListStackResources).toBeGreaterThanOrEqual(1);
  expect(result.operations[3].cloudFormationRequests).toEqual({});
  expect(result.associations['search-consumer']).toEqual([]);
});
