import {
  AssociatePackageCommand,
  DissociatePackageCommand,
  DomainPackageDetails,
  OpenSearchClient,
  paginateListPackagesForDomain,
} from '@aws-sdk/client-opensearch';
import { AssociationRequest, associatePackageInput, PackagePair } from './association-request';
import { callOptions } from './invocation-deadline';
import { logCall, logFailure, logged } from './log';
import { CLIENT_CONFIG, cachedClient } from './sdk-clients';

const PAGE_SIZE = 100;

function client(): OpenSearchClient {
  return cachedClient('OPENSEARCH', () => new OpenSearchClient(CLIENT_CONFIG));
}

export async function associatePackage(request: AssociationRequest): Promise<DomainPackageDetails | undefined> {
  return logged(callOf('AssociatePackage', request), async () => {
    const output = await client().send(new AssociatePackageCommand(associatePackageInput(request)), callOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

export async function dissociatePackage(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  return logged(callOf('DissociatePackage', pair), async () => {
    const output = await client().send(new DissociatePackageCommand({ DomainName: pair.domainName, PackageID: pair.packageId }), callOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

/** The pair's entry in ListPackagesForDomain, paging until found; undefined when not listed. */
export async function findAssociation(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  const pages = paginateListPackagesForDomain({ client: client(), pageSize: PAGE_SIZE }, { DomainName: pair.domainName }, callOptions());
  let page = 0;
  try {
    for await (const output of pages) {
      const entry = output.DomainPackageDetailsList?.find((details) => details.PackageID === pair.packageId);
      const status = entry?.DomainPackageStatus ?? 'not-listed';
      logCall({ ...callOf('ListPackagesForDomain', pair), outcome: 'ok', status, attempt: output.$metadata.attempts, detail: `page ${++page}` });
      if (entry) {
        return entry;
      }
    }
  } catch (error) {
    logFailure(callOf('ListPackagesForDomain', pair), error);
    throw error;
  }
  return undefined;
}

function callOf(operation: string, pair: PackagePair) {
  return { operation, domain: pair.domainName, package: pair.packageId };
}
