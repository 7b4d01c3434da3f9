import { describedWith, ownerMarker } from '../../lib/package-description';
import type { OnEventRequest, OnEventResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { logCall } from '../log';
import { startOperation, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { serviceFailure } from '../operations';
import { createPackage, deletePackage, describePackage, domainsOfPackage, packagesNamed, updatePackage } from '../package-catalog-api';
import { errorMessage, errorName, isNotFound } from '../service-errors';
import { isUpdateRollback } from '../stack-claims';
import { adoptOrFail, isLiveMatch, mayHaveCreated } from './adoption';
import {
  contentChanged, createPackageInput, isIssued, needsReplacement, PackageRequest, parsePackageRequest, updatedEncryption,
} from './package-request';

/**
 * Starts a package's create, update or delete; isComplete waits until the
 * package is AVAILABLE (at a new version, after an update) or gone.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  return startOperation(event, {
    Create: (create) => createFrom(create, parsePackageRequest(create.ResourceProperties)),
    Update: update,
    Delete: (deletion) => remove(deletion.PhysicalResourceId ?? ''),
  });
}

/** CreatePackage, its description marked as this resource's; after a lost answer, the package it made is adopted. */
async function createFrom(event: OnEventRequest, request: PackageRequest): Promise<OnEventResponse> {
  const marker = markerOf(event);
  try {
    const details = await createPackage({ ...createPackageInput(request), PackageDescription: describedWith(request.description, marker) });
    return { PhysicalResourceId: details?.PackageID ?? '' };
  } catch (error) {
    if (mayHaveCreated(error)) {
      return adoptOrFail(request, marker, error);
    }
    throw serviceFailure(error, { packageId: request.name });
  }
}

/** This resource's marker: what proves, in a package's description, that it asked for the package. */
function markerOf(event: OnEventRequest): string {
  if (!event.StackId || !event.LogicalResourceId) {
    throw new HandlerFailure('InvalidRequest', `the ${event.RequestType} request names no StackId or LogicalResourceId: the package could not be marked as this resource's`);
  }
  return ownerMarker(event.StackId, event.LogicalResourceId);
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
  const marker = markerOf(event);
  const before = await describePackage(packageId);
  try {
    await updatePackage({
      PackageID: packageId,
      PackageSource: { S3BucketName: request.bucket, S3Key: request.key },
      // UpdatePackage replaces the description: without the marker the package would no longer prove whose it is.
      PackageDescription: describedWith(request.description, marker),
      PackageConfiguration: request.configuration,
      PackageEncryptionOptions: updatedEncryption(old, request),
      CommitMessage: 'cdk-opensearch-packages: new content',
    });
  } catch (error) {
    throw serviceFailure(error, { packageId });
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
  // Packages made before the owner marker existed carry none: the rollback still reuses them.
  const [existing] = (await packagesNamed(request.name).catch(() => [])).filter((details) => isLiveMatch(details, request));
  if (existing?.PackageID && (existing.PackageID === event.PhysicalResourceId || await isUpdateRollback(event))) {
    logCall({ operation: 'CreatePackage', package: request.name, outcome: 'skipped', detail: `package ${existing.PackageID} of that name is reused` });
    return { PhysicalResourceId: existing.PackageID };
  }
  return createFrom(event, request);
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
    if (isNotFound(error)) {
      return { PhysicalResourceId: packageId };
    }
    if (errorName(error) === 'ConflictException') {
      const domains = await domainsOfPackage(packageId).catch(() => []);
      throw new HandlerFailure('ConflictException',
        `${errorMessage(error)} (still associated with: ${domains.join(', ') || 'unknown domains'}; dissociate it there first)`, { packageId });
    }
    throw serviceFailure(error, { packageId });
  }
  return { PhysicalResourceId: packageId };
}
