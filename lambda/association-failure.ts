import type { PackagePair } from './association-request';

/**
 * A failure CloudFormation shows to the user. It shows only the message, so the
 * message carries everything: the error's name first, then the pair.
 */
export class AssociationFailure extends Error {
  constructor(public readonly errorName: string, detail: string, pair?: Partial<PackagePair>) {
    super(`${errorName}: ${detail}${pairSuffix(pair)}`);
    this.name = errorName;
  }
}

function pairSuffix(pair: Partial<PackagePair> | undefined): string {
  return pair?.domainName && pair.packageId ? ` (domain ${pair.domainName}, package ${pair.packageId})` : '';
}
