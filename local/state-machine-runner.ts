/**
 * A state machine's executions as the emulator runs them: its ASL interpreted (asl-interpreter.ts),
 * each Task calling a function by ARN as Lambda would (JSON both ways), and every Wait and retry
 * interval on the player's scale (timeout-scale.ts). The player builds one per state machine of a
 * stack (stack-state-machines.ts); a handler test can register one itself:
 * `stepFunctions.executions.register(arn, stateMachineRunner(definition, new Map([[stepArn, waiterStep]]), 0.001))`;
 * with `{ retained, executions }`, its `aws-sdk` Tasks act on those.
 */
import { runDefinition } from './asl-interpreter';
import { AwsSdkScope, isAwsSdkTask, runAwsSdkTask } from './aws-sdk-tasks';
import { sleep } from './provider-framework';
import { scaledMilliseconds } from './timeout-scale';
import { ExecutionControl, ExecutionFailed, StateMachineRunner } from '../emulator/step-functions-executions';

export type LambdaFunction = (event: unknown) => Promise<unknown>;

/**
 * `definition`: the ASL document (an object or its JSON text), or a function giving it at each
 * execution's start (resolved then, so that a resolution error fails that execution, not the deploy).
 * `functions`: the Tasks' Resources, by ARN. `sdk`: what the `aws-sdk` integrations act on
 * (aws-sdk-tasks.ts); without it such a Task fails the execution.
 */
export function stateMachineRunner(
  definition: unknown, functions: ReadonlyMap<string, LambdaFunction>, timeoutScale: number, sdk?: Omit<AwsSdkScope, 'stateMachineArn'>,
): StateMachineRunner {
  return async (input: unknown, control: ExecutionControl) => {
    const document = typeof definition === 'function' ? (definition as () => unknown)() : definition;
    return runDefinition(typeof document === 'string' ? JSON.parse(document) : document, input, {
      control,
      invoke: async (arn, event) => {
        if (isAwsSdkTask(arn) && sdk) {
          return runAwsSdkTask(arn, event, { ...sdk, stateMachineArn: control.stateMachineArn });
        }
        const invoke = functions.get(arn);
        if (!invoke) {
          throw new ExecutionFailed('States.Runtime', `unsupported ASL: Task Resource '${arn}' is not a function of the state machine's stack`);
        }
        control.taskCalled();
        const answer = await invoke(JSON.parse(JSON.stringify(event)));
        return answer === undefined ? null : JSON.parse(JSON.stringify(answer));
      },
      wait: (seconds) => sleep(scaledMilliseconds(seconds, timeoutScale)),
    });
  };
}
