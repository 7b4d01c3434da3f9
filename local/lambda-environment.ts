/**
 * The environment Lambda gives a handler, reproduced in this process for the time of a run. Each
 * Lambda function has a process of its own: here, each stack's functions see its own region and
 * packages-API endpoint (functionVariables), even while another stack's run at the same time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as fs from 'node:fs';

/** Where the handler's SDK clients are sent instead of AWS: the local emulators. */
export interface EmulatorEndpoints {
  readonly opensearch: string;
  readonly cloudFormation: string;
  /** The Step Functions emulator (AWS_ENDPOINT_URL_SFN), where the handler starts the long waiter. */
  readonly stepFunctions?: string;
}

/**
 * What Lambda gives the handler: AWS_REGION and credentials in the environment (here fake ones,
 * plus AWS_ENDPOINT_URL_<SERVICE> for the emulators) and a log destination for console output.
 * Restored afterwards, so tests can run this in process.
 */
export async function withLambdaEnvironment(endpoints: EmulatorEndpoints, logFile: string, run: () => Promise<void>): Promise<void> {
  const processEnv = process.env;
  const variables: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local-deploy',
    AWS_SECRET_ACCESS_KEY: 'local-deploy',
    AWS_ENDPOINT_URL_OPENSEARCH: endpoints.opensearch,
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation,
    ...(endpoints.stepFunctions && { AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions }),
  };
  const savedEnv = Object.fromEntries(Object.keys(variables).map((key) => [key, process.env[key]]));
  const savedConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  fs.writeFileSync(logFile, '');
  const toLog = (...args: unknown[]) => fs.appendFileSync(logFile, `${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}\n`);
  Object.assign(process.env, variables);
  process.env = withFunctionVariables(processEnv);
  Object.assign(console, { log: toLog, info: toLog, warn: toLog, error: toLog });
  try {
    await run();
  } finally {
    process.env = processEnv;
    Object.assign(console, savedConsole);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
}

/** What differs between the functions of two stacks: the region they run in, and that environment's emulator. */
export interface FunctionEnvironment {
  readonly region: string;
  /** AWS_ENDPOINT_URL_OPENSEARCH: the packages-API emulator of the stack's account and region. */
  readonly opensearch: string;
  /** The function's own `Environment.Variables` from the template, resolved . */
  readonly variables?: Readonly<Record<string, string>>;
}

const functionVariables = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/**
 * Calls `invoke` (a handler invocation) with `environment`'s variables over the run's. The SDK
 * and the handler read process.env when they build a client: an asynchronous context keeps each
 * invocation's own, where setting process.env would race with the other stacks' invocations.
 */
export function inFunctionEnvironment<T>(environment: FunctionEnvironment, invoke: () => Promise<T>): Promise<T> {
  // Lambda's reserved variables win over the template's, as on AWS.
  const variables = { ...environment.variables, AWS_REGION: environment.region, AWS_ENDPOINT_URL_OPENSEARCH: environment.opensearch };
  return functionVariables.run(variables, invoke);
}

/** `env` as each invocation sees it: its function's variables first. Writes go to `env`. */
function withFunctionVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own = (key: string | symbol) => (typeof key === 'string' ? functionVariables.getStore()?.[key] : undefined);
  return new Proxy(env, {
    get: (target, key) => own(key) ?? Reflect.get(target, key),
    has: (target, key) => own(key) !== undefined || Reflect.has(target, key),
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), ...Object.keys(functionVariables.getStore() ?? {})])],
    getOwnPropertyDescriptor: (target, key) => {
      const value = own(key);
      return value === undefined ? Reflect.getOwnPropertyDescriptor(target, key) : { value, writable: true, enumerable: true, configurable: true };
    },
  });
}
