import {
  AssociatePackageCommand,
  AssociatePackagesCommand,
  DescribeDomainCommand,
  DissociatePackageCommand,
  DissociatePackagesCommand,
  DomainPackageDetails,
  DomainStatus,
  OpenSearchClient,
  paginateListPackagesForDomain,
} from '@aws-sdk/client-opensearch';
import { AssociationRequest, associatePackageInput, PackagePair } from './association-request';
import { callOptions, writeOptions } from './invocation-deadline';
import { logged, loggedPages } from './log';
import { cachedClient, clientConfig } from './sdk-clients';

const PAGE_SIZE = 100;

function client(): OpenSearchClient {
  return cachedClient('OPENSEARCH', () => new OpenSearchClient(clientConfig()));
}

export async function associatePackage(request: AssociationRequest): Promise<DomainPackageDetails | undefined> {
  return logged(callOf('AssociatePackage', request), async () => {
    const output = await client().send(new AssociatePackageCommand(associatePackageInput(request)), writeCallOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

export async function dissociatePackage(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  return logged(callOf('DissociatePackage', pair), async () => {
    const output = await client().send(new DissociatePackageCommand({ DomainName: pair.domainName, PackageID: pair.packageId }), writeCallOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

/** One AssociatePackages call: every request is on `domainName`; prerequisites may be packages of the same call. */
export async function associatePackages(domainName: string, requests: readonly AssociationRequest[]): Promise<DomainPackageDetails[]> {
  const packageList = requests.map((request) => {
    const { DomainName, ...entry } = associatePackageInput(request);
    return entry;
  });
  return logged(callOfSet('AssociatePackages', domainName, requests.map((request) => request.packageId)), async () => {
    const output = await client().send(new AssociatePackagesCommand({ DomainName: domainName, PackageList: packageList }), writeCallOptions());
    return { result: output.DomainPackageDetailsList ?? [], attempt: output.$metadata.attempts };
  });
}

/** One DissociatePackages call. */
export async function dissociatePackages(domainName: string, packageIds: readonly string[]): Promise<DomainPackageDetails[]> {
  return logged(callOfSet('DissociatePackages', domainName, packageIds), async () => {
    const output = await client().send(new DissociatePackagesCommand({ DomainName: domainName, PackageList: [...packageIds] }), writeCallOptions());
    return { result: output.DomainPackageDetailsList ?? [], attempt: output.$metadata.attempts };
  });
}

/** The pair's entry in ListPackagesForDomain, paging until found; undefined when not listed. */
export async function findAssociation(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  let found: DomainPackageDetails | undefined;
  await loggedPages(callOf('ListPackagesForDomain', pair), listPages(pair.domainName), (page) => {
    found = page.DomainPackageDetailsList?.find((details) => details.PackageID === pair.packageId);
    return { stop: found !== undefined, status: found?.DomainPackageStatus ?? 'not-listed' };
  });
  return found;
}

/** Every entry of the domain, all pages. */
export async function listAssociations(domainName: string): Promise<DomainPackageDetails[]> {
  const entries: DomainPackageDetails[] = [];
  await loggedPages({ operation: 'ListPackagesForDomain', domain: domainName }, listPages(domainName), (page) => {
    entries.push(...(page.DomainPackageDetailsList ?? []));
    return {};
  });
  return entries;
}

function listPages(domainName: string) {
  return paginateListPackagesForDomain({ client: client(), pageSize: PAGE_SIZE }, { DomainName: domainName }, callOptions());
}

/** The domain's status: whether a configuration change or blue/green is in progress. */
export async function describeDomain(domainName: string): Promise<DomainStatus | undefined> {
  return logged({ operation: 'DescribeDomain', domain: domainName }, async () => {
    const output = await client().send(new DescribeDomainCommand({ DomainName: domainName }), callOptions());
    const status = output.DomainStatus;
    return { result: status, status: status?.DomainProcessingStatus, attempt: output.$metadata.attempts };
  });
}

/** A write's options; past the operation's deadline, an aborted signal: the SDK then sends nothing. */
function writeCallOptions(): { abortSignal: AbortSignal } {
  return writeOptions() ?? { abortSignal: AbortSignal.abort() };
}

function callOf(operation: string, pair: PackagePair) {
  return { operation, domain: pair.domainName, package: pair.packageId };
}

function callOfSet(operation: string, domainName: string, packageIds: readonly string[]) {
  return { operation, domain: domainName, package: packageIds.join(' ') };
}
