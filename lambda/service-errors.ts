/**
 * How the handler reads the service's errors: by name, and by message text only
 * for the cases seen in the field.
 */

const ALREADY_IN_DESIRED_STATE = 'Package is already in desired state';
const NOT_ASSOCIATED = 'Package is not associated to this domain';
/** A missing package may be a ValidationException with this text (Terraform's provider treats it as gone). */
const PACKAGE_NOT_FOUND = /package not found/i;

const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'SlowDown',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);
/** No answer in time; AbortError is a call the invocation's deadline gave up on. */
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

interface ServiceError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

function asServiceError(error: unknown): ServiceError {
  return typeof error === 'object' && error !== null ? error as ServiceError : {};
}

export function errorName(error: unknown): string {
  return asServiceError(error).name ?? 'Error';
}

export function errorMessage(error: unknown): string {
  return asServiceError(error).message ?? String(error);
}

/** The association exists as asked: adopt it. */
export function isAlreadyInDesiredState(error: unknown): boolean {
  return errorName(error) === 'ConflictException' && errorMessage(error).includes(ALREADY_IN_DESIRED_STATE);
}

/**
 * A conflict other than "already in desired state": the domain is busy, or the
 * package is in use. Only the domain's state tells which (see settleConflict).
 */
export function isConflict(error: unknown): boolean {
  return errorName(error) === 'ConflictException' && !isAlreadyInDesiredState(error);
}

export function isAccessDenied(error: unknown): boolean {
  return errorName(error) === 'AccessDeniedException';
}

/** Too many packages or plugins on the domain: waiting does not help. */
export function isLimitExceeded(error: unknown): boolean {
  return errorName(error) === 'LimitExceededException';
}

export function isValidationError(error: unknown): boolean {
  return errorName(error) === 'ValidationException';
}

/**
 * The resource the call names does not exist: ResourceNotFoundException (the
 * model's), or the ValidationException "Package not found" seen in the field.
 */
export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException' || (isValidationError(error) && PACKAGE_NOT_FOUND.test(errorMessage(error)));
}

/** Nothing left to dissociate: the pair is not associated, or the domain or package is gone. */
export function isAlreadyGone(error: unknown): boolean {
  return isNotFound(error) || (isValidationError(error) && errorMessage(error).includes(NOT_ASSOCIATED));
}

/** Throttling, a 5xx answer or a dropped connection, still failing after the SDK's own retries. */
export function isRetryable(error: unknown): boolean {
  const e = asServiceError(error);
  const status = e.$metadata?.httpStatusCode ?? 0;
  return Boolean(e.$retryable)
    || status === 429 || status >= 500
    || THROTTLING_NAMES.has(e.name ?? '')
    || NETWORK_NAMES.has(e.name ?? '')
    || NETWORK_CODES.has(e.code ?? '');
}

/** How many attempts the SDK made for the call that ended in `error`. */
export function attemptsOf(error: unknown): number | undefined {
  return asServiceError(error).$metadata?.attempts;
}
