/**
 * The handler's own time limit on a scaled clock. Locally the provider's waiter runs scaled
 * (`--scale`), so an association's `Timeout` property (whole seconds, 3000 by default) has to be
 * scaled too: unscaled, the waiter would give up first and the user would read "Operation timed
 * out" instead of what the handler was waiting for.
 */

/**
 * The properties with `Timeout` multiplied by `factor`, rounded up to whole seconds and at least
 * 1, as the handler reads them. Any other value is left as is: a missing Timeout means the
 * resource was synthesized before the property existed (its handler has no limit of its own to
 * scale), and an invalid one must reach the handler unchanged, which reports it.
 */
export function scaleTimeout(properties: Record<string, unknown>, factor: number): Record<string, unknown> {
  const value = properties.Timeout;
  if (typeof value !== 'string' || !/^[1-9][0-9]*$/.test(value)) {
    return properties;
  }
  return { ...properties, Timeout: String(scaledSeconds(Number(value), factor)) };
}

function scaledSeconds(seconds: number, factor: number): number {
  // To the millisecond first: binary fractions would round e.g. 3000 x 0.07 = 210.00000000000003 up to 211.
  const exact = Math.round(seconds * factor * 1000) / 1000;
  return Math.max(1, Math.ceil(exact));
}

/**
 * `seconds` of a wait the player plays itself (a WaitCondition's Timeout, a Step Functions Wait
 * state) on the same scale, in milliseconds: not rounded to whole seconds, since nothing reads
 * them as a property, and a scaled wait of 30 s must not become a whole second.
 */
export function scaledMilliseconds(seconds: number, factor: number): number {
  return Math.max(0, Math.round(seconds * factor * 1000));
}
