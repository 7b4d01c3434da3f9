/**
 * WaitConditionHandles as the local CloudFormation emulator serves them: each handle's physical id
 * (what `Ref` and ListStackResources give) is a URL of the emulator's server,
 * `<endpoint>/wait-condition/<stack>/<logical id>/<token>`, standing for the presigned S3 URL
 * CloudFormation hands out. A PUT there is a signal, recorded on the handle; WaitConditions read
 * them (local/wait-condition-resource.ts).
 *
 * How a PUT is answered, as S3 would answer a URL presigned with an empty Content-Type:
 * - a non-empty `Content-Type`: 403 SignatureDoesNotMatch (the header is part of the signature);
 * - a method other than PUT, or an unknown handle or token: 403 as well (S3 cannot tell either
 *   from a bad signature);
 * - a body that is not a signal (JSON with Status SUCCESS or FAILURE and a UniqueId): 400. S3 would
 *   store it and CloudFormation ignore it; refusing it here shows the sender its mistake.
 * A signal whose UniqueId the handle already received is a retransmission: answered 200, ignored.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './local-server';

export const WAIT_HANDLE_PATH = '/wait-condition/';

export interface WaitConditionSignal {
  readonly status: 'SUCCESS' | 'FAILURE';
  readonly uniqueId: string;
  readonly data: string;
  readonly reason: string;
  /** Date.now() when the signal arrived. */
  readonly receivedAt: number;
}

/** How a PUT was answered, for tests. */
export interface SignalRequest {
  readonly url: string;
  readonly status: number;
  readonly error?: string;
}

interface Handle {
  readonly stackName: string;
  readonly logicalId: string;
  readonly signals: WaitConditionSignal[];
  readonly listeners: Set<() => void>;
}

export class WaitConditionHandles {
  /** Every PUT (or other request) to a handle path, in arrival order. */
  readonly requests: SignalRequest[] = [];
  private readonly handles = new Map<string, Handle>();

  /** `endpoint`: the server's `http://127.0.0.1:<port>`, read when a handle is created. */
  constructor(private readonly endpoint: () => string) {}

  /** A new handle's URL, its physical id. */
  create(stackName: string, logicalId: string): string {
    const token = randomBytes(12).toString('hex');
    const url = `${this.endpoint()}${WAIT_HANDLE_PATH}${encodeURIComponent(stackName)}/${encodeURIComponent(logicalId)}/${token}`;
    this.handles.set(url, { stackName, logicalId, signals: [], listeners: new Set() });
    return url;
  }

  /** Whether `url` is a handle's. */
  has(url: string): boolean {
    return this.handles.has(url);
  }

  /** The signals the handle at `url` received, retransmissions left out; none for an unknown URL. */
  signals(url: string): readonly WaitConditionSignal[] {
    return this.handles.get(url)?.signals ?? [];
  }

  /** Every handle's URL with its stack, logical id and signals. */
  all(): Array<{ url: string; stackName: string; logicalId: string; signals: readonly WaitConditionSignal[] }> {
    return [...this.handles].map(([url, handle]) => ({ url, stackName: handle.stackName, logicalId: handle.logicalId, signals: handle.signals }));
  }

  /** Calls `listener` after each new signal on the handle at `url`; returns the unsubscribe. */
  subscribe(url: string, listener: () => void): () => void {
    const handle = this.handles.get(url);
    handle?.listeners.add(listener);
    return () => handle?.listeners.delete(listener);
  }

  /** Whether this serves `req` (its path is a handle's). */
  serves(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(WAIT_HANDLE_PATH);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = `${this.endpoint()}${req.url ?? ''}`;
    const answer = this.receive(url, req.method ?? '', req.headers['content-type'], body);
    this.requests.push({ url, status: answer.status, ...(answer.error && { error: answer.error }) });
    const text = answer.error
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${answer.error}</Code><Message>${answer.message}</Message></Error>`
      : '';
    res.writeHead(answer.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private receive(url: string, method: string, contentType: string | undefined, body: string): { status: number; error?: string; message?: string } {
    const handle = this.handles.get(url);
    if (method !== 'PUT' || !handle) {
      return { status: 403, error: 'AccessDenied', message: `no wait condition handle accepts ${method} ${url}` };
    }
    if (contentType !== undefined && contentType !== '') {
      return { status: 403, error: 'SignatureDoesNotMatch', message: `the URL was signed without a Content-Type, got '${contentType}'` };
    }
    const signal = parseSignal(body);
    if (typeof signal === 'string') {
      return { status: 400, error: 'InvalidSignal', message: signal };
    }
    if (!handle.signals.some((other) => other.uniqueId === signal.uniqueId)) {
      handle.signals.push(signal);
      [...handle.listeners].forEach((listener) => listener());
    }
    return { status: 200 };
  }
}

/** The signal in `body`, or why it is none. */
function parseSignal(body: string): WaitConditionSignal | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `a signal must be JSON, got '${body.slice(0, 200)}'`;
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const { Status: status, UniqueId: uniqueId, Data: data, Reason: reason } = record;
  if (status !== 'SUCCESS' && status !== 'FAILURE') {
    return `a signal's Status must be SUCCESS or FAILURE, got ${JSON.stringify(status)}`;
  }
  if (typeof uniqueId !== 'string' || uniqueId === '') {
    return `a signal needs a UniqueId, got ${JSON.stringify(uniqueId)}`;
  }
  return { status, uniqueId, data: typeof data === 'string' ? data : '', reason: typeof reason === 'string' ? reason : '', receivedAt: Date.now() };
}
