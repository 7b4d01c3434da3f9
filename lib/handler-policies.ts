import { Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { DomainIdentity } from './domain-identity';
import { DomainPolicy } from './domain-policy';
import type { LongWaiter } from './long-waiter';
import { PackagePolicy } from './package-policy';
import { acknowledgePackageActions } from './provider-acknowledgements';

/**
 * What the resources of one stack need the handler to be allowed, in
 * policies of that stack attached to the handler role: one per domain, one
 * for packages (or only for reading them). Each resource depends on the
 * policy its Delete needs, so the policy outlives it.
 */
export interface ProviderAccess {
  /** The token a custom resource passes as `ServiceToken`. */
  readonly serviceToken: string;

  /** The policies of the handler role that this stack's resources depend on. */
  readonly grants: HandlerPolicies;

  /** The background waiter of long resources, created on first use. */
  longWaiter(): LongWaiter;
}

/**
 * The policies of a `ProviderAccess`, created as children of `scope` on first
 * use and attached to `role`. `prerequisite`, when given, is a policy of the
 * same role created before each of them and deleted after it.
 */
export class HandlerPolicies {
  private readonly byDomain = new Map<string, DomainPolicy>();
  private packages?: PackagePolicy;
  private packageReads?: iam.Policy;
  private readonly others: iam.Policy[] = [];

  constructor(private readonly scope: Construct, private readonly role: iam.IRole, private readonly prerequisite?: iam.Policy) {}

  /**
   * The policy that lets the handler manage the packages of `domain`, and do
   * nothing else on it. An association depends on it, so the permissions its
   * Delete needs outlive it.
   */
  public policyFor(domain: DomainIdentity, scope: IConstruct): DomainPolicy {
    // Keyed by the construct id: one domain imported twice (e.g. by ARN and by endpoint) may come with two ARN
    // strings for one name; both go into that domain's one policy.
    const id = domainPolicyId(domain, scope);
    let policy = this.byDomain.get(id);
    if (!policy) {
      policy = new DomainPolicy(this.scope, id, { role: this.role });
      this.afterPrerequisite(policy);
      this.byDomain.set(id, policy);
    }
    policy.allowDomain(domain.domainArn);
    return policy;
  }

  /** The policy for packages and package lookups, created with the stack's first one. */
  public packagePolicy(): PackagePolicy {
    if (!this.packages) {
      this.packages = new PackagePolicy(this.scope, 'Packages', { role: this.role });
      this.afterPrerequisite(this.packages);
      acknowledgePackageActions(this.packages.policy);
    }
    return this.packages;
  }

  /**
   * The policy that lets the handler read packages (DescribePackages), for
   * associations that follow a package of another stack: the package policy
   * when the stack has one, else a policy with that one action.
   */
  public packageReadPolicy(): iam.Policy {
    if (this.packages) {
      return this.packages.policy;
    }
    if (!this.packageReads) {
      this.packageReads = new iam.Policy(this.scope, 'PackageReads', {
        roles: [this.role],
        statements: [new iam.PolicyStatement({ actions: ['es:DescribePackages'], resources: ['*'] })],
      });
      this.afterPrerequisite(this.packageReads);
      acknowledgePackageActions(this.packageReads);
    }
    return this.packageReads;
  }

  /** Counts a policy of the handler role made elsewhere (the long waiter's start policy) in `policies`. */
  public addPolicy(policy: iam.Policy): void {
    this.others.push(policy);
  }

  /** Every policy made so far, the prerequisite included (for the role's inline-policy budget). */
  public get policies(): iam.Policy[] {
    return [
      ...(this.prerequisite ? [this.prerequisite] : []),
      ...this.domainPolicies,
      ...(this.packages ? [this.packages.policy] : []),
      ...(this.packageReads ? [this.packageReads] : []),
      ...this.others,
    ];
  }

  /** The policies of the domains (their batch policies included): what the long waiter's step may do too. */
  public get domainPolicies(): iam.Policy[] {
    return [...this.byDomain.values()].flatMap((domain) => domain.policies);
  }

  /** Whether the handler may read packages (es:DescribePackages): the stack has packages or follows another stack's. */
  public get readsPackages(): boolean {
    return this.packages !== undefined || this.packageReads !== undefined;
  }

  /** How many domains have a policy. */
  public get domainCount(): number {
    return this.byDomain.size;
  }

  private afterPrerequisite(policy: IConstruct): void {
    if (this.prerequisite) {
      policy.node.addDependency(this.prerequisite);
    }
  }
}

/**
 * A construct id that stays the same from one deploy to the next: the domain's
 * name when it is known at synth time, else the domain construct's path
 * (never a token, whose text changes with construct order).
 */
function domainPolicyId(domain: DomainIdentity, scope: IConstruct): string {
  const name = domain.domainName;
  return /^[a-z][a-z0-9-]*$/.test(name) ? `Domain-${name}` : `Domain-${Names.uniqueId(scope)}`;
}
