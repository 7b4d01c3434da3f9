import type { IConstruct } from 'constructs';

/**
 * A synth-time error that starts with the construct's path, so a user who
 * creates constructs in a loop knows which one is wrong:
 * `BadStack/Synonyms: invalid packageId: 'pkg_123' must match ...`.
 */
export function synthError(scope: IConstruct, what: string, detail: string): Error {
  return new Error(`${scope.node.path}: ${what}: ${detail}`);
}
