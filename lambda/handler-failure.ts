import type { PackagePair } from './package-pair';

/**
 * A failure CloudFormation shows to the user, for every resource type. It shows only the message, so the
 * message carries everything, on one line: the error's name first, then the detail, then what it is about
 * (the pair, or a domain's packages). Its full length is kept until the handler answers; `fitted` then cuts
 * the detail, never the name or the subject, to what the response has room for (see failure-response.ts).
 */
export class HandlerFailure extends Error {
  private readonly head: string;
  private readonly detail: string;
  private readonly tail: string;

  constructor(public readonly errorName: string, detail: string, subject?: FailureSubject) {
    const parts = { head: `${errorName}: `, detail: asReported(detail), tail: subjectSuffix(subject) };
    super(`${parts.head}${parts.detail}${parts.tail}`);
    this.head = parts.head;
    this.detail = parts.detail;
    this.tail = parts.tail;
    this.name = errorName;
    // Lambda reports the stack's lines and the framework appends all but the first to the Reason: one line, nothing repeated.
    this.stack = this.message;
  }

  /** The message, its detail cut so that it takes at most `bytes` as a JSON string's content. */
  fitted(bytes: number): string {
    return fitMessage(this.head, this.detail, this.tail, bytes);
  }
}

/**
 * Text as the response carries it. Line breaks become ` | `: CloudFormation shows a Reason's first line,
 * and the framework's trace would repeat every further line. DEL becomes `%7F`, as the Lambda runtime
 * writes it, so that it is measured at its reported size.
 */
export function asReported(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]\s*/g, ' | ').replace(/\x7F/g, '%7F');
}

/**
 * `head` + `detail` + `tail` within `bytes` (UTF-8, JSON-escaped). Too long, the detail loses its middle: its
 * start says what went wrong, its end often what to do. Only a response with no room for the head and tail
 * cuts them too, from the end.
 */
export function fitMessage(head: string, detail: string, tail: string, bytes: number): string {
  const whole = `${head}${detail}${tail}`;
  if (jsonBytes(whole) <= bytes) {
    return whole;
  }
  const marker = (cut: number) => ` [... ${cut} characters cut to fit CloudFormation's 4,096-byte response; the logs have them] `;
  const room = bytes - jsonBytes(head) - jsonBytes(tail) - jsonBytes(marker(detail.length));
  if (room < 0) {
    return prefixWithin(`${head}${marker(detail.length).trim()}${tail}`, bytes);
  }
  const start = prefixWithin(detail, Math.ceil(room * 2 / 3));
  const end = suffixWithin(detail.slice(start.length), room - jsonBytes(start));
  return `${head}${start}${marker(detail.length - start.length - end.length)}${end}${tail}`;
}

/** What `text` takes inside a JSON string, in UTF-8 bytes (escapes included). */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The longest start of `text` within `bytes`, never splitting a character. */
function prefixWithin(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    used += jsonBytes(char);
    if (used > bytes) {
      break;
    }
    end += char.length;
  }
  return text.slice(0, end);
}

/** The longest end of `text` within `bytes`, never splitting a character. */
function suffixWithin(text: string, bytes: number): string {
  const chars = [...text];
  let used = 0;
  let start = chars.length;
  while (start > 0 && used + jsonBytes(chars[start - 1]) <= bytes) {
    used += jsonBytes(chars[--start]);
  }
  return chars.slice(start).join('');
}

/** What a failure is about: a pair, a package, or a domain's set of packages. */
export type FailureSubject = Partial<PackagePair> & { readonly packageIds?: readonly string[] };

/** What a failure about `pairs` (on one domain) is about: the pair itself, or the domain's packages. */
export function subjectOfPairs(pairs: readonly PackagePair[]): FailureSubject {
  return pairs.length === 1 ? pairs[0] : { domainName: pairs[0]?.domainName, packageIds: pairs.map((pair) => pair.packageId) };
}

function subjectSuffix(subject: FailureSubject | undefined): string {
  const packages = subject?.packageIds ? `packages ${subject.packageIds.join(', ')}` : subject?.packageId && `package ${subject.packageId}`;
  if (subject?.domainName && packages) {
    return ` (domain ${subject.domainName}, ${packages})`;
  }
  if (packages) {
    return ` (${packages})`;
  }
  return subject?.domainName ? ` (domain ${subject.domainName})` : '';
}
