/**
 * The SDK clients the handler uses, built with the SDK's default configuration
 * so that AWS_REGION and the endpoint variables (AWS_ENDPOINT_URL_OPENSEARCH,
 * AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL) steer them. One client per
 * service, region and endpoint, reused across invocations.
 */

import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';

const MAX_ATTEMPTS = 5;

/** Errors the SDK's standard strategy retries as throttling that waiting seconds cannot mend. */
const FINAL_ERRORS = new Set(['LimitExceededException']);

/**
 * The standard strategy (exponential backoff with jitter), except that it
 * stops at once on an error in FINAL_ERRORS: LimitExceededException (too many
 * packages on a domain) counts as throttling for the SDK, and five attempts
 * would only delay the same answer.
 */
class StopOnLimitRetryStrategy extends StandardRetryStrategy {
  public async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const name = (errorInfo.error as { name?: string } | undefined)?.name ?? '';
    if (FINAL_ERRORS.has(name)) {
      // A strategy that throws ends the retries; the SDK then throws the call's own error.
      throw errorInfo.error;
    }
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

/**
 * Throttling, 5xx answers and dropped connections are retried by the SDK.
 * Short timeouts keep one attempt within seconds; the invocation's deadline
 * bounds them all. @smithy/node-http-handler 4.x only logs a warning when
 * `requestTimeout` passes unless `throwOnRequestTimeout` is set: without it a
 * request the service never answers hangs until the invocation's deadline.
 */
export function clientConfig() {
  return {
    retryStrategy: new StopOnLimitRetryStrategy(MAX_ATTEMPTS),
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  };
}

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
