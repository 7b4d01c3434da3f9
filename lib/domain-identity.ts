import { Stack, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

/** The name and ARN the package API and IAM need for a domain. */
export interface DomainIdentity {
  readonly domainName: string;
  readonly domainArn: string;
}

/** A service endpoint's first label: `search-<name>-<id>` or `vpc-<name>-<id>`. */
const SERVICE_ENDPOINT_HOST = /^(search|vpc)-([a-z][a-z0-9-]+)-[a-z0-9]+$/;

/**
 * `Domain.fromDomainEndpoint` takes the endpoint's first label minus its id as
 * the name, so `search-logs-abc123` yields `search-logs` (and an ARN for it)
 * where the domain is `logs`. Such a name is recognised by matching the
 * endpoint it came from, and corrected; any other domain is used as it is.
 */
export function domainIdentity(domain: opensearch.IDomain): DomainIdentity {
  const { domainName, domainEndpoint } = domain;
  if (Token.isUnresolved(domainName) || Token.isUnresolved(domainEndpoint)) {
    return domain;
  }
  const host = domainEndpoint.replace(/^https?:\/\//, '').split('.')[0];
  const match = SERVICE_ENDPOINT_HOST.exec(host);
  if (!match || `${match[1]}-${match[2]}` !== domainName) {
    return domain;
  }
  const name = match[2];
  return {
    domainName: name,
    domainArn: Stack.of(domain).formatArn({ service: 'es', resource: 'domain', resourceName: name }),
  };
}
