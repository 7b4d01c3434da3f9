import { Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { IConstruct } from 'constructs';
import { MAX_PACKAGES_PER_DOMAIN } from './association-rules';
import { warnUnmergedBlueGreens } from './blue-green-budget';
import { synthError } from './synth-error';

/** A package an operation claims on its domain, and the construct that added it (a set's member: the package). */
export interface PackageClaim {
  readonly packageId: string;
  readonly scope: IConstruct;
}

/**
 * One package operation of a domain, as the order sees it: a
 * `DomainPackageAssociation` (one package) or a `DomainPackages` (a set).
 */
export interface DomainOperation {
  /** The construct whose resource runs the operation: the one that depends on the operations before it. */
  readonly scope: IConstruct;
  readonly domain: opensearch.IDomain;
  readonly domainName: string;
  /** The packages it claims on the domain, by the construct that added each. */
  claims(): readonly PackageClaim[];
  /** Operations of the same domain that must be done first. */
  prerequisites(): readonly DomainOperation[];
}

/**
 * Runs a stack's package operations on one domain one at a time.
 *
 * A domain accepts one package operation at a time and answers a second one
 * with ConflictException. Chaining the operations of a domain (single
 * associations and sets alike) with DependsOn lets CloudFormation order them
 * (and reverse the order on delete), while operations on different domains
 * still deploy in parallel. The chain is built as the stack synthesizes, so
 * prerequisites added at any time before come first. Operations that could
 * have been one blue/green deployment get a warning (blue-green-budget.ts).
 */
export class DomainOperationOrder implements IAspect {
  /** Returns the order of `scope`'s stack, creating it on first use. */
  public static of(scope: IConstruct): DomainOperationOrder {
    const stack = Stack.of(scope);
    let order = ORDERS.get(stack);
    if (!order) {
      order = new DomainOperationOrder(stack);
      ORDERS.set(stack, order);
      Aspects.of(stack).add(order);
    }
    return order;
  }

  private readonly byDomain = new Map<string, DomainOperation[]>();
  private applied = false;

  private constructor(private readonly stack: Stack) {}

  /** Adds `operation` to its domain's queue; each of its packages must be claimed with `claim` first. */
  public register(operation: DomainOperation): void {
    this.queueOf(operation).push(operation);
  }

  /** Fails when another operation of the domain already claims `packageId` (a literal id: tokens are compared at synth). */
  public claim(operation: DomainOperation, packageId: string, scope: IConstruct): void {
    const twin = this.queueOf(operation).find((other) => other !== operation && other.claims().some((c) => c.packageId === packageId));
    if (twin) {
      throw duplicate(scope, operation, packageId, twin.scope);
    }
  }

  public visit(node: IConstruct): void {
    if (node !== this.stack || this.applied) {
      return;
    }
    this.applied = true;
    for (const queue of this.byDomain.values()) {
      this.rejectSameExpression(queue);
      rejectTooMany(queue);
      const ordered = prerequisitesFirst(queue);
      chain(ordered);
      warnUnmergedBlueGreens(domainLabel(queue[0]), ordered);
    }
  }

  /** Two token package ids that are different objects but the same expression name the same package. */
  private rejectSameExpression(queue: DomainOperation[]): void {
    const seen = new Map<string, { readonly operation: DomainOperation; readonly scope: IConstruct }>();
    for (const operation of queue) {
      for (const { packageId, scope } of operation.claims().filter((c) => Token.isUnresolved(c.packageId))) {
        const expression = JSON.stringify(this.stack.resolve(packageId));
        const twin = seen.get(expression);
        if (twin) {
          // Within one set, the package added first; otherwise the operation that claimed it.
          throw duplicate(scope, operation, packageId, twin.operation === operation ? twin.scope : twin.operation.scope);
        }
        seen.set(expression, { operation, scope });
      }
    }
  }

  private queueOf(operation: DomainOperation): DomainOperation[] {
    let queue = this.byDomain.get(operation.domainName);
    if (!queue) {
      queue = [];
      this.byDomain.set(operation.domainName, queue);
    }
    return queue;
  }
}

const ORDERS = new WeakMap<Stack, DomainOperationOrder>();

/** How a domain reads in an error message: its name, or the path of the construct behind a token. */
export function domainLabel(operation: Pick<DomainOperation, 'domain' | 'domainName'>): string {
  return Token.isUnresolved(operation.domainName)
    ? `'${operation.domain.node.path}'`
    : `'${operation.domainName}'`;
}

function duplicate(scope: IConstruct, operation: DomainOperation, packageId: string, twin: IConstruct): Error {
  const id = Token.isUnresolved(packageId) ? 'a token' : `'${packageId}'`;
  return synthError(scope, 'packageId', `${id} is already associated with domain ${domainLabel(operation)} by ${twin.node.path}`);
}

/** The service's quota: the stack may not declare more packages on one domain. */
function rejectTooMany(queue: DomainOperation[]): void {
  const count = queue.reduce((sum, operation) => sum + operation.claims().length, 0);
  if (count > MAX_PACKAGES_PER_DOMAIN) {
    throw synthError(queue[0].scope, 'domain', `${count} packages are associated with domain ${domainLabel(queue[0])} by this stack: `
      + `a domain holds at most ${MAX_PACKAGES_PER_DOMAIN} (the service's quota, not adjustable)`);
  }
}

/** Each operation after the first waits for the one before it. */
function chain(ordered: DomainOperation[]): void {
  ordered.slice(1).forEach((operation, i) => operation.scope.node.addDependency(ordered[i].scope));
}

/** Creation order, except that prerequisites come before the operations that need them. */
function prerequisitesFirst(queue: DomainOperation[]): DomainOperation[] {
  const ordered: DomainOperation[] = [];
  const visiting = new Set<DomainOperation>();
  const visit = (operation: DomainOperation, trail: DomainOperation[]): void => {
    if (ordered.includes(operation) || !queue.includes(operation)) {
      return;
    }
    if (visiting.has(operation)) {
      const cycle = [...trail.slice(trail.indexOf(operation)), operation].map((o) => o.scope.node.path).join(' -> ');
      throw synthError(operation.scope, 'prerequisites', `the associations form a cycle: ${cycle}`);
    }
    visiting.add(operation);
    operation.prerequisites().forEach((prerequisite) => visit(prerequisite, [...trail, operation]));
    ordered.push(operation);
  };
  queue.forEach((operation) => visit(operation, []));
  return ordered;
}
