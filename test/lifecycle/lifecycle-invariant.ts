/**
 * The invariant the lifecycle property test checks after every stack operation:
 * - the operation ends as it should: a version without the failing dictionary deploys
 *   (CREATE_COMPLETE, UPDATE_COMPLETE), one with it rolls back (ROLLBACK_COMPLETE,
 *   UPDATE_ROLLBACK_COMPLETE), and so does one that would take over an association (a foreign
 *   one, or one another operation holds) and change its prerequisites at once, or change them in a
 *   set whose packages change too (the handler refuses both: ConfigurationConflict); a destroy
 *   deletes (DELETE_COMPLETE); no other resource operation fails, in any phase;
 * - each domain holds exactly the packages the last successful version declares (with their
 *   prerequisites), plus the foreign associations (those no successful version adopted), all
 *   ACTIVE, with nothing in flight;
 * - the no-gap rule: a package wanted both before and after the operation (declared by both
 *   versions, or foreign) is never the subject of a dissociation during it.
 */
import { Declared, declared, DOMAINS, StackVersion } from './stack-versions';
import type { AssociationView, RecordedRequest } from '../../emulator/packages-api-emulator';
import type { StackOutcome } from '../../local/cloudformation-player';

/** One stack operation of a run: a deploy of `version`, or the destroy. */
export interface PlayedOperation {
  readonly version?: StackVersion;
  readonly outcome: StackOutcome;
  /** The packages API requests the operation made. */
  readonly requests: readonly RecordedRequest[];
  /** Every domain's associations once the operation ended. */
  readonly domains: ReadonlyMap<string, readonly AssociationView[]>;
}

/** What the stack has successfully deployed so far, and which foreign associations are still foreign. */
export class LifecycleState {
  private lastGood?: StackVersion;
  private readonly foreign: Map<string, Set<string>>;

  constructor(foreign: ReadonlyArray<{ readonly domain: string; readonly packageId: string }>) {
    this.foreign = new Map(DOMAINS.map((domain) => [domain, new Set(foreign.filter((f) => f.domain === domain).map((f) => f.packageId))]));
  }

  /** Whether a stack exists (a deploy updates it rather than creating it). */
  get deployed(): boolean {
    return this.lastGood !== undefined;
  }

  /** The violations of the invariant in `operation`; the state moves on to what it left. */
  check(operation: PlayedOperation): string[] {
    const before = this.wanted(declared(this.lastGood));
    const conflicts = operation.version ? this.conflicts(operation.version) : [];
    const expectedStatus = this.expectedStatus(operation, conflicts.length > 0);
    const problems: string[] = [];
    if (operation.outcome.status !== expectedStatus) {
      problems.push(`ended ${operation.outcome.status}, expected ${expectedStatus}${conflicts.length > 0 ? ` (takes over and changes ${conflicts.join(', ')})` : ''}`);
    }
    const expectedFailure = (reason: string) => (conflicts.length > 0 && reason.startsWith('ConfigurationConflict'))
      // A long operation still waiting when another fails: CloudFormation cancels its WaitCondition.
      || reason === 'Resource creation cancelled';
    // The failing dictionary fails itself, or through its WaitCondition when it is long.
    const unexpected = operation.outcome.failures.filter((failure) => !failure.logicalId.startsWith('Broken') && !expectedFailure(failure.reason));
    problems.push(...unexpected.map((failure) => `${failure.logicalId} failed: ${failure.reason}`));

    const target = operation.version ? this.wanted(declared(operation.version)) : this.wanted(new Map());
    problems.push(...gaps(operation.requests, intersect(before, target)));
    this.advance(operation, expectedStatus);
    problems.push(...this.stateProblems(operation.domains));
    return problems;
  }

  /**
   * The packages `version` would take over from another holder (a foreign association, or another
   * operation of the last good version) with other prerequisites than they have: `domain/package`.
   */
  private conflicts(version: StackVersion): string[] {
    const current = declared(this.lastGood);
    const next = declared(version);
    return [...next].flatMap(([domain, held]) => [...held].flatMap(([id, asked]) => {
      const now = current.get(domain)?.get(id);
      const shown = now?.prerequisites ?? (this.foreign.get(domain)!.has(id) ? [] : undefined);
      if (shown === undefined || [...shown].sort().join() === [...asked.prerequisites].sort().join()) {
        return [];
      }
      const sameHolder = now !== undefined && now.holder.id === asked.holder.id && now.holder.kind === asked.holder.kind;
      // The same set may change a package's prerequisites only while its packages stay the same (a new physical id
      // would make it a replacement, which CloudFormation may roll back without an Update that restores them).
      const members = (declaredOn: Declared) =>
        [...declaredOn.get(domain)!].filter(([, h]) => h.holder.id === asked.holder.id).map(([p]) => p).sort().join();
      const restorable = sameHolder && (asked.holder.kind === 'single' || members(current) === members(next));
      return restorable ? [] : [`${domain}/${id}`];
    }));
  }

  private expectedStatus(operation: PlayedOperation, conflicting: boolean): string {
    if (!operation.version) {
      return 'DELETE_COMPLETE';
    }
    if (operation.version.broken || conflicting) {
      return this.deployed ? 'UPDATE_ROLLBACK_COMPLETE' : 'ROLLBACK_COMPLETE';
    }
    return this.deployed ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE';
  }

  private advance(operation: PlayedOperation, expectedStatus: string): void {
    if (expectedStatus === 'DELETE_COMPLETE') {
      this.lastGood = undefined;
    } else if (expectedStatus === 'CREATE_COMPLETE' || expectedStatus === 'UPDATE_COMPLETE') {
      this.lastGood = operation.version;
      // An association a successful version adopted is the stack's from now on.
      declared(operation.version).forEach((held, domain) => held.forEach((_, id) => this.foreign.get(domain)!.delete(id)));
    }
  }

  /** Each domain holds exactly what the last good version declares, plus the foreign associations, all ACTIVE. */
  private stateProblems(domains: ReadonlyMap<string, readonly AssociationView[]>): string[] {
    const expected = declared(this.lastGood);
    return DOMAINS.flatMap((domain) => {
      const want = new Map([...expected.get(domain)!].map(([id, held]) => [id, held.prerequisites]));
      this.foreign.get(domain)!.forEach((id) => want.has(id) || want.set(id, []));
      const have = domains.get(domain) ?? [];
      const problems = have.filter((entry) => entry.status !== 'ACTIVE').map((entry) => `${domain}: ${entry.packageId} is ${entry.status}`);
      const wantIds = [...want.keys()].sort();
      const haveIds = have.map((entry) => entry.packageId).sort();
      if (wantIds.join() !== haveIds.join()) {
        problems.push(`${domain} holds [${haveIds.join(', ')}], expected [${wantIds.join(', ')}]`);
      }
      for (const entry of have) {
        const prerequisites = want.get(entry.packageId);
        if (prerequisites && [...entry.prerequisites].sort().join() !== [...prerequisites].sort().join()) {
          problems.push(`${domain}: ${entry.packageId} has prerequisites [${entry.prerequisites.join(', ')}], expected [${prerequisites.join(', ')}]`);
        }
      }
      return problems;
    });
  }

  /** What the stack wants on each domain given `held`, plus the foreign associations. */
  private wanted(held: Declared): Map<string, Set<string>> {
    return new Map(DOMAINS.map((domain) => [domain, new Set([...(held.get(domain)?.keys() ?? []), ...this.foreign.get(domain)!])]));
  }
}

function intersect(a: Map<string, Set<string>>, b: Map<string, Set<string>>): Map<string, Set<string>> {
  return new Map([...a].map(([domain, ids]) => [domain, new Set([...ids].filter((id) => b.get(domain)?.has(id)))]));
}

/** Dissociations, single or batch, of a package wanted before and after. */
function gaps(requests: readonly RecordedRequest[], kept: Map<string, Set<string>>): string[] {
  return requests.flatMap((request) => {
    if (request.operation !== 'DissociatePackage' && request.operation !== 'DissociatePackages') {
      return [];
    }
    const ids = request.packageIds ?? (request.packageId ? [request.packageId] : []);
    const wanted = ids.filter((id) => kept.get(request.domain ?? '')?.has(id));
    return wanted.length > 0 ? [`${request.operation} on ${request.domain} named ${wanted.join(', ')}, wanted before and after (answered ${request.status})`] : [];
  });
}
