/**
 * Paths of the Amazon States Language as the interpreter (asl-interpreter.ts) reads them: `$` or
 * `$.field.field` in the state's input, `$$.…` in the context object (the execution's and state
 * machine's ids and names), and a Task's `Parameters`, whose keys ending in `.$` take their value
 * from such a path. Anything else (array indexes, filters, intrinsic functions) fails the
 * execution as unsupported, naming it.
 */
import { ExecutionControl, ExecutionFailed } from '../emulator/step-functions-executions';

const FIELD_PATH = /^\$(\.[A-Za-z0-9_]+)*$/;

export function unsupported(what: string): ExecutionFailed {
  return new ExecutionFailed('States.Runtime', `unsupported ASL: ${what}`);
}

/** The value at `path` (`$` or `$.a.b`) of `input`; a missing field fails the execution, as Step Functions does. */
export function valueAt(input: unknown, path: string): unknown {
  if (!FIELD_PATH.test(path)) {
    throw unsupported(`path '${path}'`);
  }
  let value = input;
  for (const field of path.split('.').slice(1)) {
    if (typeof value !== 'object' || value === null || !(field in value)) {
      throw new ExecutionFailed('States.Runtime', `invalid path '${path}': the state ${JSON.stringify(input)} has no such field`);
    }
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

/** The context object, as far as the interpreter knows it. */
function contextObject(control: ExecutionControl): Record<string, unknown> {
  const name = (arn: string) => arn.split(':')[6] ?? arn;
  return {
    Execution: { Id: control.executionArn, Name: control.executionName },
    StateMachine: { Id: control.stateMachineArn, Name: name(control.stateMachineArn) },
  };
}

/** `$…` from the input, `$$…` from the context object. */
export function pathValue(path: string, input: unknown, control: ExecutionControl): unknown {
  return path.startsWith('$$') ? valueAt(contextObject(control), path.slice(1)) : valueAt(input, path);
}

/** A Task's effective input: `Parameters` with each `key.$` replaced by `key` and its path's value. */
export function parametersOf(template: unknown, input: unknown, control: ExecutionControl): unknown {
  if (Array.isArray(template)) {
    return template.map((item) => parametersOf(item, input, control));
  }
  if (typeof template !== 'object' || template === null) {
    return template;
  }
  return Object.fromEntries(Object.entries(template).map(([key, value]) => {
    if (!key.endsWith('.$')) {
      return [key, parametersOf(value, input, control)];
    }
    if (typeof value !== 'string' || !value.startsWith('$')) {
      throw unsupported(`Parameters '${key}': ${JSON.stringify(value)} (only paths, no intrinsic functions)`);
    }
    return [key.slice(0, -2), pathValue(value, input, control)];
  }));
}
