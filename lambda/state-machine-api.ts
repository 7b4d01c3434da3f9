import { paginateListExecutions, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { callOptions } from './invocation-deadline';
import { logged, loggedPages } from './log';
import { cachedClient, clientConfig } from './sdk-clients';

/**
 * Step Functions, for the long waiter: the handler starts it, its clean-up
 * looks for other executions. The SDK's default configuration reads
 * AWS_ENDPOINT_URL_SFN.
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

/** The names of the running executions of `stateMachineArn`. */
export async function runningExecutions(stateMachineArn: string): Promise<string[]> {
  const names: string[] = [];
  await loggedPages({ operation: 'ListExecutions' },
    paginateListExecutions({ client: client() }, { stateMachineArn, statusFilter: 'RUNNING' }, callOptions()), (page) => {
      names.push(...(page.executions ?? []).map((execution) => execution.name ?? ''));
      return {};
    });
  return names;
}
