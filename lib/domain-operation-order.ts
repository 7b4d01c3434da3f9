import { Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { DomainPackageAssociation } from './domain-package-association';
import { synthError } from './synth-error';

/**
 * Runs a stack's package operations on one domain one at a time.
 *
 * A domain accepts one package operation at a time and answers a second one
 * with ConflictException. Chaining the associations of a domain with DependsOn
 * lets CloudFormation order them (and reverse the order on delete), while
 * associations on different domains still deploy in parallel. The chain is
 * built as the stack synthesizes, so prerequisites added at any time before
 * come first.
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

  private readonly byDomain = new Map<string, DomainPackageAssociation[]>();
  private applied = false;

  private constructor(private readonly stack: Stack) {}

  /** Adds `association` to its domain's queue; a second association of the same package is an error. */
  public register(association: DomainPackageAssociation): void {
    const queue = this.queueOf(association);
    const twin = queue.find((other) => other.packageId === association.packageId);
    if (twin) {
      throw duplicate(association, twin);
    }
    queue.push(association);
  }

  public visit(node: IConstruct): void {
    if (node !== this.stack || this.applied) {
      return;
    }
    this.applied = true;
    for (const queue of this.byDomain.values()) {
      this.rejectSameExpression(queue);
      chain(prerequisitesFirst(queue));
    }
  }

  /** Two token package ids that are different objects but the same expression name the same package. */
  private rejectSameExpression(queue: DomainPackageAssociation[]): void {
    const seen = new Map<string, DomainPackageAssociation>();
    for (const association of queue.filter((a) => Token.isUnresolved(a.packageId))) {
      const expression = JSON.stringify(this.stack.resolve(association.packageId));
      const twin = seen.get(expression);
      if (twin) {
        throw duplicate(association, twin);
      }
      seen.set(expression, association);
    }
  }

  private queueOf(association: DomainPackageAssociation): DomainPackageAssociation[] {
    let queue = this.byDomain.get(association.domainName);
    if (!queue) {
      queue = [];
      this.byDomain.set(association.domainName, queue);
    }
    return queue;
  }
}

const ORDERS = new WeakMap<Stack, DomainOperationOrder>();

/** How a domain reads in an error message: its name, or the path of the construct behind a token. */
export function domainLabel(association: DomainPackageAssociation): string {
  return Token.isUnresolved(association.domainName)
    ? `'${association.domain.node.path}'`
    : `'${association.domainName}'`;
}

function duplicate(association: DomainPackageAssociation, twin: DomainPackageAssociation): Error {
  const id = Token.isUnresolved(association.packageId) ? 'a token' : `'${association.packageId}'`;
  return synthError(association, 'packageId', `${id} is already associated with domain ${domainLabel(association)} by ${twin.node.path}`);
}

/** Each association after the first waits for the one before it. */
function chain(ordered: DomainPackageAssociation[]): void {
  ordered.slice(1).forEach((association, i) => association.node.addDependency(ordered[i]));
}

/** Creation order, except that prerequisites come before the associations that need them. */
function prerequisitesFirst(queue: DomainPackageAssociation[]): DomainPackageAssociation[] {
  const ordered: DomainPackageAssociation[] = [];
  const visiting = new Set<DomainPackageAssociation>();
  const visit = (association: DomainPackageAssociation, trail: DomainPackageAssociation[]): void => {
    if (ordered.includes(association) || !queue.includes(association)) {
      return;
    }
    if (visiting.has(association)) {
      const cycle = [...trail.slice(trail.indexOf(association)), association].map((a) => a.node.path).join(' -> ');
      throw synthError(association, 'prerequisites', `the associations form a cycle: ${cycle}`);
    }
    visiting.add(association);
    association.prerequisites.forEach((prerequisite) => visit(prerequisite, [...trail, association]));
    ordered.push(association);
  };
  queue.forEach((association) => visit(association, []));
  return ordered;
}
