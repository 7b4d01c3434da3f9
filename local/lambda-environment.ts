/**
 * The environment Lambda gives a handler, reproduced in this process for the time of a run.
 */
import * as fs from 'node:fs';

/** Where the handler's SDK clients are sent instead of AWS: the local emulators. */
export interface EmulatorEndpoints {
  readonly opensearch: string;
  readonly cloudFormation: string;
}

/**
 * What Lambda gives the handler: AWS_REGION and credentials in the environment (here fake ones,
 * plus AWS_ENDPOINT_URL_<SERVICE> for the emulators) and a log destination for console output.
 * Restored afterwards, so tests can run this in process.
 */
export async function withLambdaEnvironment(endpoints: EmulatorEndpoints, logFile: string, run: () => Promise<void>): Promise<void> {
  const variables: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local-deploy',
    AWS_SECRET_ACCESS_KEY: 'local-deploy',
    AWS_ENDPOINT_URL_OPENSEARCH: endpoints.opensearch,
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation,
  };
  const savedEnv = Object.fromEntries(Object.keys(variables).map((key) => [key, process.env[key]]));
  const savedConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  fs.writeFileSync(logFile, '');
  const toLog = (...args: unknown[]) => fs.appendFileSync(logFile, `${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}\n`);
  Object.assign(process.env, variables);
  Object.assign(console, { log: toLog, info: toLog, warn: toLog, error: toLog });
  try {
    await run();
  } finally {
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
