import * as crypto from 'crypto';
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { attributeOwner } from './attribute-owner';
import type { HandlerPolicies } from './handler-policies';

/** How an association asks for a version of its package: the custom resource's properties. */
export interface VersionProperties {
  /** The exact version, for a package of the association's own stack (a token). */
  readonly PackageVersion?: string;
  /** A fingerprint of the content of a package of another stack: the handler asks for its newest version. */
  readonly PackageRevision?: string;
}

/** What an `OpenSearchPackage` tells its associations: its version attribute and its revision, when known at synth. */
interface PackageVersions {
  readonly availablePackageVersion: string;
  readonly revision?: string;
  /**
   * The package has a long timeout: its resource answers before the new
   * version is available, so its version attribute is the one before, and
   * even its own stack follows it by revision.
   */
  readonly attributeIsProvisional: boolean;
}

const PACKAGES = new WeakMap<IConstruct, PackageVersions>();

/** A resource that follows a package by revision reads it (DescribePackages): the permission must outlive it. */
export function dependOnPackageReads(resource: IConstruct, grants: HandlerPolicies, version: VersionProperties): void {
  if (version.PackageRevision !== undefined) {
    resource.node.addDependency(grants.packageReadPolicy());
  }
}

/** The warning a user acknowledges (`Annotations.of(scope).acknowledgeWarning`) to keep such an association as it is. */
export const VERSION_NOT_FOLLOWED_WARNING = 'cdk-opensearch-packages:packageVersionNotFollowed';

/**
 * Records the versions of an `OpenSearchPackage`. The revision is a hash of
 * `revisionInputs`, what gives the package a new version or a new id (the
 * content's fingerprint first), or undefined when any of it is only known at
 * deploy time.
 */
export function recordPackageVersions(pkg: IConstruct, availablePackageVersion: string, revisionInputs: unknown[],
  attributeIsProvisional: boolean): void {
  const text = JSON.stringify(revisionInputs);
  const known = revisionInputs[0] !== undefined && !Token.isUnresolved(text);
  const revision = known ? crypto.createHash('sha256').update(text).digest('hex').slice(0, 16) : undefined;
  PACKAGES.set(pkg, { availablePackageVersion, revision, attributeIsProvisional });
}

/**
 * The version properties of an association in `scope` of `pkg`, which
 * follows the package's newest version when `pkg` is an `OpenSearchPackage`:
 * by its version attribute in the package's own stack, by its revision from
 * another stack (see lambda/package-revision.ts). Other packages (AWS-owned,
 * imported by id) pin no version.
 */
export function followedVersion(scope: IConstruct, pkg: IConstruct): VersionProperties {
  const versions = PACKAGES.get(pkg);
  if (!versions) {
    return {};
  }
  if (Stack.of(pkg) === Stack.of(scope) && !versions.attributeIsProvisional) {
    return { PackageVersion: versions.availablePackageVersion };
  }
  return byRevision(scope, pkg, versions);
}

/**
 * The version properties of an association in `scope` of `packageId` at
 * `packageVersion`: the newest version of an `OpenSearchPackage` of another
 * stack when the version is that package's `availablePackageVersion`, or not
 * given and the id is that package's (the association cannot pin it there);
 * otherwise `packageVersion` as it is (a package of the association's own
 * stack pins a version with it, or with `OpenSearchPackage.associateWith`).
 */
export function associationVersion(scope: IConstruct, packageId: string, packageVersion: string | undefined): VersionProperties {
  const pkg = attributeOwner(packageVersion ?? packageId, (construct) => PACKAGES.has(construct));
  return pkg && (Stack.of(pkg) !== Stack.of(scope) || PACKAGES.get(pkg)!.attributeIsProvisional)
    ? followedVersion(scope, pkg) : { PackageVersion: packageVersion };
}

function byRevision(scope: IConstruct, pkg: IConstruct, versions: PackageVersions): VersionProperties {
  if (versions.revision === undefined) {
    const where = versions.attributeIsProvisional
      ? 'has a timeout above 55 minutes (its version attribute is read before the new version is available)'
      : `belongs to stack ${Stack.of(pkg).stackName}`;
    const remedy = versions.attributeIsProvisional
      ? 'give its source a literal object key or an asset, or a timeout of 55 minutes or less'
      : 'associate the package in its own stack (OpenSearchPackage.associateWith or a DomainPackages there), or give its source a literal '
        + 'object key or an asset';
    Annotations.of(scope).addWarningV2(VERSION_NOT_FOLLOWED_WARNING, `the package ${pkg.node.path} ${where}, `
      + 'and its content is only known at deploy time: this association keeps the version it '
      + `was first associated with. To follow new versions, ${remedy}`);
    return {};
  }
  return { PackageRevision: versions.revision };
}
