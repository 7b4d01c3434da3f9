/**
 * Runs one execution of an Amazon States Language definition, the subset the long waiter
 * (lib/long-waiter.ts) and the provider framework's waiter use:
 * - Task whose Resource is a function or an aws-sdk integration (`host.invoke`), with Parameters
 *   (static values, and `key.$` paths in the input or the context object, asl-paths.ts),
 *   ResultPath (null: the input goes on; "$": the result does), Retry (ErrorEquals,
 *   IntervalSeconds, MaxAttempts, BackoffRate) and Catch (ErrorEquals, Next, ResultPath "$");
 * - Choice with StringEquals / NumericEquals / BooleanEquals on a Variable path, and Default;
 * - Wait with Seconds or SecondsPath (`host.wait` scales them);
 * - Pass (Result), Succeed, Fail (Error, Cause).
 * Paths are `$` or `$.field.field`, and `$$.…` in Parameters. Anything else (InputPath, OutputPath, a
 * ResultPath into a field, Map, And, ...) fails
 * the execution with `unsupported ASL: ...` naming it, rather than being run wrong.
 */
import { parametersOf, unsupported, valueAt } from './asl-paths';
import { ExecutionControl, ExecutionFailed } from '../emulator/step-functions-executions';

/** A Task's failure as Step Functions names it (e.g. `Iam.DeleteConflictException`), with its cause as is. */
export class TaskError extends Error {
  constructor(readonly error: string, readonly taskCause: string) {
    super(taskCause);
    this.name = error;
  }
}

export interface AslHost {
  readonly control: ExecutionControl;
  /** Calls a Task's Resource with `input`; a rejection is the task's failure (its `name` is the error). */
  invoke(resource: string, input: unknown): Promise<unknown>;
  /** Lets `seconds` of the state machine's time pass (scaled by the host). */
  wait(seconds: number): Promise<void>;
}

type State = Record<string, unknown>;

const COMMON = ['Type', 'Comment', 'Next', 'End'];
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  Task: [...COMMON, 'Resource', 'Parameters', 'ResultPath', 'Retry', 'Catch'],
  Choice: ['Type', 'Comment', 'Choices', 'Default'],
  Wait: [...COMMON, 'Seconds', 'SecondsPath'],
  Pass: [...COMMON, 'Result'],
  Succeed: ['Type', 'Comment'],
  Fail: ['Type', 'Comment', 'Error', 'Cause'],
};
const COMPARISONS = ['StringEquals', 'NumericEquals', 'BooleanEquals'];

export async function runDefinition(definition: unknown, input: unknown, host: AslHost): Promise<unknown> {
  const { StartAt: startAt, States: states, ...rest } = asObject(definition, 'the definition');
  unsupportedFields('the definition', rest, ['Comment', 'Version']);
  const all = asObject(states, 'States');
  let name = String(startAt);
  let data = input;
  for (;;) {
    host.control.transition();
    const state = asObject(all[name], `state '${name}'`);
    const type = String(state.Type);
    if (!FIELDS[type]) {
      throw unsupported(`state type '${type}' (state '${name}')`);
    }
    unsupportedFields(`state '${name}'`, state, FIELDS[type]);
    const step = await runState(name, state, data, host);
    data = step.output;
    if (step.next === undefined) {
      return data;
    }
    name = step.next;
  }
}

async function runState(name: string, state: State, input: unknown, host: AslHost): Promise<{ output: unknown; next?: string }> {
  const following = () => (state.End === true ? undefined : String(state.Next));
  switch (state.Type) {
    case 'Task':
      return runTask(name, state, input, host, following);
    case 'Choice':
      return { output: input, next: choose(name, state, input) };
    case 'Wait': {
      const seconds = state.SecondsPath !== undefined ? valueAt(input, String(state.SecondsPath)) : state.Seconds;
      if (typeof seconds !== 'number' || !(seconds >= 0)) {
        throw new ExecutionFailed('States.Runtime', `state '${name}': the wait must be a number of seconds, got ${JSON.stringify(seconds)}`);
      }
      await host.wait(seconds);
      return { output: input, next: following() };
    }
    case 'Pass':
      return { output: 'Result' in state ? state.Result : input, next: following() };
    case 'Succeed':
      return { output: input };
    default: // Fail
      throw new ExecutionFailed(String(state.Error ?? 'States.Fail'), String(state.Cause ?? ''));
  }
}

interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
}

async function runTask(name: string, state: State, input: unknown, host: AslHost, following: () => string | undefined) {
  const retriers = (state.Retry ?? []) as Retrier[];
  retriers.forEach((retrier, index) => unsupportedFields(`state '${name}' Retry[${index}]`, retrier, ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate']));
  const catchers = (state.Catch ?? []) as Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  catchers.forEach((catcher, index) => {
    unsupportedFields(`state '${name}' Catch[${index}]`, catcher, ['ErrorEquals', 'Next', 'ResultPath']);
    if (catcher.ResultPath !== undefined && catcher.ResultPath !== '$') {
      throw unsupported(`state '${name}' Catch[${index}] ResultPath '${catcher.ResultPath}'`);
    }
  });
  if (state.ResultPath !== undefined && state.ResultPath !== null && state.ResultPath !== '$') {
    throw unsupported(`state '${name}' ResultPath ${JSON.stringify(state.ResultPath)}`);
  }
  const effective = state.Parameters === undefined ? input : parametersOf(state.Parameters, input, host.control);
  const attempts = new Map<Retrier, number>();
  for (;;) {
    let failure: { Error: string; Cause: string };
    try {
      const result = await host.invoke(String(state.Resource), effective);
      return { output: state.ResultPath === null ? input : result, next: following() };
    } catch (error) {
      if (error instanceof ExecutionFailed && error.error === 'States.Runtime') {
        throw error;
      }
      failure = taskFailure(error);
    }
    const retrier = retriers.find((candidate) => matches(candidate.ErrorEquals, failure.Error));
    const made = retrier ? attempts.get(retrier) ?? 0 : 0;
    if (retrier && made < (retrier.MaxAttempts ?? 3)) {
      attempts.set(retrier, made + 1);
      await host.wait((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** made);
      host.control.transition();
      continue;
    }
    const catcher = catchers.find((candidate) => matches(candidate.ErrorEquals, failure.Error));
    if (catcher) {
      return { output: failure, next: catcher.Next };
    }
    throw new ExecutionFailed(failure.Error, failure.Cause);
  }
}

/** What Step Functions makes of a Lambda function's error: its type, and the runtime's report as the cause. */
function taskFailure(error: unknown): { Error: string; Cause: string } {
  if (error instanceof TaskError) {
    return { Error: error.error, Cause: error.taskCause };
  }
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return { Error: errorType, Cause: JSON.stringify({ errorType, errorMessage }) };
}

/** States.ALL matches any error, States.TaskFailed any error of a task. */
function matches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some((name) => name === error || name === 'States.ALL' || name === 'States.TaskFailed');
}

function choose(name: string, state: State, input: unknown): string {
  const choices = (state.Choices ?? []) as Array<Record<string, unknown>>;
  for (const [index, rule] of choices.entries()) {
    const { Variable: variable, Next: next, ...comparison } = rule;
    const operators = Object.keys(comparison);
    if (variable === undefined || operators.length !== 1 || !COMPARISONS.includes(operators[0])) {
      throw unsupported(`state '${name}' Choices[${index}] ${JSON.stringify(rule)}`);
    }
    const expected = comparison[operators[0]];
    if (valueAt(input, String(variable)) === expected) {
      return String(next);
    }
  }
  if (state.Default === undefined) {
    throw new ExecutionFailed('States.NoChoiceMatched', `no choice rule of state '${name}' matched, and it has no Default`);
  }
  return String(state.Default);
}

function unsupportedFields(where: string, object: object, allowed: readonly string[]): void {
  const extra = Object.keys(object).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    throw unsupported(`${where} has ${extra.join(', ')}`);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ExecutionFailed('States.Runtime', `invalid ASL: ${what} must be an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
