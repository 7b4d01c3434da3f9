/**
 * Faults a test asks for explicitly ("the next two ListStackResources are throttled"), as opposed
 * to the packages emulator's random ones: a handler's read of its stack is a handful of calls.
 */

/**
 * 'throttling' → 400 Throttling (the SDK retries it), 'internal' → 500 InternalFailure,
 * 'denied' → 403 AccessDenied.
 */
export type ScriptedFault = 'throttling' | 'internal' | 'denied';

interface Script<A extends string, K extends string> {
  readonly kind: K;
  /** Any action when absent. */
  readonly action?: A;
  remaining: number;
}

/** A queue of scripts, consumed in order: the first script that matches a request answers it. */
export class ScriptedFaults<A extends string, K extends string = ScriptedFault> {
  private readonly scripts: Array<Script<A, K>> = [];

  add(kind: K, count: number, action?: A): void {
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new RangeError(`count must be a positive integer, got ${count}`);
    }
    this.scripts.push({ kind, action, remaining: count });
  }

  /** The fault this request gets, if any; it uses up one of its script's count. */
  draw(action: A): K | undefined {
    const index = this.scripts.findIndex((script) => script.action === undefined || script.action === action);
    const script = this.scripts[index];
    if (!script) {
      return undefined;
    }
    script.remaining -= 1;
    if (script.remaining === 0) {
      this.scripts.splice(index, 1);
    }
    return script.kind;
  }
}
