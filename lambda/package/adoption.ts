import type { PackageDetails } from '@aws-sdk/client-opensearch';
import { carriesAnyMarker, carriesMarker } from '../../lib/package-description';
import { isAwsOwned } from '../aws-owned';
import type { OnEventResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { logCall } from '../log';
import { serviceFailure } from '../operations';
import { packagesNamed } from '../package-catalog-api';
import { errorMessage, errorName, isRetryable } from '../service-errors';
import type { PackageRequest } from './package-request';

/**
 * CreatePackage is not idempotent, and the SDK retries it: when a first
 * attempt made the package but its answer was lost, the retry meets
 * ResourceAlreadyExistsException, or every attempt fails in a way that may
 * hide the first one. Whether a CreatePackage error leaves the package's
 * existence open.
 */
export function mayHaveCreated(error: unknown): boolean {
  return errorName(error) === 'ResourceAlreadyExistsException' || isRetryable(error);
}

/**
 * After such an error: the package of that name is this resource's when its
 * description carries the resource's marker (and it matches the request and is
 * not being deleted): it is adopted. Otherwise the create fails, naming the
 * package that holds the name, or with the create's own error when none does.
 */
export async function adoptOrFail(request: PackageRequest, marker: string, error: unknown): Promise<OnEventResponse> {
  const named = await packagesNamed(request.name).catch(() => undefined);
  if (named === undefined) {
    // Cannot tell: a package made now carries the marker, so the next deploy adopts it.
    throw serviceFailure(error, { packageId: request.name });
  }
  const own = named.find((details) => carriesMarker(details.PackageDescription, marker) && isLiveMatch(details, request));
  if (own?.PackageID) {
    logCall({ operation: 'CreatePackage', package: request.name, outcome: 'adopted', detail: `package ${own.PackageID} carries this resource's marker (${errorName(error)})` });
    return { PhysicalResourceId: own.PackageID };
  }
  const holder = named.find((details) => !isAwsOwned(details)) ?? named[0];
  if (!holder && errorName(error) !== 'ResourceAlreadyExistsException') {
    throw serviceFailure(error, { packageId: request.name });
  }
  throw nameTaken(request, marker, holder, error);
}

/** A package of the request's name, type and engine version that is not being deleted. */
export function isLiveMatch(details: PackageDetails, request: PackageRequest): boolean {
  return details.PackageType === request.type && (details.EngineVersion ?? undefined) === request.engineVersion
    && details.PackageStatus !== 'DELETING' && details.PackageStatus !== 'DELETED';
}

/** The name is the account's: say which package holds it, and whose it is. */
function nameTaken(request: PackageRequest, marker: string, holder: PackageDetails | undefined, error: unknown): HandlerFailure {
  const held = holder
    ? `package ${holder.PackageID} (${holder.PackageType}, ${holder.PackageStatus}) holds the name and ${madeBy(holder, marker)}`
    : errorMessage(error);
  return new HandlerFailure('ResourceAlreadyExistsException',
    `${held}; choose another packageName, or use that package with OpenSearchPackage.fromPackageId`, { packageId: request.name });
}

function madeBy(holder: PackageDetails, marker: string): string {
  if (carriesMarker(holder.PackageDescription, marker)) {
    return 'was made by this resource, but as another type or engine version, or is being deleted';
  }
  return carriesAnyMarker(holder.PackageDescription)
    ? 'was made by another resource (another stack, construct or deployment of the stack)'
    : 'was not made by this resource';
}
