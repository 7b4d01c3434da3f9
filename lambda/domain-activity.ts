import { logCall } from './log';
import { describeDomain, listAssociations } from './packages-api';
import { errorName, isRetryable } from './service-errors';

/** Package statuses of an operation that has not settled. */
const IN_FLIGHT = new Set(['ASSOCIATING', 'DISSOCIATING']);

/**
 * What keeps the domain busy, as a person reads it (`pkg-a1 ASSOCIATING;
 * domain Modifying`), or undefined when nothing is in flight. A package
 * operation shows in the list; a configuration change or blue/green that is
 * not one shows only in DescribeDomain. A domain that cannot be read now
 * counts as busy: waiting costs a poll, failing would be a guess.
 */
export async function inFlightOn(domainName: string): Promise<string | undefined> {
  try {
    const [entries, status] = await Promise.all([listAssociations(domainName), describeDomain(domainName)]);
    const activity = [
      ...entries.filter((entry) => IN_FLIGHT.has(entry.DomainPackageStatus ?? '')).map((entry) => `${entry.PackageID} ${entry.DomainPackageStatus}`),
      ...(status?.UpgradeProcessing ? ['engine upgrade'] : []),
      ...(status?.Processing ? [`domain ${status.DomainProcessingStatus ?? 'processing'}`] : []),
      ...(!status?.Processing && status?.DomainProcessingStatus && status.DomainProcessingStatus !== 'Active' ? [`domain ${status.DomainProcessingStatus}`] : []),
    ];
    return activity.length > 0 ? activity.join('; ') : undefined;
  } catch (error) {
    if (isRetryable(error)) {
      logCall({ operation: 'DescribeDomain', domain: domainName, outcome: 'unreadable', detail: errorName(error) });
      return `the domain could not be read (${errorName(error)})`;
    }
    throw error;
  }
}
