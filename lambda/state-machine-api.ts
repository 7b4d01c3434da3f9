import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { callOptions } from './invocation-deadline';
import { logged } from './log';
import { cachedClient, clientConfig } from './sdk-clients';

/**
 * Step Functions, for the one call the handler makes: starting the long
 * waiter. The SDK's default configuration reads AWS_ENDPOINT_URL_SFN.
 */

function client(): SFNClient {
  return cachedClient('SFN', () => new SFNClient(clientConfig()));
}

/**
 * Starts an execution of `stateMachineArn`. Idempotent by name: the same
 * name and input as an execution already started starts nothing more.
 */
export async function startExecution(stateMachineArn: string, name: string, input: string): Promise<void> {
  await logged({ operation: 'StartExecution' }, async () => {
    const output = await client().send(new StartExecutionCommand({ stateMachineArn, name, input }), callOptions());
    return { result: undefined, status: name, attempt: output.$metadata.attempts };
  });
}
