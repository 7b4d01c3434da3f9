import type { PackageDetails } from '@aws-sdk/client-opensearch';
import { isAwsOwned } from '../aws-owned';
import type { OnEventRequest, OnEventResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { describePackages } from '../package-catalog-api';
import { errorMessage, errorName } from '../service-errors';

/**
 * `Custom::OpenSearchPackageLookup`: the AWS-owned plugin of a name and engine
 * version, found with DescribePackages at deploy time (its id differs per
 * region and engine version). The physical id is the package id, so a new
 * engine version gives a new id and the associations move to it. A Delete
 * changes nothing: the package is AWS's.
 *
 * Filtered as AWS's own sample does (name, engine version, type): the values
 * of the PackageOwner filter are not documented, so the owner is told from
 * each answer instead (isAwsOwned).
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId ?? '' };
  }
  const props = event.ResourceProperties ?? {};
  const name = String(props.PackageName ?? '');
  const engineVersion = String(props.EngineVersion ?? '');
  const type = String(props.PackageType ?? 'ZIP-PLUGIN');
  const found = await lookUp(name, [
    { Name: 'PackageName', Value: [name] },
    { Name: 'EngineVersion', Value: [engineVersion] },
    { Name: 'PackageType', Value: [type] },
  ]);
  if (found.length === 1) {
    const [plugin] = found;
    return {
      PhysicalResourceId: plugin.PackageID ?? '',
      Data: { PackageID: plugin.PackageID ?? '', AvailablePackageVersion: plugin.AvailablePackageVersion ?? '' },
    };
  }
  if (found.length > 1) {
    throw notFound('AmbiguousPackage', `${found.length} AWS-owned packages named ${name} for ${engineVersion}: ${found.map((p) => p.PackageID).join(', ')}`, name);
  }
  // Filters combine with AND: without the engine version, what the name exists for.
  const versions = (await lookUp(name, [{ Name: 'PackageName', Value: [name] }]))
    .flatMap((p) => p.EngineVersion ?? []);
  throw notFound('PackageNotFound', versions.length > 0
    ? `no AWS-owned package ${name} for ${engineVersion}; it exists for ${[...new Set(versions)].sort().join(', ')}`
    : `no AWS-owned package is named ${name}: check the plugin's name`, name);
}

/** The AWS-owned packages matching `filters`. */
async function lookUp(name: string, filters: Parameters<typeof describePackages>[0]): Promise<PackageDetails[]> {
  try {
    return (await describePackages(filters, name)).filter(isAwsOwned);
  } catch (error) {
    throw new HandlerFailure(errorName(error), errorMessage(error), { packageId: name });
  }
}

function notFound(code: string, detail: string, name: string): HandlerFailure {
  return new HandlerFailure(code, detail, { packageId: name });
}
