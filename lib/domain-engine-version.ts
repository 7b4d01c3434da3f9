import { CfnResource, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

const DOMAIN_RESOURCE_TYPE = 'AWS::OpenSearchService::Domain';

/**
 * The engine version of a `Domain` of the app (`OpenSearch_2.13`, `Elasticsearch_7.10`), when known at synth.
 * aws-cdk-lib's `Domain` keeps its `version` prop only on its `CfnDomain` (its default child, id `Resource`), where
 * an escape hatch may also have set it; an imported domain has none, and a token is not known.
 */
export function domainEngineVersion(domain: opensearch.IDomain): string | undefined {
  const resource = domain.node.defaultChild;
  // Compared by resource type, not `instanceof CfnDomain`: the app may load another copy of aws-cdk-lib.
  if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== DOMAIN_RESOURCE_TYPE) {
    return undefined;
  }
  const version = (resource as opensearch.CfnDomain).engineVersion;
  return version === undefined || Token.isUnresolved(version) ? undefined : version;
}
