/**
 * A package's PackageDescription: the user's description, then the owner
 * marker the handler appends. CreatePackage is not idempotent and the SDK
 * retries it, so after a lost answer the handler finds the package by name
 * and adopts it only when the marker proves that this resource asked for it.
 * Shared by the construct (synth time: the user's part must leave room for
 * the marker) and the handler.
 *
 * Pure module: no CDK imports, so the handler bundle stays small.
 */
import { createHash } from 'node:crypto';

/** PackageDescription: at most 1024 characters (API reference, CreatePackage and UpdatePackage). */
const MAX_PACKAGE_DESCRIPTION_LENGTH = 1024;

const MARKER_PREFIX = '[cdk-opensearch-packages ';
/** Hex digits of the hash: 128 bits, fixed, so that the room left to the user is known at synth time. */
const HASH_LENGTH = 32;
const MARKER_LENGTH = MARKER_PREFIX.length + HASH_LENGTH + 1;

/** The longest description a user may give: the marker and its separating space take the rest. */
export const MAX_USER_DESCRIPTION_LENGTH = MAX_PACKAGE_DESCRIPTION_LENGTH - MARKER_LENGTH - 1;

/** Returns why `description` is too long, or undefined when it fits. */
export function descriptionProblem(description: string): string | undefined {
  const characters = Array.from(description); // the service counts code points (Smithy's string length)
  if (characters.length <= MAX_USER_DESCRIPTION_LENGTH) {
    return undefined;
  }
  return `'${characters.slice(0, 40).join('')}…' is ${characters.length} characters; at most ${MAX_USER_DESCRIPTION_LENGTH} fit `
    + `(PackageDescription takes ${MAX_PACKAGE_DESCRIPTION_LENGTH}, ${MAX_PACKAGE_DESCRIPTION_LENGTH - MAX_USER_DESCRIPTION_LENGTH} of them `
    + 'hold the marker that identifies the package\'s resource)';
}

/**
 * `[cdk-opensearch-packages <hash>]` of the stack id (which changes when a
 * stack of the same name is created again) and the logical id: one resource,
 * and only it, has this marker. A hash keeps its length fixed.
 */
export function ownerMarker(stackId: string, logicalId: string): string {
  const hash = createHash('sha256').update(`${stackId}\n${logicalId}`).digest('hex').slice(0, HASH_LENGTH);
  return `${MARKER_PREFIX}${hash}]`;
}

/** The description sent to the service: the user's, then the marker. */
export function describedWith(description: string | undefined, marker: string): string {
  return description ? `${description} ${marker}` : marker;
}

/** Whether a package's description ends with `marker`. */
export function carriesMarker(description: string | undefined, marker: string): boolean {
  return (description ?? '').endsWith(marker);
}

/** Whether a package's description ends with any resource's marker. */
export function carriesAnyMarker(description: string | undefined): boolean {
  return new RegExp(`${escape(MARKER_PREFIX)}[0-9a-f]{${HASH_LENGTH}}\\]$`).test(description ?? '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
