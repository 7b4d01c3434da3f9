import {
  CreatePackageCommand,
  CreatePackageCommandInput,
  DeletePackageCommand,
  DescribePackagesFilter,
  OpenSearchClient,
  PackageDetails,
  paginateDescribePackages,
  paginateListDomainsForPackage,
  UpdatePackageCommand,
  UpdatePackageCommandInput,
} from '@aws-sdk/client-opensearch';
import { callOptions, writeOptions } from './invocation-deadline';
import { logged, loggedPages } from './log';
import { cachedClient, clientConfig } from './sdk-clients';
import { isNotFound } from './service-errors';

/**
 * Package lifecycle calls (CreatePackage, UpdatePackage, DeletePackage) and
 * the reads around them, each logged with the package it is about.
 */

function client(): OpenSearchClient {
  return cachedClient('OPENSEARCH', () => new OpenSearchClient(clientConfig()));
}

/** A write's options; past the operation's deadline an aborted signal: the SDK then sends nothing. */
function writeCallOptions(): { abortSignal: AbortSignal } {
  return writeOptions() ?? { abortSignal: AbortSignal.abort() };
}

export async function createPackage(input: CreatePackageCommandInput): Promise<PackageDetails | undefined> {
  return logged({ operation: 'CreatePackage', package: input.PackageName }, async () => {
    const output = await client().send(new CreatePackageCommand(input), writeCallOptions());
    return { result: output.PackageDetails, status: output.PackageDetails?.PackageStatus, attempt: output.$metadata.attempts };
  });
}

export async function updatePackage(input: UpdatePackageCommandInput): Promise<PackageDetails | undefined> {
  return logged({ operation: 'UpdatePackage', package: input.PackageID }, async () => {
    const output = await client().send(new UpdatePackageCommand(input), writeCallOptions());
    return { result: output.PackageDetails, status: output.PackageDetails?.PackageStatus, attempt: output.$metadata.attempts };
  });
}

export async function deletePackage(packageId: string): Promise<void> {
  await logged({ operation: 'DeletePackage', package: packageId }, async () => {
    const output = await client().send(new DeletePackageCommand({ PackageID: packageId }), writeCallOptions());
    return { result: undefined, status: output.PackageDetails?.PackageStatus, attempt: output.$metadata.attempts };
  });
}

/**
 * Every package matching all `filters` (each filter: any of its values), all
 * pages. No match may also be answered as a not-found error: that is none.
 */
export async function describePackages(filters: DescribePackagesFilter[], label: string): Promise<PackageDetails[]> {
  const found: PackageDetails[] = [];
  const pages = paginateDescribePackages({ client: client(), pageSize: 100 }, { Filters: filters }, callOptions());
  try {
    await loggedPages({ operation: 'DescribePackages', package: label }, pages, (page) => {
      found.push(...(page.PackageDetailsList ?? []));
      return {};
    });
  } catch (error) {
    if (isNotFound(error)) {
      return found;
    }
    throw error;
  }
  return found;
}

/** The packages of that name (the account's and AWS's: names are unique per owner). */
export async function packagesNamed(name: string): Promise<PackageDetails[]> {
  return describePackages([{ Name: 'PackageName', Value: [name] }], name);
}

/** The package with this id, or undefined when there is none. */
export async function describePackage(packageId: string): Promise<PackageDetails | undefined> {
  const [details] = await describePackages([{ Name: 'PackageID', Value: [packageId] }], packageId);
  return details;
}

/** The names of the domains the package is associated with. */
export async function domainsOfPackage(packageId: string): Promise<string[]> {
  const domains: string[] = [];
  const pages = paginateListDomainsForPackage({ client: client(), pageSize: 100 }, { PackageID: packageId }, callOptions());
  await loggedPages({ operation: 'ListDomainsForPackage', package: packageId }, pages, (page) => {
    domains.push(...(page.DomainPackageDetailsList ?? []).flatMap((entry) => entry.DomainName ?? []));
    return {};
  });
  return domains;
}
