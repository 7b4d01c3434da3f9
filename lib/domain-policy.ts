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
  private readonly domainArns = new Set<string>();
  private readonly passRoleArns = new Set<string>();
  private passRoleStatement?: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: DomainPolicyProps) {
    super(scope, id);
    this.policy = new iam.Policy(this, 'Resource', { roles: [props.role], statements: [this.domainStatement] });
  }

  /** Lets the handler manage the packages of the domain `domainArn` names (the domain's ARN: a token for a domain of this app). */
  public allowDomain(domainArn: string): void {
    if (!this.domainArns.has(domainArn)) {
      this.domainArns.add(domainArn);
      this.domainStatement.addResources(domainArn);
    }
  }

  /** Lets the handler send AssociatePackages and DissociatePackages to the policy's domains (only a domain with a set needs them). */
  public allowBatch(): void {
    this.domainStatement.addActions(...BATCH_ACTIONS.filter((action) => !this.domainStatement.actions.includes(action)));
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
