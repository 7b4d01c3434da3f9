import { Annotations, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { attributeOwner } from './attribute-owner';
import type { DomainOperation, PackageClaim } from './domain-operation-order';
import { PackageType } from './package-type';

/**
 * The blue/green budget of a domain: associating or dissociating a plugin
 * runs a blue/green deployment of the domain (15 minutes to hours), one per
 * call, while a `DomainPackages` associates all its packages in one call.
 * A stack whose operations on one domain could cost more than one gets a
 * warning, which a user who wants them apart acknowledges
 * (`Annotations.of(scope).acknowledgeWarning`, on the operation or a scope
 * above it, such as the stack).
 */
const BLUE_GREEN_WARNING = 'cdk-opensearch-packages:blueGreenDeploymentsNotMerged';

/** The types of the package constructs of the app: `OpenSearchPackage`, AWS-owned plugins. */
const TYPES = new WeakMap<IConstruct, PackageType>();

/** Records the type of a package construct, for the operations that associate it. */
export function recordPackageType(pkg: IConstruct, packageType: PackageType): void {
  TYPES.set(pkg, packageType);
}

/**
 * Warns when more than one of a domain's operations (in deploy order) may run
 * a blue/green deployment, on the resource of the second of them: older
 * aws-cdk-lib releases (the peer floor, 2.195.0) look a later warning's
 * acknowledgement up on the scopes above it only, so one made on the
 * operation reaches the warning there. `domain` is how the domain reads in the
 * message.
 */
export function warnUnmergedBlueGreens(domain: string, ordered: readonly DomainOperation[]): void {
  const costly = ordered
    .map((operation) => ({ operation, packages: costlyPackages(operation) }))
    .filter(({ packages }) => packages.length > 0);
  if (costly.length < 2) {
    return;
  }
  const listed = costly.map(({ operation, packages }) => `${operation.scope.node.path} (${packages.join('; ')})`).join(', ');
  const second = costly[1].operation.scope;
  Annotations.of(second.node.defaultChild ?? second).addWarningV2(BLUE_GREEN_WARNING, `domain ${domain} can go through up to ${costly.length} `
    + `blue/green deployments (15 minutes to hours each) in a deploy that associates or dissociates its packages, one per operation: ${listed}. `
    + 'Put these packages in one DomainPackages: one AssociatePackages call, one blue/green deployment');
}

/** The packages of `operation` that may cost a blue/green deployment, each named with why. */
function costlyPackages(operation: DomainOperation): string[] {
  return operation.claims().flatMap((claim) => {
    const pkg = TYPES.has(claim.scope) ? claim.scope : attributeOwner(claim.packageId, (construct) => TYPES.has(construct));
    const why = blueGreenReason(claim.packageId, pkg && TYPES.get(pkg));
    return why ? [`${packageName(claim, operation, pkg)}: ${why}`] : [];
  });
}

/**
 * Why associating the package may run a blue/green deployment, or undefined
 * when it runs none or that cannot be told. A plugin does ("Associating or
 * dissociating a plugin needs a blue/green deployment", see the notes on the
 * service); a dictionary does not. Whether a license or configuration does is
 * not documented (`RequiresRestartForConfigurationUpdate` suggests that some
 * changes do not restart the domain): such a package counts, and the message
 * says it may. Without a type, the id's shape tells: G-ids are AWS-owned
 * plugins, F-ids dictionaries, `pkg-` ids custom plugins, licenses or
 * configurations. A token of no package construct (an import by name) counts
 * for nothing.
 */
function blueGreenReason(packageId: string, packageType: PackageType | undefined): string | undefined {
  switch (packageType) {
    case PackageType.ZIP_PLUGIN:
      return 'a plugin';
    case PackageType.PACKAGE_LICENSE:
    case PackageType.PACKAGE_CONFIG:
      return `a ${packageType} package, which may need one`;
    case PackageType.TXT_DICTIONARY:
      return undefined;
  }
  if (/^G\d+$/.test(packageId)) {
    return 'an AWS-owned plugin, by its id';
  }
  if (/^pkg-/.test(packageId)) {
    return 'a plugin, license or configuration, by its id';
  }
  return undefined;
}

/** The package's construct path (a package construct's, or a set member's), and its id when literal. */
function packageName(claim: PackageClaim, operation: DomainOperation, pkg: IConstruct | undefined): string {
  const construct = pkg ?? (claim.scope !== operation.scope ? claim.scope : undefined);
  const id = Token.isUnresolved(claim.packageId) ? undefined : `'${claim.packageId}'`;
  return [construct?.node.path, id].filter((part) => part !== undefined).join(' ');
}
