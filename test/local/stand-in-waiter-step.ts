/**
 * A stand-in for the handler bundle's `index.waiterStep` (lambda/, being built): one step of the
 * long waiter, a plain async function of the JSON state. It answers `wait` until it has been
 * called `Polls` times, then signals the state's WaitCondition as the real step will: reads the
 * stack (ListStackResources and DescribeStacks by stack id, through the SDK's default endpoint
 * resolution, so AWS_ENDPOINT_URL_CLOUDFORMATION), takes the handle's physical id and PUTs one
 * signal to it with an empty Content-Type, only while the stack is in progress and the condition
 * CREATE_IN_PROGRESS (else it waits once more).
 */
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { putSignal } from './wait-signals';

export interface StandInState {
  readonly StackId: string;
  readonly Handle: string;
  readonly Condition: string;
  /** How many calls answer `wait` before the signal. */
  readonly Polls: number;
  readonly Status?: 'SUCCESS' | 'FAILURE';
  readonly Calls?: number;
  readonly Next?: 'wait' | 'done';
  readonly WaitSeconds?: number;
  /** The HTTP status of the signal, once sent. */
  readonly Signalled?: number;
}

export async function waiterStep(state: StandInState): Promise<StandInState> {
  const calls = (state.Calls ?? 0) + 1;
  if (calls <= state.Polls) {
    return { ...state, Calls: calls, Next: 'wait', WaitSeconds: 30 };
  }
  const client = new CloudFormationClient({});
  try {
    const listed = (await client.send(new ListStackResourcesCommand({ StackName: state.StackId }))).StackResourceSummaries ?? [];
    const [stack] = (await client.send(new DescribeStacksCommand({ StackName: state.StackId }))).Stacks ?? [];
    const condition = listed.find((resource) => resource.LogicalResourceId === state.Condition);
    const url = listed.find((resource) => resource.LogicalResourceId === state.Handle)?.PhysicalResourceId;
    if (!/^(CREATE|UPDATE)_IN_PROGRESS$/.test(stack?.StackStatus ?? '') || condition?.ResourceStatus !== 'CREATE_IN_PROGRESS' || !url) {
      return { ...state, Calls: calls, Next: 'wait', WaitSeconds: 30 };
    }
    const status = state.Status ?? 'SUCCESS';
    const signalled = await putSignal(url, { Status: status, UniqueId: state.Condition, Data: `polled ${calls} times`, Reason: `stand-in ${status}` });
    return { ...state, Calls: calls, Next: 'done', Signalled: signalled };
  } finally {
    client.destroy();
  }
}
