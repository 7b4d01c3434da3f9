/**
 * Requests the emulator received per association during the deploy runs,
 * split by operation, against the target: one read of the pair before the
 * call (what tells the operation's result from the state before it), one
 * AssociatePackage, and one ListPackagesForDomain page per isComplete poll,
 * nothing else.
 */
import type { DeployResult } from './deploy-benchmark';
import { summarize, Summary } from './stats';

export const OPERATIONS = ['AssociatePackage', 'ListPackagesForDomain', 'DissociatePackage', 'DescribePackages'] as const;

export interface RequestsResult {
  readonly associations: number;
  /** Per association, median over every association of every run. */
  readonly perAssociation: Record<string, Summary>;
  readonly pollsPerAssociation: Summary;
  /** Associations whose requests were exactly 1 read before the call, 1 AssociatePackage and 1 list page per poll. */
  readonly matchingTarget: number;
  /** Polls started after the association was ACTIVE that still answered "not complete". */
  readonly wastedPolls: number;
  readonly target: { readonly met: boolean; readonly description: string };
}

export function requestsPerAssociation(deploy: DeployResult): RequestsResult {
  const all = deploy.runs.flatMap((run) => run.associations);
  const perAssociation: Record<string, Summary> = {};
  for (const operation of OPERATIONS) {
    perAssociation[operation] = summarize(all.map((a) => a.requests[operation] ?? 0), 1);
  }
  const known = (op: string) => (OPERATIONS as readonly string[]).includes(op);
  const matching = all.filter((a) => Object.keys(a.requests).every(known)
    && (a.requests.AssociatePackage ?? 0) === 1
    && (a.requests.ListPackagesForDomain ?? 0) === 1 + a.polls
    && (a.requests.DissociatePackage ?? 0) === 0
    && (a.requests.DescribePackages ?? 0) === 0
    && a.wastedPolls === 0).length;
  return {
    associations: all.length,
    perAssociation,
    pollsPerAssociation: summarize(all.map((a) => a.polls), 1),
    matchingTarget: matching,
    wastedPolls: all.reduce((total, a) => total + a.wastedPolls, 0),
    target: {
      met: matching === all.length,
      description: '1 ListPackagesForDomain read before the call + 1 AssociatePackage + 1 ListPackagesForDomain page per poll, no poll after ACTIVE that missed it, nothing else',
    },
  };
}
