/**
 * Issue 20's scenarios, played by the local player with the real handler and waiter on a clock
 * 2,000 times faster (an hour is 1.8 s): a 3-hour blue/green completes; a failure after 2 hours
 * rolls back cleanly; a stack that is deleted (its create rolled back) during a long association
 * leaves nothing of itself on the domain once the waiter has finished, and the waiter removes itself.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newApp, synthesize } from './assemblies';
import { idOf, LEFT_AFTER_CLEAN_UP, LongWaitWorld, retainedNames } from './long-wait-world';
import { DomainPackageAssociation } from '../../lib';
import type { ProgressEvent } from '../../local/cloudformation-player';

const SCALE = 5e-4;
/** Real milliseconds of `hours` on the scaled clock. */
const scaled = (hours: number) => hours * 3600_000 * SCALE;

const PLUGIN = 'pkg-a1';
const DICTIONARY = 'F111';
const BROKEN = 'F999';

let current: LongWaitWorld | undefined;

/** Two domains; a dictionary's association takes `dictionaryHours`, a plugin's blue/green `blueGreenHours`. */
async function startWorld(blueGreenHours: number, dictionaryHours = 0.05): Promise<LongWaitWorld> {
  current = await LongWaitWorld.start({
    domains: ['one', 'two'],
    packages: [
      { id: PLUGIN, name: 'my-plugin', type: 'ZIP-PLUGIN' },
      { id: DICTIONARY, name: 'synonyms', type: 'TXT-DICTIONARY' },
      { id: BROKEN, name: 'broken', type: 'TXT-DICTIONARY' },
    ],
    associationMs: scaled(dictionaryHours),
    dissociationMs: scaled(0.05),
    blueGreenMs: scaled(blueGreenHours),
  });
  return current;
}

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await current?.close();
  current = undefined;
});

interface Version {
  /** The dictionary, short, on domain one. */
  readonly dictionary?: boolean;
  /** The plugin, with a 4-hour timeout, on domain one. */
  readonly plugin?: boolean;
  /** A dictionary on domain two that fails to associate (its own, short, timeout). */
  readonly broken?: boolean;
}

function template(version: Version): Record<string, any> {
  const app: App = newApp();
  const stack = new Stack(app, 'Scenario', { env: { account: '123456789012', region: 'us-east-1' } });
  const domain = (name: string) => opensearch.Domain.fromDomainAttributes(stack, `Domain-${name}`, {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${name}`,
    domainEndpoint: `https://search-${name}-abc123.us-east-1.es.amazonaws.com`,
  });
  const one = domain('one');
  if (version.dictionary) {
    new DomainPackageAssociation(stack, 'Dictionary', { domain: one, packageId: DICTIONARY });
  }
  if (version.plugin) {
    new DomainPackageAssociation(stack, 'Plugin', { domain: one, packageId: PLUGIN, timeout: Duration.hours(4) });
  }
  if (version.broken) {
    new DomainPackageAssociation(stack, 'Broken', { domain: domain('two'), packageId: BROKEN });
  }
  return synthesize(app).getStackByName('Scenario').template;
}

/** When each resource reached each status, in real milliseconds since `start`. */
function timeline(start: () => number) {
  const at = new Map<string, number>();
  return {
    onProgress: (event: ProgressEvent) => at.set(`${event.logicalId} ${event.status}`, Date.now() - start()),
    at: (logicalId: string, status: string) => at.get(`${logicalId} ${status}`),
  };
}

const entries = (domain: string) => current!.packages.associations(domain).map((entry) => `${entry.packageId} ${entry.status}`).sort();

test('a 3-hour blue/green completes: the resource answers at once, its condition completes after the blue/green, then the stack', async () => {
  const world = await startWorld(3);
  let started = 0;
  const times = timeline(() => started);
  const player = world.player({ stackName: 'Scenario', timeoutScale: SCALE, onProgress: times.onProgress });
  const long = template({ plugin: true });
  const plugin = idOf(long, (id) => id.startsWith('Plugin') && !id.includes('Wait'));
  const condition = idOf(long, (_id, resource) => resource.Type === 'AWS::CloudFormation::WaitCondition');
  let outcome;
  await world.asLambda(async () => {
    started = Date.now();
    outcome = await player.deploy(long);
    await player.settled();
  });

  expect(outcome!).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
  expect(entries('one')).toEqual([`${PLUGIN} ACTIVE`]);
  // The custom resource answered well within CloudFormation's hour; the condition waited for the blue/green.
  expect(times.at(plugin, 'CREATE_COMPLETE')!).toBeLessThan(scaled(0.5));
  expect(times.at(condition, 'CREATE_COMPLETE')!).toBeGreaterThanOrEqual(scaled(3));
  const signals = world.cloudFormation.waitHandles.all().flatMap((handle) => handle.signals);
  expect(signals.map((signal) => signal.status)).toEqual(['SUCCESS']);
  // One poll per 30 scaled seconds, plus each step's own time: 3 hours is at most 360 steps.
  const [execution] = world.stepFunctions.executions.all();
  expect(execution.taskCalls).toBeGreaterThan(50);
  expect(execution.status).toBe('SUCCEEDED');
}, 60_000);

test('a failure after 2 hours rolls back cleanly: the plugin is withdrawn, the dictionary never leaves, the waiter removes itself', async () => {
  // The plugin's blue/green fails after 2 hours.
  const world = await startWorld(2);
  let started = 0;
  const times = timeline(() => started);
  const player = world.player({ stackName: 'Scenario', timeoutScale: SCALE, onProgress: times.onProgress });
  const long = template({ dictionary: true, plugin: true });
  const condition = idOf(long, (_id, resource) => resource.Type === 'AWS::CloudFormation::WaitCondition');
  let created;
  let updated;
  await world.asLambda(async () => {
    created = await player.deploy(template({ dictionary: true }));
    await player.settled();
    world.packages.failNextAssociation('one', PLUGIN, 'PluginError', 'the plugin did not load');
    started = Date.now();
    updated = await player.deploy(long);
    await player.settled();
  });

  expect(created!).toMatchObject({ status: 'CREATE_COMPLETE' });
  expect(updated!).toMatchObject({
    status: 'UPDATE_ROLLBACK_COMPLETE',
    failures: [{ reason: expect.stringMatching(/^WaitCondition received failed message: 'ASSOCIATION_FAILED: PluginError: the plugin did not load/) }],
  });
  expect(times.at(condition, 'CREATE_FAILED')!).toBeGreaterThanOrEqual(scaled(2));
  expect(entries('one')).toEqual([`${DICTIONARY} ACTIVE`]);
  expect(world.packages.count('DissociatePackage', { packageId: DICTIONARY })).toBe(0);
  // The waiter the failed update added was removed in the rollback's cleanup, and removed itself (the stack keeps its provider's log groups).
  expect(retainedNames(player)).toEqual(LEFT_AFTER_CLEAN_UP.filter((name) => !/ (Waiter)?LogGroup$/.test(name)));
  // Only the provider framework's own waiter is left: the stack still holds it.
  expect(world.stepFunctions.executions.stateMachines().filter((arn) => arn.includes('OpenSearchPackagesWaiter'))).toEqual([]);
}, 60_000);

test('a stack deleted during a long association (its create rolls back after 1 hour) leaves nothing on the domain once the waiter has finished', async () => {
  // The broken dictionary on domain two fails after an hour, while the plugin's 3-hour blue/green runs on domain one.
  const world = await startWorld(3, 1);
  world.packages.failNextAssociation('two', BROKEN, 'DictionaryInvalid', 'line 3 is not a synonym rule');
  const player = world.player({ stackName: 'Scenario', timeoutScale: SCALE });
  let outcome;
  let atStackEnd: string[] = [];
  let leftAtStackEnd: string[] = [];
  let stackTook = 0;
  await world.asLambda(async () => {
    const start = Date.now();
    outcome = await player.deploy(template({ plugin: true, broken: true }));
    stackTook = Date.now() - start;
    atStackEnd = entries('one');
    leftAtStackEnd = retainedNames(player);
    await player.settled();
  });

  expect(outcome!).toMatchObject({ status: 'ROLLBACK_COMPLETE' });
  // The stack did not wait for the blue/green: it was still running when the rollback ended, and the waiter was kept.
  expect(stackTook).toBeLessThan(scaled(2.5));
  expect(atStackEnd).toEqual([`${PLUGIN} ASSOCIATING`]);
  expect(leftAtStackEnd).toEqual(expect.arrayContaining(['AWS::Lambda::Function LongWaiterStepHandler', 'AWS::StepFunctions::StateMachine LongWaiterStateMachine']));
  // Once the waiter has finished: nothing of the stack on either domain, and only what the clean-up cannot delete.
  expect(entries('one')).toEqual([]);
  expect(entries('two')).toEqual([]);
  expect(retainedNames(player)).toEqual(LEFT_AFTER_CLEAN_UP);
  const outputs = world.stepFunctions.executions.all().map((execution) => JSON.parse(execution.output ?? '{}').Ended);
  // The forward execution stopped once the stack no longer waited: it reads the stack's status, then its resources, so
  // it may find the rollback either way (the condition is gone before the status says ROLLBACK, or after).
  const stopped = /^(the stack is ROLLBACK_|Plugin\w+Wait[0-9a-f]{8} is (not created yet after \d+ polls|CREATE_FAILED|DELETE_))/;
  expect(outputs).toEqual(expect.arrayContaining([expect.stringMatching(stopped), 'nothing to signal', 'cleaned up']));
}, 60_000);
