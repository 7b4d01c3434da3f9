/**
 * Paging as the emulated services do it: pages of at most a page size, an opaque NextToken.
 */
import { ApiError, validationError } from './api-error';

export interface PageRequest {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Pages over items sorted by key. The token names the last key returned rather than an offset, so
 * entries appearing or disappearing between calls neither repeat nor skip the others. A token
 * this emulator did not issue throws `invalidToken` (each service words it its own way).
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  pageSize: number,
  invalidToken: ApiError = validationError('Invalid NextToken'),
): Page<T> {
  const after = request.nextToken === undefined ? undefined : decodeToken(request.nextToken, invalidToken);
  const remaining = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const size = Math.min(request.maxResults ?? pageSize, pageSize);
  const page = remaining.slice(0, size);
  const last = page[page.length - 1];
  return remaining.length > size && last !== undefined ? { items: page, nextToken: encodeToken(keyOf(last)) } : { items: page };
}

/** The page size an emulator's options ask for: at most the service's maximum, which is also the default. */
export function pageSizeOption(requested: number | undefined, maximum: number): number {
  const size = Math.min(requested ?? maximum, maximum);
  if (!(size >= 1)) {
    throw new RangeError(`pageSize must be at least 1, got ${requested}`);
  }
  return size;
}

function encodeToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString('base64');
}

function decodeToken(token: string, invalidToken: ApiError): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') {
      return after;
    }
  } catch {
    // Not a token this emulator issued: answered below like any other invalid token.
  }
  throw invalidToken;
}
