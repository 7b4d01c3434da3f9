import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

export const RESOURCE_TYPE = 'Custom::OpenSearchPackageAssociation';

export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App(), id);
}

/** An imported domain with a literal name, as most users have. */
export function importedDomain(stack: Stack, name: string, id = `Domain-${name}`): opensearch.IDomain {
  return opensearch.Domain.fromDomainAttributes(stack, id, {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${name}`,
    domainEndpoint: `https://search-${name}-abc123.us-east-1.es.amazonaws.com`,
  });
}

/** The associations' resources, by logical id. */
export function associations(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources(RESOURCE_TYPE);
}

/** The one association resource whose PackageID is `packageId`, with its logical id. */
export function associationOf(stack: Stack, packageId: string): { logicalId: string; resource: any } {
  const found = Object.entries(associations(stack)).filter(([, r]) => r.Properties.PackageID === packageId);
  if (found.length !== 1) {
    throw new Error(`expected one association of ${packageId}, found ${found.length}`);
  }
  const [logicalId, resource] = found[0];
  return { logicalId, resource };
}
