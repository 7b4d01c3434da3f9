import type { PackagePair } from './package-pair';

/**
 * The longest failure message: CloudFormation takes at most 4,096 bytes for a
 * custom resource's response, whose Reason the provider framework builds from
 * this message, a `Logs:` line and the stack trace, next to the stack id,
 * request id and physical and logical ids (about 700 bytes at their longest).
 */
export const MAX_MESSAGE_LENGTH = 2_048;

/**
 * A failure CloudFormation shows to the user, for every resource type. It shows only the message, so the
 * message carries everything: the error's name first, then the detail (cut to
 * fit, from its end), then what it is about (the pair, or a domain's packages), which is always kept.
 */
export class HandlerFailure extends Error {
  constructor(public readonly errorName: string, detail: string, subject?: FailureSubject) {
    super(fit(`${errorName}: `, detail, subjectSuffix(subject)));
    this.name = errorName;
    // The framework appends the stack's frames to the Reason: they would only crowd out the message.
    this.stack = this.message;
  }
}

function fit(head: string, detail: string, tail: string): string {
  const room = MAX_MESSAGE_LENGTH - head.length - tail.length;
  if (detail.length <= room) {
    return `${head}${detail}${tail}`;
  }
  const marker = ` [... ${detail.length} characters, cut to fit CloudFormation's response limit]`;
  return `${head}${detail.slice(0, Math.max(0, room - marker.length))}${marker}${tail}`;
}

/** What a failure is about: a pair, a package, or a domain's set of packages. */
export type FailureSubject = Partial<PackagePair> & { readonly packageIds?: readonly string[] };

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
