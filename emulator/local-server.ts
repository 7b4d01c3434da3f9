/**
 * What the in-process emulators share on the HTTP side: a server on 127.0.0.1, request bodies,
 * request ids.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An HTTP server on 127.0.0.1 that can be closed at once, however many keep-alive connections the SDK holds. */
export class LocalServer {
  private readonly server: Server;
  private port = 0;

  constructor(handler: RequestHandler) {
    this.server = createServer((req, res) => {
      // A client that goes away mid-request only loses its own connection.
      handler(req, res).catch(() => req.socket.destroy());
    });
  }

  /** 'http://127.0.0.1:<port>' */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Port 0: a free port chosen by the system. */
  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void> {
    if (!this.server.listening) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

/** The whole body: read before answering, so that keep-alive connections stay usable whatever the answer. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Deterministic, UUID-shaped request ids. */
export function requestId(sequence: number): string {
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}
