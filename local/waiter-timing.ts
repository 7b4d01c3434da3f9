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

type Resources = Record<string, { Type?: string; Properties?: Record<string, any> }>;

/**
 * The provider's waiter is the state machine the framework's onEvent function starts
 * (WAITER_STATE_MACHINE_ARN): a stack with long resources also holds the long waiter's.
 */
export function waiterTiming(template: Record<string, unknown>): WaiterTiming {
  const resources = (template.Resources ?? {}) as Resources;
  const started = Object.values(resources).map((r) => r.Properties?.Environment?.Variables?.WAITER_STATE_MACHINE_ARN?.Ref).find((id) => typeof id === 'string');
  const machines = Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && (started === undefined || id === started))
    .map(([, r]) => r);
  const definition = JSON.stringify(machines.map((machine) => machine.Properties?.DefinitionString));
  const interval = /\\"IntervalSeconds\\":(\d+)/.exec(definition);
  const attempts = /\\"MaxAttempts\\":(\d+)/.exec(definition);
  if (machines.length !== 1 || !interval || !attempts) {
    throw new Error('expected one waiter state machine with IntervalSeconds and MaxAttempts');
  }
  const queryIntervalMs = Number(interval[1]) * 1000;
  return { queryIntervalMs, totalTimeoutMs: queryIntervalMs * Number(attempts[1]) };
}
