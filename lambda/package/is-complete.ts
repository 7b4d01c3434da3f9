import type { PackageDetails } from '@aws-sdk/client-opensearch';
import type { IsCompleteRequest, IsCompleteResponse } from '../events';
import { HandlerFailure } from '../handler-failure';
import { enterOperationOf, timedOut, timeoutFailure, timeoutText } from '../operation-timeout';
import { describePackage } from '../package-catalog-api';
import { isIssued } from './package-request';
import { isRetryable } from '../service-errors';

const WAIT: IsCompleteResponse = { IsComplete: false };

/** Statuses a package ends in when the service could not take its content. */
const FAILED = new Set(['COPY_FAILED', 'VALIDATION_FAILED', 'DELETE_FAILED']);

/**
 * Waits until the package is AVAILABLE, at a version other than the one
 * available before an UpdatePackage, or, for a Delete, gone.
 */
export async function isComplete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  enterOperationOf(event);
  const packageId = event.PhysicalResourceId;
  if (event.RequestType === 'Delete' && !isIssued(packageId)) {
    return { IsComplete: true };
  }
  const details = await describePackage(packageId).catch((error) => {
    if (isRetryable(error)) return 'unavailable' as const;
    throw error;
  });
  if (event.RequestType === 'Delete') {
    return deleted(details, packageId);
  }
  if (details !== 'unavailable' && details && FAILED.has(details.PackageStatus ?? '')) {
    throw failed(details, packageId);
  }
  if (details !== 'unavailable' && details && isReady(details, event)) {
    return { IsComplete: true, Data: attributesOf(details) };
  }
  if (timedOut()) {
    const status = details === 'unavailable' ? 'the service did not answer' : details?.PackageStatus ?? 'not listed';
    throw timeoutFailure(`${status} for ${timeoutText()}`, { packageId });
  }
  return WAIT;
}

/**
 * A long package handed over to the waiter answers with its details as the
 * service describes them now (the version available before the operation
 * ends); a Delete answers at once.
 */
export async function provisional(event: IsCompleteRequest): Promise<IsCompleteResponse | undefined> {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const details = await describePackage(event.PhysicalResourceId).catch((error) => {
    if (isRetryable(error)) return undefined;
    throw error;
  });
  return details ? { IsComplete: true, Data: attributesOf(details) } : undefined;
}

/** AVAILABLE, and after an update at a new version (the service lists the old one until the new one is). */
function isReady(details: PackageDetails, event: IsCompleteRequest): boolean {
  const before = event.Before?.Version;
  return details.PackageStatus === 'AVAILABLE' && (before === undefined || details.AvailablePackageVersion !== before);
}

function deleted(details: PackageDetails | undefined | 'unavailable', packageId: string): IsCompleteResponse {
  if (details === undefined || (details !== 'unavailable' && details.PackageStatus === 'DELETED')) {
    return { IsComplete: true };
  }
  if (details !== 'unavailable' && details.PackageStatus === 'DELETE_FAILED') {
    throw failed(details, packageId);
  }
  if (timedOut()) {
    throw timeoutFailure(`${details === 'unavailable' ? 'the service did not answer' : details.PackageStatus} for ${timeoutText()}`, { packageId });
  }
  return WAIT;
}

function failed(details: PackageDetails, packageId: string): HandlerFailure {
  const error = details.ErrorDetails;
  return new HandlerFailure(details.PackageStatus ?? 'UnknownStatus',
    `${error?.ErrorType ?? 'no error type'}: ${error?.ErrorMessage ?? 'no error message'}`, { packageId });
}

/** The resource's attributes, always strings. */
function attributesOf(details: PackageDetails): Record<string, string> {
  return {
    PackageID: details.PackageID ?? '',
    AvailablePackageVersion: details.AvailablePackageVersion ?? '',
    PackageName: details.PackageName ?? '',
    PackageType: details.PackageType ?? '',
  };
}
