/**
 * Wraps the provider handlers so that every invocation is timed, per
 * association (the event's LogicalResourceId), without changing what they do.
 */
import type { CustomResourceHandlers } from '../local/cloudformation-player';

export interface InvocationTrace {
  readonly start: number;
  readonly end: number;
  /** isComplete only: whether it answered IsComplete true. */
  readonly complete?: boolean;
  readonly failed?: boolean;
}

export interface AssociationTrace {
  readonly logicalId: string;
  readonly domain: string;
  readonly packageId: string;
  readonly onEvent: InvocationTrace[];
  readonly isComplete: InvocationTrace[];
}

export class HandlerTracer {
  readonly associations = new Map<string, AssociationTrace>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Handlers that call `inner` and record when each call started and ended. */
  wrap(inner: CustomResourceHandlers): CustomResourceHandlers {
    return {
      onEvent: (event) => this.record(event, 'onEvent', () => inner.onEvent(event)),
      isComplete: (event) => this.record(event, 'isComplete', () => inner.isComplete(event)),
    };
  }

  private async record(event: any, kind: 'onEvent' | 'isComplete', call: () => Promise<any>): Promise<any> {
    const trace = this.traceOf(event);
    const start = this.clock();
    try {
      const answer = await call();
      trace[kind].push({ start, end: this.clock(), ...(kind === 'isComplete' && { complete: answer?.IsComplete === true }) });
      return answer;
    } catch (error) {
      trace[kind].push({ start, end: this.clock(), failed: true });
      throw error;
    }
  }

  private traceOf(event: any): AssociationTrace {
    const logicalId = String(event?.LogicalResourceId);
    let trace = this.associations.get(logicalId);
    if (!trace) {
      const props = event?.ResourceProperties ?? {};
      trace = { logicalId, domain: String(props.DomainName), packageId: String(props.PackageID), onEvent: [], isComplete: [] };
      this.associations.set(logicalId, trace);
    }
    return trace;
  }
}
