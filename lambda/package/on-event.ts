import type { OnEventRequest, OnEventResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { logCall } from '../log';
import { startOperation, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { createPackage, deletePackage, describePackage, describePackages, domainsOfPackage, updatePackage } from '../package-catalog-api';
import { errorMessage, errorName } from '../service-errors';
import { isUpdateRollback } from '../stack-claims';
import {
  contentChanged, createPackageInput, isIssued, needsReplacement, PackageRequest, parsePackageRequest, updatedEncryption,
} from './package-request';

/**
 * Starts a package's create, update or delete; isComplete waits until the
 * package is AVAILABLE (at a new version, after an update) or gone.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  return startOperation(event, {
    Create: (create) => createFrom(parsePackageRequest(create.ResourceProperties)),
    Update: update,
    Delete: (deletion) => remove(deletion.PhysicalResourceId ?? ''),
  });
}

async function createFrom(request: PackageRequest): Promise<OnEventResponse> {
  try {
    const details = await createPackage(createPackageInput(request));
    return { PhysicalResourceId: details?.PackageID ?? '' };
  } catch (error) {
    throw errorName(error) === 'ResourceAlreadyExistsException' ? await nameTaken(request, error) : failure(error, request.name);
  }
}

/**
 * A new name, type or engine version is a new package (CloudFormation deletes
 * the old one in cleanup, once its associations moved). New content is a new
 * version of the same package: isComplete waits for a version other than the
 * one available before the call.
 */
async function update(event: OnEventRequest): Promise<OnEventResponse> {
  const request = parsePackageRequest(event.ResourceProperties);
  const old = parsePackageRequest(event.OldResourceProperties);
  const packageId = event.PhysicalResourceId ?? '';
  if (needsReplacement(old, request)) {
    return replace(event, request);
  }
  if (!contentChanged(old, request)) {
    return { PhysicalResourceId: packageId };
  }
  const before = await describePackage(packageId);
  try {
    await updatePackage({
      PackageID: packageId,
      PackageSource: { S3BucketName: request.bucket, S3Key: request.key },
      PackageDescription: request.description,
      PackageConfiguration: request.configuration,
      PackageEncryptionOptions: updatedEncryption(old, request),
      CommitMessage: 'cdk-opensearch-packages: new content',
    });
  } catch (error) {
    throw failure(error, packageId);
  }
  return { PhysicalResourceId: packageId, Before: { Version: before?.AvailablePackageVersion } };
}

/**
 * The package `request` names, created, or reused where it still exists as
 * the stack's: the physical id CloudFormation sent (an update rollback back to
 * it), or any package of that name, type and engine version while an update
 * rolls back (the package the failed update replaced: CloudFormation deletes
 * the new one in the rollback's cleanup). Its name is never created again.
 */
async function replace(event: OnEventRequest, request: PackageRequest): Promise<OnEventResponse> {
  const [existing] = (await describePackages([{ Name: 'PackageName', Value: [request.name] }], request.name).catch(() => []))
    .filter((details) => details.PackageType === request.type && (details.EngineVersion ?? undefined) === request.engineVersion
      && details.PackageStatus !== 'DELETING' && details.PackageStatus !== 'DELETED');
  if (existing?.PackageID && (existing.PackageID === event.PhysicalResourceId || await isUpdateRollback(event))) {
    logCall({ operation: 'CreatePackage', package: request.name, outcome: 'skipped', detail: `package ${existing.PackageID} of that name is reused` });
    return { PhysicalResourceId: existing.PackageID };
  }
  return createFrom(request);
}

/** DeletePackage; a package still associated outside the stack fails with the domains that hold it. */
async function remove(packageId: string): Promise<OnEventResponse> {
  if (!isIssued(packageId)) {
    logCall({ operation: 'DeletePackage', outcome: 'skipped', detail: `physical id ${packageId} was not issued by this handler` });
    return { PhysicalResourceId: packageId };
  }
  if (timedOut()) {
    throw timeoutFailure(`DeletePackage not sent: the operation's ${timeoutText()} have passed`, { packageId });
  }
  try {
    await deletePackage(packageId);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      return { PhysicalResourceId: packageId };
    }
    if (errorName(error) === 'ConflictException') {
      const domains = await domainsOfPackage(packageId).catch(() => []);
      throw new HandlerFailure('ConflictException',
        `${errorMessage(error)} (still associated with: ${domains.join(', ') || 'unknown domains'}; dissociate it there first)`, { packageId });
    }
    throw failure(error, packageId);
  }
  return { PhysicalResourceId: packageId };
}

/** The name is the account's: say which package holds it. */
async function nameTaken(request: PackageRequest, error: unknown): Promise<HandlerFailure> {
  const [holder] = await describePackages([{ Name: 'PackageName', Value: [request.name] }], request.name).catch(() => []);
  const held = holder ? `package ${holder.PackageID} (${holder.PackageType}, ${holder.PackageStatus}) holds the name` : errorMessage(error);
  return new HandlerFailure('ResourceAlreadyExistsException',
    `${held}; choose another packageName, or use that package with OpenSearchPackage.fromPackageId`, { packageId: request.name });
}

function failure(error: unknown, packageId: string): HandlerFailure {
  return error instanceof HandlerFailure ? error : new HandlerFailure(errorName(error), errorMessage(error), { packageId });
}
