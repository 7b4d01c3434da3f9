import type { IConstruct } from 'constructs';
import { validationError } from './validation-error';

/**
 * A synth-time error that starts with the construct's path, so a user who
 * creates constructs in a loop knows which one is wrong:
 * `BadStack/Synonyms: invalid packageId: 'pkg_123' must match ...`.
 * aws-cdk-lib's `ValidationError` where the installed release has one: it
 * keeps the message as it is and shows the path apart, in its own rendering
 * of the error (the construct tree), not in the message.
 */
export function synthError(scope: IConstruct, what: string, detail: string): Error {
  return validationError(`${scope.node.path}: ${what}: ${detail}`, scope);
}

/**
 * A message for `node.addValidation`: aws-cdk-lib puts the construct's path
 * in front of it (`[BadStack/Set] addPackage: ...`), so it has none of its own.
 */
export function validationMessage(what: string, detail: string): string {
  return `${what}: ${detail}`;
}
