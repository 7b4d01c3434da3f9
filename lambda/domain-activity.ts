import type { DomainStatus } from '@aws-sdk/client-opensearch';
import { logCall } from './log';
import { describeDomain, listAssociations } from './packages-api';
import { errorName, isRetryable } from './service-errors';

/** Package statuses of an operation that has not settled. */
const IN_FLIGHT = new Set(['ASSOCIATING', 'DISSOCIATING']);

/** What the domain shows of its operations at one moment. */
export interface DomainActivity {
  /**
   * What keeps the domain busy, as a person reads it (`pkg-a1 ASSOCIATING;
   * domain Modifying`), or undefined when nothing is in flight.
   */
  readonly inFlight?: string;
  /**
   * Every entry's status, version and time, and the domain's processing
   * state: two readings that differ saw an operation run between them.
   */
  readonly fingerprint: string;
}

/**
 * What keeps the domain busy. A package operation shows in the list; a
 * configuration change or blue/green that is not one shows only in
 * DescribeDomain. A domain that cannot be read now counts as busy: waiting
 * costs a poll, failing would be a guess.
 */
export async function activityOn(domainName: string): Promise<DomainActivity> {
  try {
    const [entries, status] = await Promise.all([listAssociations(domainName), describeDomain(domainName)]);
    const activity = [
      ...entries.filter((entry) => IN_FLIGHT.has(entry.DomainPackageStatus ?? '')).map((entry) => `${entry.PackageID} ${entry.DomainPackageStatus}`),
      ...domainChangesOf(status),
    ];
    const fingerprint = JSON.stringify([
      entries.map((entry) => [entry.PackageID, entry.DomainPackageStatus, entry.PackageVersion, entry.LastUpdated?.getTime()]),
      [status?.Created, status?.Processing, status?.UpgradeProcessing, status?.DomainProcessingStatus],
    ]);
    return { inFlight: activity.length > 0 ? activity.join('; ') : undefined, fingerprint };
  } catch (error) {
    if (isRetryable(error)) {
      logCall({ operation: 'DescribeDomain', domain: domainName, outcome: 'unreadable', detail: errorName(error) });
      return { inFlight: `the domain could not be read (${errorName(error)})`, fingerprint: '' };
    }
    throw error;
  }
}

/**
 * What the domain itself is doing, as DescribeDomain shows it: being created (`Created` false), an
 * engine upgrade, or a change or blue/green (`Processing`, or a DomainProcessingStatus other than Active).
 */
function domainChangesOf(status: DomainStatus | undefined): string[] {
  if (status?.Created === false) {
    return ['domain being created'];
  }
  const processingStatus = status?.DomainProcessingStatus;
  return [
    ...(status?.UpgradeProcessing ? ['engine upgrade'] : []),
    ...(status?.Processing || (processingStatus && processingStatus !== 'Active') ? [`domain ${processingStatus ?? 'processing'}`] : []),
  ];
}

/**
 * What the domain itself is doing before a package write (see domainChangesOf): a domain created or
 * changed in the same deploy may still be at it. Undefined when it does nothing, is being deleted (its
 * packages go with it) or cannot be read: the write's own answer then decides.
 */
export async function domainChangeOn(domainName: string): Promise<string | undefined> {
  try {
    const status = await describeDomain(domainName);
    const changes = status?.Deleted ? [] : domainChangesOf(status);
    return changes.length > 0 ? changes.join('; ') : undefined;
  } catch {
    return undefined;
  }
}

/** What keeps the domain busy now (see activityOn), or undefined when nothing is in flight. */
export async function inFlightOn(domainName: string): Promise<string | undefined> {
  return (await activityOn(domainName)).inFlight;
}
