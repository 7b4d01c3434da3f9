/**
 * A stack of `DomainPackageAssociation`s for a plan: this library, used as its README shows.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DomainPackageAssociation } from '../lib';
import { domainArnOf, domainsOf, PlannedAssociation, REGION } from './scenario';

export function constructStack(app: App, plan: readonly PlannedAssociation[], stackId = 'ConstructBench'): Stack {
  const stack = new Stack(app, stackId);
  const domains = new Map(domainsOf(plan).map((name) => [name, importedDomain(stack, name)]));
  const created: DomainPackageAssociation[] = [];
  for (const planned of plan) {
    created.push(new DomainPackageAssociation(stack, planned.id, {
      domain: domains.get(planned.domainName)!,
      packageId: planned.pkg.id,
      prerequisites: planned.prerequisite === undefined ? undefined : [created[planned.prerequisite]],
    }));
  }
  return stack;
}

/** An existing domain, imported by ARN and endpoint as most users have it. */
export function importedDomain(stack: Stack, name: string): opensearch.IDomain {
  return opensearch.Domain.fromDomainAttributes(stack, `Domain-${name}`, {
    domainArn: domainArnOf(name),
    domainEndpoint: `https://search-${name}-abc123.${REGION}.es.amazonaws.com`,
  });
}
