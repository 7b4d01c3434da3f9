/**
 * The handler's SDK clients end a request that the service accepts and never answers:
 * @smithy/node-http-handler 4.x enforces `requestTimeout` only with `throwOnRequestTimeout`
 * (without it, it logs a warning and the call waits for an answer that never comes).
 */
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribePackagesCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { clientConfig } from '../../lambda/sdk-clients';
import { isRetryable } from '../../lambda/service-errors';

/** Short enough for a test; the handler's own is 5 seconds. */
const REQUEST_TIMEOUT_MS = 200;

test('a request accepted and never answered ends, at every attempt, with a retryable TimeoutError', async () => {
  const received: IncomingMessage[] = [];
  const server = createServer((request) => {
    received.push(request); // read, never answered
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config = clientConfig();
  const client = new OpenSearchClient({
    ...config,
    requestHandler: { ...config.requestHandler, requestTimeout: REQUEST_TIMEOUT_MS },
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  try {
    const error = await client.send(new DescribePackagesCommand({})).then(() => undefined, (failure: unknown) => failure);

    expect(error).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 5 } });
    expect(isRetryable(error)).toBe(true);
    expect(received).toHaveLength(5); // each attempt reached the server, and each one ended
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 15_000); // the guard: without throwOnRequestTimeout the call never ends
