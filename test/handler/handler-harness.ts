/**
 * Drives the association handler through the local provider-framework simulator
 * (local/provider-framework.ts, the one deploy:local uses: onEvent once, then
 * isComplete at once and every query interval after, with onEvent's answer
 * merged in), with the real SDK talking HTTP to the packages-API emulator.
 *
 * Time is the harness's: the emulator runs on a manual clock, and the handler's
 * own clock (Date) is jest's fake one, started at the same moment; `advance`
 * moves both, and the simulator waits its query intervals with it. Timers stay
 * real, so the SDK's retry backoff and the handler's abort signals work as
 * they do in Lambda.
 */
import { CloudFormationApiEmulator, StackResourceView, StackView } from '../../emulator/cloudformation-api-emulator';
import { EmulatedPackage, EmulatorOptions, ManualClock, PackagesApiEmulator } from '../../emulator/packages-api-emulator';
import { isComplete, onEvent } from '../../lambda';
import type { IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../lambda/events';
import type { CustomResourceRequest } from '../../local/custom-resource-events';
import { OperationResult, ResourceFailure, runProviderOperation } from '../../local/provider-framework';
import { ReplacementRollback, ResourceState, rollbackOf } from '../../local/stack-operation-phases';

export const DOMAIN = 'search-one';
export const OTHER_DOMAIN = 'search-two';
export const DICTIONARY: EmulatedPackage = { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' };
export const PLUGIN: EmulatedPackage = { id: 'pkg-a1', name: 'my-plugin', type: 'ZIP-PLUGIN' };
export const LICENSE: EmulatedPackage = { id: 'pkg-a2', name: 'my-plugin-license', type: 'PACKAGE-LICENSE' };
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/key-store-access';
export const QUERY_INTERVAL_MS = 10_000;
/** What CloudFormation puts in every event; the handler must never log it. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=SIGNATURE-NOT-TO-LOG';
export const SECRET_ACCESS_KEY = 'SECRET-NOT-TO-LOG';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/test/1';
/** The logical id every event of the harness carries. */
export const LOGICAL_ID = 'Association';

export interface Harness {
  readonly emulator: PackagesApiEmulator;
  /** The emulator's clock alone: the service's time passes, the handler's does not. */
  readonly clock: ManualClock;
  /** The handler's stack as CloudFormation's read API shows it. */
  readonly cloudFormation: CloudFormationApiEmulator;
  /** Lets `ms` pass for the service (the emulator's clock) and the handler (Date) alike. */
  advance(ms: number): void;
  /** Sets what the stack looks like from now on (its id and name, status, resources). */
  setStack(view: Partial<Pick<StackView, 'stackId' | 'stackName' | 'status' | 'resources'>>): void;
  close(): Promise<void>;
}

/** The harness's own resource as CloudFormation lists it while its Delete runs. */
export function beingDeleted(physicalId: string): StackResourceView {
  return { logicalId: LOGICAL_ID, type: 'Custom::OpenSearchPackageAssociation', physicalId, status: 'DELETE_IN_PROGRESS' };
}

/** Every API jest can fake but Date: the handler's clock is faked, its timers are not. */
const REAL_TIMERS = [
  'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback',
  'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
] as const;

/**
 * Starts an emulator with two domains and three packages, and one of CloudFormation for the
 * handler's stack (by default an ordinary delete, nothing else in it), and points the SDK at them.
 * Fakes Date until `close()`: from now on time passes only with `advance` (see above).
 */
export async function startHarness(options: Partial<EmulatorOptions> & { readonly clockSkewMs?: number } = {}): Promise<Harness> {
  // The service's clock is a second behind the handler's (or clockSkewMs apart): the handler
  // must never compare the two.
  const { clockSkewMs = -1_000, ...emulatorOptions } = options;
  jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: Date.now() });
  const clock = new ManualClock(Date.now() + clockSkewMs);
  const emulator = await PackagesApiEmulator.start({
    domains: [DOMAIN, OTHER_DOMAIN],
    packages: [DICTIONARY, PLUGIN, LICENSE],
    associationMs: 25_000,
    dissociationMs: 15_000,
    clock,
    ...emulatorOptions,
  });
  let stack: StackView = { stackId: STACK_ID, stackName: 'test', status: 'DELETE_IN_PROGRESS', resources: [] };
  const cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [stack] });
  pointSdkAt(emulator, cloudFormation);
  return {
    emulator,
    clock,
    advance: (ms) => {
      clock.advance(ms);
      jest.setSystemTime(Date.now() + ms);
    },
    cloudFormation,
    setStack: (view) => {
      stack = { ...stack, ...view };
    },
    close: async () => {
      jest.useRealTimers();
      await Promise.all([emulator.close(), cloudFormation.close()]);
    },
  };
}

/** The resource properties as CloudFormation sends them: every scalar a string. */
export function properties(packageId: string, extra: Record<string, unknown> = {}, domain = DOMAIN): Record<string, unknown> {
  return { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent', DomainName: domain, PackageID: packageId, ...extra };
}

/** The resource type of the events below: the association unless a test names another. */
export type ResourceType = 'Custom::OpenSearchPackageAssociation' | 'Custom::OpenSearchPackage' | 'Custom::OpenSearchPackageLookup'
  | 'Custom::OpenSearchDomainPackages';

export function createEvent(props: Record<string, unknown>, type?: ResourceType): OnEventRequest {
  return { ...envelope(type), RequestType: 'Create', ResourceProperties: props } as OnEventRequest;
}

export function updateEvent(
  physicalId: string, props: Record<string, unknown>, oldProps: Record<string, unknown>, type?: ResourceType,
): OnEventRequest {
  return { ...envelope(type), RequestType: 'Update', PhysicalResourceId: physicalId, ResourceProperties: props, OldResourceProperties: oldProps } as OnEventRequest;
}

export function deleteEvent(physicalId: string, props: Record<string, unknown> = {}, type?: ResourceType): OnEventRequest {
  return { ...envelope(type), RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: props } as OnEventRequest;
}

function envelope(type: ResourceType = 'Custom::OpenSearchPackageAssociation') {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    ResponseURL: RESPONSE_URL,
    StackId: STACK_ID,
    RequestId: 'request-1',
    LogicalResourceId: LOGICAL_ID,
    ResourceType: type,
  };
}

export interface Outcome {
  readonly started: OnEventResponse;
  readonly complete: IsCompleteResponse;
  /** isComplete calls it took. */
  readonly polls: number;
  /** What CloudFormation records: onEvent's physical id, unless isComplete answered one. */
  readonly physicalId: string;
}

/**
 * Plays one resource operation to its end through the provider-framework simulator: onEvent,
 * then isComplete at once and after each query interval (the waiter has no initial wait), the
 * harness's time advancing by the interval before each retry, until it reports complete.
 * Rejects as the framework fails the resource: with the handler's own error (message and
 * trace, as Lambda reports them), CloudFormation's "Response object is too long." when the
 * framework's response exceeds 4,096 bytes, or the framework's "Operation timed out" once `maxPolls`
 * isComplete calls have not completed it (the waiter's totalTimeout: maxPolls - 1 intervals;
 * like the waiter, at least one retry).
 */
export async function play(harness: Harness, event: OnEventRequest, maxPolls = 30): Promise<Outcome> {
  let result: OperationResult;
  try {
    result = await runOperation(harness, event, maxPolls);
  } catch (error) {
    throw error instanceof ResourceFailure && error.cause instanceof Error ? error.cause : error;
  }
  if (!result.onEventAnswer || !result.isCompleteAnswer) {
    throw new Error(`the framework answered without calling the handler (${result.physicalResourceId})`);
  }
  return {
    started: result.onEventAnswer as unknown as OnEventResponse,
    complete: result.isCompleteAnswer as unknown as IsCompleteResponse,
    polls: result.isCompleteCalls,
    physicalId: result.physicalResourceId,
  };
}

/**
 * Plays an operation that must fail: the handler's error (or CloudFormation's, when it refused the
 * response), the physical id the framework's FAILED response carries (onEvent's, once onEvent
 * answered), which CloudFormation records (see local/stack-operation-phases.ts) and later deletes in
 * the rollback, and that response's body as the framework sent it.
 */
export async function playFailure(harness: Harness, event: OnEventRequest, maxPolls = 30)
  : Promise<{ readonly error: Error; readonly physicalId: string; readonly response: string }> {
  try {
    await runOperation(harness, event, maxPolls);
  } catch (error) {
    if (error instanceof ResourceFailure) {
      return { error: error.cause instanceof Error ? error.cause : error, physicalId: error.physicalResourceId, response: error.response ?? '' };
    }
    throw error;
  }
  throw new Error('expected a failure, but the operation succeeded');
}

/**
 * CloudFormation's rollback of the harness's resource after a failed update, as the local player
 * plays it (local/stack-operation-phases.ts): the Update back to `previous` as `model` sends it (or
 * none), while the stack is UPDATE_ROLLBACK_IN_PROGRESS, then the Deletes of the rollback's
 * cleanup, while the stack lists the restored id. `current` is what the update left (its id
 * recorded even when it failed). Returns the restored physical id.
 */
export async function playRollback(
  harness: Harness,
  change: { readonly previous: ResourceState; readonly current: ResourceState; readonly attempted: Record<string, unknown> },
  model: ReplacementRollback,
  type?: ResourceType,
): Promise<string> {
  const resourceType = type ?? 'Custom::OpenSearchPackageAssociation';
  const listed = (physicalId: string, status: string) => [{ logicalId: LOGICAL_ID, type: resourceType, physicalId, status }];
  const rollback = rollbackOf(change.previous, change.current, change.attempted, model);
  harness.setStack({ status: 'UPDATE_ROLLBACK_IN_PROGRESS', resources: listed(change.current.physicalId, 'UPDATE_FAILED') });
  const { update } = rollback;
  const restored = update
    ? (await play(harness, updateEvent(update.physicalId, update.properties, update.oldProperties, type))).physicalId
    : change.previous.physicalId;
  harness.setStack({ status: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', resources: listed(restored, 'UPDATE_COMPLETE') });
  for (const physicalId of rollback.cleanup(update && restored)) {
    await play(harness, deleteEvent(physicalId, {}, type));
  }
  return restored;
}

/** One operation through the framework simulator, the harness's time advancing with its waits. */
function runOperation(harness: Harness, event: OnEventRequest, maxPolls: number): Promise<OperationResult> {
  const timing = { queryIntervalMs: QUERY_INTERVAL_MS, totalTimeoutMs: (maxPolls - 1) * QUERY_INTERVAL_MS };
  const request = event as unknown as CustomResourceRequest;
  return runProviderOperation({ onEvent, isComplete }, request, timing, { wait: async (ms) => harness.advance(ms) });
}

/** The error `promise` rejects with (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, but the operation succeeded');
}

/** The handler's log lines, parsed; console output is silenced while captured. */
export function captureLogs(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => {
    lines.push(JSON.parse(String(line)));
  });
  return lines;
}

/**
 * The usual per-test set-up of a handler test file: the handler's log lines captured (silenced),
 * and after each test the mocks restored and the test's harness closed.
 */
export function silenceAndCloseEachTest(current: () => Harness | undefined): void {
  beforeEach(() => captureLogs());
  afterEach(async () => {
    jest.restoreAllMocks();
    await current()?.close();
  });
}

/**
 * What Lambda gives the handler, pointed at the emulators: the region, fake credentials (which the
 * logging tests look for) and both endpoints, so the SDK's default configuration reaches them.
 */
export function pointSdkAt(packagesApi: { readonly endpoint: string }, cloudFormation: { readonly endpoint: string }): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_ENDPOINT_URL_OPENSEARCH: packagesApi.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.endpoint,
  });
}
