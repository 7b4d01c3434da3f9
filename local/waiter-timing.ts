/**
 * The provider's waiter settings, read from the synthesized state machine's
 * Retry (IntervalSeconds, MaxAttempts): what a cloud assembly really polls at,
 * whichever version of the library synthesized it.
 */
export interface WaiterTiming {
  readonly queryIntervalMs: number;
  /** The provider's totalTimeout: the interval times the attempts. */
  readonly totalTimeoutMs: number;
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, unknown> }>;

export function waiterTiming(template: Record<string, unknown>): WaiterTiming {
  const machines = Object.values((template.Resources ?? {}) as Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const definition = JSON.stringify(machines.map((machine) => machine.Properties?.DefinitionString));
  const interval = /\\"IntervalSeconds\\":(\d+)/.exec(definition);
  const attempts = /\\"MaxAttempts\\":(\d+)/.exec(definition);
  if (machines.length !== 1 || !interval || !attempts) {
    throw new Error('expected one waiter state machine with IntervalSeconds and MaxAttempts');
  }
  const queryIntervalMs = Number(interval[1]) * 1000;
  return { queryIntervalMs, totalTimeoutMs: queryIntervalMs * Number(attempts[1]) };
}
