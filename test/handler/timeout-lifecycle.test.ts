/**
 * The operation's timeout and the refusals that waiting cannot mend, seen from the whole stack:
 * synthesized with the real construct, played by the local CloudFormation player with the
 * handler source (lambda/) talking HTTP to the packages-API emulator, as in
 * stack-lifecycle.test.ts. The player scales the construct's `timeout` to seconds (timeoutScale).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { pointSdkAt } from './handler-harness';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { PackagesApiEmulator, RecordedRequest } from '../../emulator/packages-api-emulator';
import * as handler from '../../lambda';
import { DomainPackageAssociation } from '../../lib';
import { CloudFormationPlayer, ProgressEvent } from '../../local/cloudformation-player';

jest.setTimeout(15_000);

const DOMAIN = 'search-one';
/**
 * Polls far apart from the 1-second timeout: the poll before it ends its writes long before it
 * passes and the next one comes long after, so that "no write reaches the emulator after the
 * timeout" cannot be decided by a request still on its way.
 */
const QUERY_INTERVAL_MS = 400;
/** The construct's shortest timeout, 1 minute, played as 1 second (60 s x 0.01 = 0.6, rounded up). */
const TIMEOUT_SCALE = 0.01;

let template: unknown;
let logicalIds: Map<string, string>;
beforeAll(() => {
  const stack = new Stack(new App(), 'Timeouts');
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`,
    domainEndpoint: `https://search-${DOMAIN}-abc.us-east-1.es.amazonaws.com`,
  });
  // One domain: the construct orders them, Stopwords after Synonyms.
  new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F111', timeout: Duration.minutes(1) });
  new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F222', timeout: Duration.minutes(1) });
  template = Template.fromStack(stack).toJSON();
  logicalIds = new Map(Object.entries((template as any).Resources as Record<string, any>)
    .filter(([, resource]) => resource.Properties?.PackageID !== undefined)
    .map(([logicalId, resource]) => [resource.Properties.PackageID, logicalId]));
}, 30_000);

let emulator: PackagesApiEmulator;
let cloudFormation: CloudFormationApiEmulator;
let player: CloudFormationPlayer | undefined;
/** Each onEvent call: its event and answer (StartedAt: when the operation's timeout started). */
let started: Array<{ event: any; answer: any }>;
/** Each isComplete call's event (a poll of the provider's waiter). */
let polled: any[];
let progress: Array<ProgressEvent & { at: number }>;

beforeEach(async () => {
  emulator = await PackagesApiEmulator.start({
    domains: [DOMAIN],
    packages: [{ id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' }, { id: 'F222', name: 'stopwords', type: 'TXT-DICTIONARY' }],
    associationMs: 150,
    dissociationMs: 100,
  });
  cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => (player ? [player.stackView()] : []) });
  pointSdkAt(emulator, cloudFormation);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  started = [];
  polled = [];
  progress = [];
});

afterEach(async () => {
  player = undefined;
  jest.restoreAllMocks();
  await Promise.all([emulator.close(), cloudFormation.close()]);
});

/** The stack's player; the handler reads the stack as it shows it. */
function newPlayer(timeoutScale?: number): CloudFormationPlayer {
  player = new CloudFormationPlayer({
    handlers: {
      onEvent: async (event) => {
        const answer = await handler.onEvent(event);
        started.push({ event, answer });
        return answer;
      },
      isComplete: (event) => {
        polled.push(event);
        return handler.isComplete(event);
      },
    },
    queryIntervalMs: QUERY_INTERVAL_MS,
    // Longer than the handler's scaled timeout: the handler gives up first, as with the real provider.
    totalTimeoutMs: 5_000,
    stackName: 'Timeouts',
    timeoutScale,
    onProgress: (event) => progress.push({ ...event, at: Date.now() }),
  });
  return player;
}

const writes = (): RecordedRequest[] => emulator.requests.filter((r) => r.operation === 'AssociatePackage' || r.operation === 'DissociatePackage');
const reached = (status: string) => progress.some((event) => event.status === status);
const state = () => emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`);

test('a domain busy for longer than the timeout: the handler\'s Timeout, a rollback, and no write', async () => {
  emulator.startForeignOperation(DOMAIN, 'pkg-other', 60_000);

  const outcome = await newPlayer(TIMEOUT_SCALE).deploy(template);
  const requestsAtEnd = emulator.requests.length;

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{
    logicalId: logicalIds.get('F111'),
    reason: `Timeout: domain ${DOMAIN} still busy after 1 second (in flight: domain Modifying) (domain ${DOMAIN}, package F111)`,
  }]);
  const [create] = started;
  expect(create.event).toMatchObject({ RequestType: 'Create', ResourceProperties: { PackageID: 'F111', Timeout: '1' } });
  // No write at all: each attempt read the domain busy first, and the rollback's Delete found the pair not listed.
  const timeoutAt = Date.parse(create.answer.StartedAt) + 1_000;
  expect(writes()).toEqual([]);
  expect(emulator.requests.filter((r) => r.operation === 'DescribeDomain' && r.time < timeoutAt).length).toBeGreaterThan(0);
  expect(reached('ROLLBACK_IN_PROGRESS')).toBe(true);
  // Stopwords, after Synonyms on the domain, never started.
  expect(emulator.requests.filter((r) => r.packageId === 'F222')).toEqual([]);
  expect(state()).toEqual([]);
  expect(player!.physicalIds.size).toBe(0);

  // Nothing keeps polling once the rollback is over, though the domain is still busy.
  await sleep(3 * QUERY_INTERVAL_MS);
  expect(emulator.requests.length).toBe(requestsAtEnd);
});

test('a Delete refused with a conflict while nothing is in flight and nothing changes fails within its onEvent, with the service\'s message: DELETE_FAILED', async () => {
  const deployer = newPlayer(); // the Timeout as synthesized: 60 seconds
  expect((await deployer.deploy(template)).status).toBe('CREATE_COMPLETE');
  emulator.markInUse(DOMAIN, 'F111', true, { answer: 'conflict' });
  const dissociationsBefore = emulator.count('DissociatePackage');
  progress = [];

  const outcome = await deployer.destroy();

  expect(outcome.status).toBe('DELETE_FAILED');
  expect(outcome.failures).toEqual([{
    logicalId: logicalIds.get('F111'),
    reason: 'ConflictException: Package F111 is in use by index products and cannot be dissociated '
      + '(refused 6 times in 15 seconds while nothing was in flight on the domain and nothing on it changed, so waiting would not help; '
      + 'likely cause: an index still uses the package. Remove it from the index settings, then delete again; after an update (the stack ended '
      + `UPDATE_COMPLETE, and CloudFormation does not retry its cleanup) dissociate it by hand: aws opensearch dissociate-packages --domain-name ${DOMAIN} `
      + `--package-list F111) (domain ${DOMAIN}, package F111)`,
  }]);
  // Stopwords (deleted first, in reverse order) is gone; Synonyms stays, and stays the stack's.
  expect(state()).toEqual(['F111:ACTIVE']);
  expect([...deployer.physicalIds.keys()]).toEqual([logicalIds.get('F111')]);
  // onEvent's spaced attempts, then the failure: no poll, no waiting for the 60-second timeout.
  expect(emulator.count('DissociatePackage', { packageId: 'F111' })).toBe(6);
  expect(emulator.count('DissociatePackage') - dissociationsBefore).toBe(7);
  const synonyms = progress.filter((event) => event.logicalId === logicalIds.get('F111'));
  expect(synonyms.map((event) => event.status)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_FAILED']);
  expect(polled.filter((event) => event.RequestType === 'Delete' && event.LogicalResourceId === logicalIds.get('F111'))).toEqual([]);
  expect(progress[progress.length - 1]).toMatchObject({ logicalId: 'Timeouts', status: 'DELETE_FAILED' });
}, 40_000);
