import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AssociationProvider, STACK_READ_ACTIONS } from './association-provider';
import { HandlerPolicies, ProviderAccess } from './handler-policies';
import type { LongWaiter } from './long-waiter';

/** The construct id of a stack's access to a shared provider, namespaced like the provider's. */
export const SHARED_ACCESS_ID = 'cdk-opensearch-packages.SharedProvider';

/**
 * What a stack whose resources use the provider of another stack adds to that
 * provider's handler role, as policies of its own stack: the handler may read
 * this stack (its resources' requests name this stack, whose other resources
 * say what may be dissociated) and manage this stack's domains and packages.
 *
 * The policies live here, not in the provider's stack, for two reasons: the
 * provider's stack cannot refer to this stack's domains or buckets (this
 * stack already refers to it for the service token: a cycle), and a
 * resource's Delete needs them until this stack's resources are gone, which
 * only this stack orders. This stack refers to the provider's stack for the
 * service token and the role's name, and so deploys after it.
 */
export class SharedProviderAccess extends Construct implements ProviderAccess {
  public readonly serviceToken: string;

  public readonly grants: HandlerPolicies;

  private readonly provider: AssociationProvider;

  constructor(scope: Construct, id: string, provider: AssociationProvider) {
    super(scope, id);
    this.serviceToken = provider.serviceToken;
    // `Aws.STACK_ID` resolves in this stack: the id CloudFormation puts in this stack's requests.
    const stackReads = new iam.Policy(this, 'StackReads', {
      roles: [provider.handlerRole],
      statements: [new iam.PolicyStatement({ actions: STACK_READ_ACTIONS, resources: [Aws.STACK_ID] })],
    });
    this.grants = new HandlerPolicies(this, provider.handlerRole, stackReads);
    provider.addConsumer(this.grants);
    this.provider = provider;
  }

  /** This stack's own waiter, started by the shared provider's handler. */
  public longWaiter(): LongWaiter {
    return this.provider.longWaiterIn(this, this.grants);
  }
}
