/** What the emulator tests share: an SDK client without retries, and assertions on the errors it throws. */
import { OpenSearchClient } from '@aws-sdk/client-opensearch';
import { EmulatorOptions, ManualClock, PackagesApiEmulator } from '../../emulator/packages-api-emulator';

export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; code?: string; cause?: Error };

/** Without endpoint, the SDK resolves one itself (AWS_ENDPOINT_URL_OPENSEARCH). A request unanswered for `requestTimeoutMs` fails. */
export function newClient(endpoint?: string, maxAttempts = 1, requestTimeoutMs?: number): OpenSearchClient {
  return new OpenSearchClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    ...(requestTimeoutMs !== undefined && { requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true } }),
  });
}

export async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

export async function expectApiError(promise: Promise<unknown>, name: string, status: number, message?: string): Promise<SdkError> {
  const error = await failure(promise);
  expect(error.name).toBe(name);
  expect(error.$metadata?.httpStatusCode).toBe(status);
  if (message !== undefined) {
    expect(error.message).toBe(message);
  }
  return error;
}

/** An emulator on a manual clock and an SDK client pointed at it. */
export interface EmulatorUnderTest {
  readonly emulator: PackagesApiEmulator;
  readonly clock: ManualClock;
  readonly client: OpenSearchClient;
}

/** Starts `options`' emulator on a new manual clock, with a client. */
export async function startWithClient(options: Omit<EmulatorOptions, 'clock'>): Promise<EmulatorUnderTest> {
  const clock = new ManualClock();
  const emulator = await PackagesApiEmulator.start({ ...options, clock });
  return { emulator, clock, client: newClient(emulator.endpoint) };
}

/**
 * A test file's start function: `defaults` merged with each start's options, handed to `use`
 * (which keeps it in the file's variables, for the file's afterEach to close).
 */
export function emulatorStarter(defaults: Omit<EmulatorOptions, 'clock'>, use: (started: EmulatorUnderTest) => void):
(options?: Partial<EmulatorOptions>) => Promise<void> {
  return async (options = {}) => use(await startWithClient({ ...defaults, ...options }));
}

/** Closes what startWithClient started (tolerates a test that started nothing). */
export async function stopWithClient(started: Partial<EmulatorUnderTest>): Promise<void> {
  started.client?.destroy();
  await started.emulator?.close();
}
