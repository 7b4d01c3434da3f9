/**
 * Importing a package version from S3, as CreatePackage and UpdatePackage do: COPYING, then
 * VALIDATING, then an outcome. An import records when each phase ends and is compared with the
 * clock when asked, like the domain operations: no timer runs.
 */
import type { ErrorDetails, PackageConfiguration } from './package-shapes';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** How long the two phases last. */
export interface ImportTiming {
  readonly copyMs: number;
  readonly validationMs: number;
}

/** One import in flight. */
export interface PackageImport {
  /** The version the package gets once the import ends AVAILABLE. */
  readonly version: string;
  readonly commitMessage?: string;
  readonly configuration?: PackageConfiguration;
  readonly startedAt: number;
  /** COPYING until then. */
  readonly copiedAt: number;
  /** VALIDATING until then. */
  readonly validatedAt: number;
  /** The source was missing when the import started: it ends COPY_FAILED with these details at copiedAt. */
  readonly copyFailure?: ErrorDetails;
}

export type ImportPhase = 'COPYING' | 'VALIDATING';

/**
 * The S3 objects the emulated service can read. The emulator has no S3: a test registers the objects
 * a package may be imported from, and an import of any other ends COPY_FAILED.
 */
export class SourceObjects {
  private readonly objects = new Set<string>();

  constructor(initial: readonly S3Location[] = []) {
    initial.forEach((location) => this.put(location));
  }

  put(location: S3Location): void {
    this.objects.add(objectName(location));
  }

  has(location: S3Location): boolean {
    return this.objects.has(objectName(location));
  }
}

/**
 * The source is read when the import starts: an object put later does not rescue it. The copy
 * failure's wording is the emulator's; the service's is not documented.
 */
export function startImport(
  request: { readonly version: string; readonly source: S3Location; readonly commitMessage?: string; readonly configuration?: PackageConfiguration },
  sources: SourceObjects,
  timing: ImportTiming,
  now: number,
): PackageImport {
  const copiedAt = now + timing.copyMs;
  return {
    version: request.version,
    commitMessage: request.commitMessage,
    configuration: request.configuration,
    startedAt: now,
    copiedAt,
    validatedAt: copiedAt + timing.validationMs,
    copyFailure: sources.has(request.source) ? undefined : copyFailure(request.source),
  };
}

/** A failed copy ends the import at once: nothing is validated. */
export function importEndsAt(running: PackageImport): number {
  return running.copyFailure ? running.copiedAt : running.validatedAt;
}

/** The phase of an import that has not ended yet, and since when it is in it. */
export function importPhase(running: PackageImport, now: number): { readonly status: ImportPhase; readonly since: number } {
  return now < running.copiedAt ? { status: 'COPYING', since: running.startedAt } : { status: 'VALIDATING', since: running.copiedAt };
}

/** The version after the newest: `v<n+1>` when the newest reads `v<n>`, else counted. */
export function nextVersion(versions: readonly string[]): string {
  const newest = versions[versions.length - 1];
  const number = newest === undefined ? 0 : Number(/^v(\d+)$/.exec(newest)?.[1] ?? versions.length);
  return `v${number + 1}`;
}

function copyFailure({ bucket, key }: S3Location): ErrorDetails {
  return {
    errorType: 'CopyFailed',
    errorMessage: `Unable to copy the package from s3://${bucket}/${key}: the object does not exist or cannot be read`,
  };
}

/** Bucket names hold no '/', so bucket and key joined by one name the object unambiguously. */
function objectName({ bucket, key }: S3Location): string {
  return `${bucket}/${key}`;
}
