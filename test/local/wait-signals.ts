/**
 * Signals sent to a WaitConditionHandle's URL as the waiter sends them: one HTTP PUT, with an
 * empty Content-Type unless told otherwise, and the stack's live view polled until a resource
 * reaches a status.
 */
import { request } from 'node:http';
import type { CloudFormationPlayer } from '../../local/cloudformation-player';

export interface SignalBody {
  readonly Status: string;
  readonly UniqueId: string;
  readonly Data?: string;
  readonly Reason?: string;
}

/** PUTs `body` to `url`; resolves to the HTTP status. `contentType` undefined: no header at all. */
export function putSignal(url: string, body: SignalBody | string, contentType: string | undefined = ''): Promise<number> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(text) };
    if (contentType !== undefined) {
      headers['content-type'] = contentType;
    }
    const req = request(url, { method: 'PUT', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** Resolves once the player's live view shows `logicalId` with `status` (polled every 5 ms, 10 s at most). */
export async function untilStatus(player: CloudFormationPlayer, logicalId: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (player.stackView().resources.find((resource) => resource.logicalId === logicalId)?.status !== status) {
    if (Date.now() > deadline) {
      throw new Error(`${logicalId} never reached ${status}: ${JSON.stringify(player.stackView())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The physical id the live view shows for `logicalId`. */
export function physicalIdOf(player: CloudFormationPlayer, logicalId: string): string {
  const id = player.stackView().resources.find((resource) => resource.logicalId === logicalId)?.physicalId;
  if (id === undefined) {
    throw new Error(`${logicalId} has no physical id in ${JSON.stringify(player.stackView())}`);
  }
  return id;
}
