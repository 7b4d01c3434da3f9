import type { DomainPackageDetails } from '@aws-sdk/client-opensearch';
import type { AssociationRequest } from './association-request';
import type { EntrySnapshot } from './events';
import { HandlerFailure } from './handler-failure';

/**
 * How the handler reads a pair's listed entry (DomainPackageDetails): whether
 * it shows this operation yet, whether it shows what was asked, and the
 * resource's attributes.
 */

export function snapshotOf(entry: DomainPackageDetails | undefined): EntrySnapshot | null {
  return entry
    ? { Status: entry.DomainPackageStatus, Version: entry.PackageVersion, LastUpdated: entry.LastUpdated?.toISOString() }
    : null;
}

/**
 * Whether the entry differs from the one listed before the operation's call:
 * newer in the service's own time, or another status or version. Service
 * times are compared only with service times, so the function's clock never
 * matters. Without a snapshot (an operation an older handler version started)
 * the entry is taken as current.
 */
export function changedSince(entry: DomainPackageDetails, before: EntrySnapshot | null | undefined): boolean {
  if (before === undefined || before === null) {
    return true;
  }
  const updated = entry.LastUpdated?.getTime();
  const previous = before.LastUpdated === undefined ? undefined : Date.parse(before.LastUpdated);
  const newer = updated !== undefined && previous !== undefined && updated > previous;
  return newer || entry.DomainPackageStatus !== before.Status || entry.PackageVersion !== before.Version;
}

/**
 * Whether the entry shows the configuration the request asks for: `match`,
 * `unknown` (the list leaves out a field the request asks something of, so
 * only another association could tell), or the mismatch as a person reads it.
 * A field the list leaves out matches an empty ask: the service renders no
 * prerequisites and no configuration by leaving them out. With
 * `omittedIsNone`, a field left out is read as none at all (where only what the
 * entry surely shows may be taken over).
 */
export type ConfigurationShown = 'match' | 'unknown' | { readonly mismatch: string };

export function configurationShown(entry: DomainPackageDetails, request: AssociationRequest, omittedIsNone = false): ConfigurationShown {
  const problems: string[] = [];
  let unknown = false;
  const listedPrerequisites = entry.PrerequisitePackageIDList ?? (omittedIsNone ? [] : undefined);
  if (listedPrerequisites === undefined) {
    unknown = request.prerequisites.length > 0;
  } else if (!sameSet(listedPrerequisites, request.prerequisites)) {
    problems.push(`prerequisites [${listedPrerequisites.join(', ')}] (asked: [${request.prerequisites.join(', ')}])`);
  }
  const option = entry.AssociationConfiguration?.KeyStoreAccessOption ?? (omittedIsNone ? { KeyStoreAccessEnabled: false } : undefined);
  const asked = request.keyStoreAccess;
  if (option === undefined) {
    unknown ||= asked?.enabled === true;
  } else {
    if (option.KeyStoreAccessEnabled !== undefined && option.KeyStoreAccessEnabled !== (asked?.enabled ?? false)) {
      problems.push(`key-store access ${option.KeyStoreAccessEnabled ? 'enabled' : 'disabled'} (asked: ${asked?.enabled ? 'enabled' : 'disabled'})`);
    }
    if (option.KeyAccessRoleArn !== undefined && option.KeyAccessRoleArn !== asked?.roleArn) {
      problems.push(`key-access role ${option.KeyAccessRoleArn} (asked: ${asked?.roleArn ?? 'none'})`);
    }
  }
  if (problems.length > 0) {
    return { mismatch: problems.join(', ') };
  }
  return unknown ? 'unknown' : 'match';
}

/** What the entry shows that differs from the request; undefined when nothing the list returns differs. */
export function configurationMismatch(entry: DomainPackageDetails, request: AssociationRequest): string | undefined {
  const shown = configurationShown(entry, request);
  return typeof shown === 'object' ? shown.mismatch : undefined;
}

/** Whether two lists hold the same ids, in any order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

/** The resource's attributes, always strings: '' where the service gives none. */
export function attributesOf(entry: DomainPackageDetails): Record<string, string> {
  return {
    ReferencePath: entry.ReferencePath ?? '',
    PackageVersion: entry.PackageVersion ?? '',
    PackageName: entry.PackageName ?? '',
    PackageType: entry.PackageType ?? '',
    DomainPackageStatus: entry.DomainPackageStatus ?? '',
  };
}

/**
 * An operation may take over (adopt) an association it did not hold only as
 * it is: changing it at once could not be undone if the deploy rolled back,
 * since CloudFormation sends no request to restore an association whose
 * holder the deploy did not update (a foreign one, or one moved from another
 * resource of the stack). The failure, before any write, when the listed
 * entry shows another configuration than `request` asks for; a field the list
 * leaves out counts as none (assumed: the service leaves out what is empty).
 */
export function adoptionConflict(entry: DomainPackageDetails, request: AssociationRequest): HandlerFailure | undefined {
  const shown = configurationShown(entry, request, true);
  if (typeof shown !== 'object') {
    return undefined;
  }
  return new HandlerFailure('ConfigurationConflict', `${request.packageId} is on the domain already, held by no resource this operation updates, `
    + `with ${shown.mismatch}: taking it over and changing it in one deploy could not be undone by a rollback. Take it over as it is first `
    + '(the configuration it shows), then change it in a later deploy; or dissociate it first', { domainName: request.domainName, packageId: request.packageId });
}
