import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { callOptions } from './invocation-deadline';
import { logged, loggedPages } from './log';
import { cachedClient, clientConfig } from './sdk-clients';

/**
 * The handler's own stack, read through CloudFormation's API. Always by stack
 * id: a stack that is being deleted or rolled back is found by its id only.
 */

function client(): CloudFormationClient {
  return cachedClient('CLOUDFORMATION', () => new CloudFormationClient(clientConfig()));
}

/** Every resource of the stack, following NextToken (a stack holds up to 500 resources). */
export async function listStackResources(stackId: string): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  await loggedPages({ operation: 'ListStackResources' }, paginateListStackResources({ client: client() }, { StackName: stackId }, callOptions()), (page) => {
    resources.push(...(page.StackResourceSummaries ?? []));
    return {};
  });
  return resources;
}

/** The stack's status, e.g. `UPDATE_ROLLBACK_IN_PROGRESS`. */
export async function stackStatus(stackId: string): Promise<string | undefined> {
  return logged({ operation: 'DescribeStacks' }, async () => {
    const output = await client().send(new DescribeStacksCommand({ StackName: stackId }), callOptions());
    const status = output.Stacks?.[0]?.StackStatus;
    return { result: status, status, attempt: output.$metadata.attempts };
  });
}
