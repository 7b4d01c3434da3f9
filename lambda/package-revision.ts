import type { AssociationRequest } from './association-request';
import { HandlerFailure, subjectOfPairs } from './handler-failure';
import { describePackages } from './package-catalog-api';
import { errorMessage, errorName } from './service-errors';

/**
 * An association of a package that another stack creates cannot name the
 * package's version: the version would be a cross-stack export, and
 * CloudFormation refuses to change an export while another stack imports it.
 * It names the package's revision instead (`PackageRevision`, a fingerprint
 * of the package's content at synth time): a new revision reaches the handler
 * as an Update, and the version asked is the package's newest available one,
 * read now. Requests without a revision are returned as they are.
 */
export async function withNewestVersion(request: AssociationRequest): Promise<AssociationRequest> {
  const [resolved] = await resolveVersions([request]);
  return resolved;
}

/** Each request of a set, as `withNewestVersion` answers it, with one DescribePackages call. */
export async function withNewestVersions<T extends { readonly packages: readonly AssociationRequest[] }>(set: T): Promise<T> {
  return { ...set, packages: await resolveVersions(set.packages) };
}

async function resolveVersions(requests: readonly AssociationRequest[]): Promise<AssociationRequest[]> {
  const followers = requests.filter((request) => request.packageRevision !== undefined && request.packageVersion === undefined);
  if (followers.length === 0) {
    return [...requests];
  }
  const ids = followers.map((request) => request.packageId);
  const found = await describePackages([{ Name: 'PackageID', Value: ids }], ids.join(',')).catch((error: unknown) => {
    throw new HandlerFailure(errorName(error), `the newest version of the package could not be read: ${errorMessage(error)}`, subjectOfPairs(followers));
  });
  const newest = new Map(found.map((details) => [details.PackageID, details.AvailablePackageVersion || undefined]));
  const missing = ids.filter((id) => !newest.has(id));
  if (missing.length > 0) {
    throw new HandlerFailure('PackageNotFound',
      'no package has this id: the stack that creates it may have replaced or deleted it; deploy that stack first', subjectOfPairs(followers.filter((r) => missing.includes(r.packageId))));
  }
  return requests.map((request) => followers.includes(request) ? { ...request, packageVersion: newest.get(request.packageId) } : request);
}
