/**
 * The SDK clients the handler uses, built with the SDK's default configuration
 * so that AWS_REGION and the endpoint variables (AWS_ENDPOINT_URL_OPENSEARCH,
 * AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL) steer them. One client per
 * service, region and endpoint, reused across invocations.
 */

/**
 * Throttling, 5xx answers and dropped connections are retried by the SDK
 * (standard mode, exponential backoff with jitter). Short timeouts keep one
 * attempt within seconds; the invocation's deadline bounds them all.
 */
export const CLIENT_CONFIG = {
  maxAttempts: 5,
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
};

const clients = new Map<string, unknown>();

/** The cached client of `service` (the endpoint variable's suffix, e.g. `OPENSEARCH`), built by `create` on first use. */
export function cachedClient<T>(service: string, create: () => T): T {
  const env = process.env;
  const key = [service, env.AWS_REGION, env[`AWS_ENDPOINT_URL_${service}`], env.AWS_ENDPOINT_URL].join('|');
  let found = clients.get(key) as T | undefined;
  if (!found) {
    found = create();
    clients.set(key, found);
  }
  return found;
}
