/**
 * What a domain is doing besides package operations (a configuration change, an engine upgrade),
 * and how DescribeDomain reports the sum of it. Changes end lazily: each knows when it ends and is
 * compared with the clock when asked, like the package operations in domain-model.ts.
 */

/** Domain-level changes that are not package operations; `creation`: the domain itself is being created. */
export type DomainChangeKind = 'creation' | 'configuration' | 'engineUpgrade';

/** The values of the SDK's DomainProcessingStatusType that the emulator reports. */
export type DomainProcessingStatus = 'Creating' | 'Active' | 'Modifying' | 'UpgradingEngineVersion';

/** What runs on a domain at one instant. */
export interface DomainActivity {
  /** An own or foreign package operation (ASSOCIATING / DISSOCIATING) is in flight. */
  readonly packageOperation: boolean;
  readonly creation: boolean;
  readonly configurationChange: boolean;
  readonly engineUpgrade: boolean;
}

/** DescribeDomain's processing fields. */
export interface ProcessingState {
  /** False while the domain is being created. */
  readonly created: boolean;
  readonly processing: boolean;
  readonly upgradeProcessing: boolean;
  readonly processingStatus: DomainProcessingStatus;
}

/** The domain-level changes of one domain: kind → time it ends. */
export class DomainChanges {
  private readonly endsAt = new Map<DomainChangeKind, number>();

  /** A change started while another of its kind runs extends it: the domain stays busy until the later end. */
  start(kind: DomainChangeKind, now: number, durationMs: number): void {
    if (!(durationMs >= 0)) {
      throw new RangeError(`A domain change lasts at least 0 ms, got ${durationMs}`);
    }
    this.endsAt.set(kind, Math.max(this.endsAt.get(kind) ?? now, now + durationMs));
  }

  inProgress(kind: DomainChangeKind, now: number): boolean {
    return (this.endsAt.get(kind) ?? now) > now;
  }
}

/** Any of it makes the domain refuse package operations. */
export function isBusy(activity: DomainActivity): boolean {
  return activity.packageOperation || activity.creation || activity.configurationChange || activity.engineUpgrade;
}

/**
 * The service documents `Processing` as "processing configuration changes" and `UpgradeProcessing`
 * as "in the process of a version upgrade", as two separate flags: during an engine upgrade alone
 * the emulator keeps `Processing` false, so that a client that reads only `Processing` misses it.
 */
export function processingState(activity: DomainActivity): ProcessingState {
  const modifying = activity.packageOperation || activity.configurationChange;
  return {
    created: !activity.creation,
    processing: modifying || activity.creation,
    upgradeProcessing: activity.engineUpgrade,
    processingStatus: activity.creation ? 'Creating' : activity.engineUpgrade ? 'UpgradingEngineVersion' : modifying ? 'Modifying' : 'Active',
  };
}
