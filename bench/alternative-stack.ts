/**
 * The usual alternative, written the way users write it: one `AwsCustomResource`
 * per association that calls OpenSearch associatePackage on create and
 * dissociatePackage on delete, with a policy generated from the SDK calls.
 *
 * Following the common snippets, the license waits for its plugin through a
 * dependency (and lists it in PrerequisitePackageIDList); nothing orders the
 * other associations of a domain, and nothing waits for ACTIVE.
 * `installLatestAwsSdk: false` is what CDK's warning asks users to set (and what
 * `cdk init` projects default to); with `true` every cold start would also
 * npm-install the SDK.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { domainArnOf, PlannedAssociation } from './scenario';

export function alternativeStack(app: App, plan: readonly PlannedAssociation[], stackId = 'AlternativeBench'): Stack {
  const stack = new Stack(app, stackId);
  const created: cr.AwsCustomResource[] = [];
  for (const planned of plan) {
    const pair = { DomainName: planned.domainName, PackageID: planned.pkg.id };
    const prerequisite = planned.prerequisite === undefined ? undefined : plan[planned.prerequisite];
    const association = new cr.AwsCustomResource(stack, planned.id, {
      onCreate: {
        service: 'OpenSearch',
        action: 'associatePackage',
        parameters: prerequisite ? { ...pair, PrerequisitePackageIDList: [prerequisite.pkg.id] } : pair,
        physicalResourceId: cr.PhysicalResourceId.of(`${planned.domainName}/${planned.pkg.id}`),
      },
      onDelete: {
        service: 'OpenSearch',
        action: 'dissociatePackage',
        parameters: pair,
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [domainArnOf(planned.domainName)] }),
      installLatestAwsSdk: false,
    });
    if (planned.prerequisite !== undefined) {
      association.node.addDependency(created[planned.prerequisite]);
    }
    created.push(association);
  }
  return stack;
}
