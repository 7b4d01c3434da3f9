import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Package actions, all scoped by IAM to the `domain` resource type. */
export const DOMAIN_ACTIONS = [
  'es:AssociatePackage',
  'es:DescribeDomain',
  'es:DissociatePackage',
  'es:ListPackagesForDomain',
];

/** What a set of packages (DomainPackages) adds on its domain: the batch calls, scoped like the rest. */
export const BATCH_ACTIONS = ['es:AssociatePackages', 'es:DissociatePackages'];

/** The only service the handler may pass a key-access role to. */
const PASSED_TO_SERVICE = 'es.amazonaws.com';

export interface DomainPolicyProps {
  /** The handler role the policy is attached to. */
  readonly role: iam.IRole;
}

/**
 * The handler's permissions on one domain, in a policy of their own.
 *
 * CloudFormation changes policies in an update's update phase and deletes
 * removed resources in its cleanup phase. Associations depend on their
 * domain's policy, so when a domain's last association leaves the stack the
 * policy is deleted after that association's Delete (which needs
 * DissociatePackage) has run, not before it.
 */
export class DomainPolicy extends Construct {
  /** The `AWS::IAM::Policy`: what an association depends on. */
  public readonly policy: iam.Policy;

  private readonly domainStatement = new iam.PolicyStatement({ actions: DOMAIN_ACTIONS });
  private readonly batchStatement = new iam.PolicyStatement({ actions: BATCH_ACTIONS });
  private readonly role: iam.IRole;
  private batch?: iam.Policy;
  private readonly domainArns = new Set<string>();
  private readonly passRoleArns = new Set<string>();
  private passRoleStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: DomainPolicyProps) {
    super(scope, id);
    this.role = props.role;
    this.policy = new iam.Policy(this, 'Resource', { roles: [props.role], statements: [this.domainStatement] });
  }

  /** Lets the handler manage the packages of the domain `domainArn` names (the domain's ARN: a token for a domain of this app). */
  public allowDomain(domainArn: string): void {
    if (!this.domainArns.has(domainArn)) {
      this.domainArns.add(domainArn);
      this.domainStatement.addResources(domainArn);
      this.batchStatement.addResources(domainArn);
    }
  }

  /**
   * The policy that lets the handler send AssociatePackages and DissociatePackages to
   * the domain, created with the domain's first set. A policy of its own: it leaves the
   * stack with the domain's last set, and is deleted after that set's Delete, while the
   * domain's policy may stay (and change in the update phase) for single associations.
   */
  public allowBatch(): iam.Policy {
    if (!this.batch) {
      this.batch = new iam.Policy(this, 'Batch', { roles: [this.role], statements: [this.batchStatement] });
    }
    return this.batch;
  }

  /** The role's policies this domain adds: the domain's, and the batch one of a domain with a set. */
  public get policies(): iam.Policy[] {
    return this.batch ? [this.policy, this.batch] : [this.policy];
  }

  /** Lets the handler pass `role` to OpenSearch Service as a key-access role, and to no other service. */
  public allowPassRole(role: iam.IRole): void {
    if (this.passRoleArns.has(role.roleArn)) {
      return;
    }
    this.passRoleArns.add(role.roleArn);
    if (!this.passRoleStatement) {
      this.passRoleStatement = new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        conditions: { StringEquals: { 'iam:PassedToService': PASSED_TO_SERVICE } },
      });
      this.policy.addStatements(this.passRoleStatement);
    }
    this.passRoleStatement.addResources(role.roleArn);
  }
}
