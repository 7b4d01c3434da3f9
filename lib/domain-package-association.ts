import { CustomResource, Lazy, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { AssociationProvider } from './association-provider';
import { domainNameProblem, keyAccessRoleArnProblem, packageIdProblem } from './association-rules';
import { domainIdentity } from './domain-identity';
import { DomainOperationOrder, domainLabel } from './domain-operation-order';
import type { KeyStoreAccess } from './key-store-access';

/**
 * Properties of a `DomainPackageAssociation`.
 */
export interface DomainPackageAssociationProps {
  /**
   * The domain to associate the package with: a `Domain` of this app or an
   * imported one (`Domain.fromDomainAttributes`, `Domain.fromDomainEndpoint`).
   */
  readonly domain: opensearch.IDomain;

  /**
   * The package's ID, e.g. `F123456789` (dictionary), `G987654321` (AWS-owned
   * plugin, differs per region and engine version) or `pkg-0123abcd` (custom
   * plugin).
   */
  readonly packageId: string;

  /**
   * Associations on the same domain that must be ACTIVE before this one starts,
   * e.g. the plugin of a license or configuration package. Each is passed in
   * `PrerequisitePackageIDList` and becomes a dependency of this association.
   *
   * @default - no prerequisites
   */
  readonly prerequisites?: DomainPackageAssociation[];

  /**
   * Key-store access for the package (`AssociationConfiguration.KeyStoreAccessOption`).
   *
   * @default - no association configuration is sent
   */
  readonly keyStoreAccess?: KeyStoreAccess;

  /**
   * Any label of the package version the domain should run, e.g. `v2`. When it
   * changes between deploys the association is applied again, which moves the
   * domain to the package's newest available version.
   *
   * @default - the domain keeps the version it was first associated with
   */
  readonly packageVersion?: string;
}

/**
 * Associates an OpenSearch Service package (dictionary, plugin, license or
 * configuration) with a domain, waits until the association is ACTIVE and
 * dissociates it when removed from the stack.
 *
 * @resource Custom::OpenSearchPackageAssociation
 */
export class DomainPackageAssociation extends Construct {
  /** The domain the package is associated with. */
  public readonly domain: opensearch.IDomain;

  /** The name of the domain. */
  public readonly domainName: string;

  /** The ID of the package. */
  public readonly packageId: string;

  /**
   * The path to use in analyzer settings, e.g. `analyzers/F123456789`;
   * an empty string for packages other than dictionaries.
   * @attribute
   */
  public readonly referencePath: string;

  /**
   * The package version active on the domain, e.g. `v2`.
   * @attribute
   */
  public readonly activePackageVersion: string;

  /**
   * The package's name.
   * @attribute
   */
  public readonly packageName: string;

  /**
   * The package's type: `TXT-DICTIONARY`, `ZIP-PLUGIN`, `PACKAGE-LICENSE` or `PACKAGE-CONFIG`.
   * @attribute
   */
  public readonly packageType: string;

  private readonly prerequisiteList: DomainPackageAssociation[] = [];

  constructor(scope: Construct, id: string, props: DomainPackageAssociationProps) {
    super(scope, id);
    const identity = domainIdentity(props.domain);
    this.domain = props.domain;
    this.domainName = identity.domainName;
    this.packageId = props.packageId;
    validateProps(this.domainName, props);

    const provider = AssociationProvider.getOrCreate(this);
    provider.allowDomain(identity.domainArn);
    if (props.keyStoreAccess?.keyAccessRole) {
      provider.allowPassRole(props.keyStoreAccess.keyAccessRole);
    }

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OpenSearchPackageAssociation',
      properties: {
        DomainName: this.domainName,
        PackageID: this.packageId,
        PrerequisitePackageIDList: Lazy.list(
          { produce: () => this.prerequisiteList.map((p) => p.packageId) },
          { omitEmpty: true },
        ),
        AssociationConfiguration: renderAssociationConfiguration(props.keyStoreAccess),
        PackageVersion: props.packageVersion,
      },
    });
    this.referencePath = resource.getAttString('ReferencePath');
    this.activePackageVersion = resource.getAttString('PackageVersion');
    this.packageName = resource.getAttString('PackageName');
    this.packageType = resource.getAttString('PackageType');

    DomainOperationOrder.of(this).register(this);
    props.prerequisites?.forEach((prerequisite) => this.addPrerequisite(prerequisite));
  }

  /** The associations that must be ACTIVE on the domain before this one starts. */
  public get prerequisites(): DomainPackageAssociation[] {
    return [...this.prerequisiteList];
  }

  /**
   * Makes `other` (an association on the same domain) a prerequisite of
   * this one: it is listed in `PrerequisitePackageIDList` and deployed first.
   */
  public addPrerequisite(other: DomainPackageAssociation): void {
    if (other === this) {
      throw new Error(`prerequisites: ${this.node.path} cannot be its own prerequisite`);
    }
    if (this.prerequisiteList.includes(other)) {
      throw new Error(`prerequisites: ${other.node.path} (package '${other.packageId}') is listed twice`);
    }
    if (other.domainName !== this.domainName) {
      throw new Error(
        `prerequisites: ${other.node.path} is on domain ${domainLabel(other)}, not on domain ${domainLabel(this)}`,
      );
    }
    this.prerequisiteList.push(other);
    this.node.addDependency(other);
  }
}

function validateProps(domainName: string, props: DomainPackageAssociationProps): void {
  check('domain.domainName', domainName, domainNameProblem);
  check('packageId', props.packageId, packageIdProblem);
  const role = props.keyStoreAccess?.keyAccessRole;
  if (role) {
    check('keyStoreAccess.keyAccessRole', role.roleArn, keyAccessRoleArnProblem);
  }
  if (props.packageVersion !== undefined && !Token.isUnresolved(props.packageVersion) && !props.packageVersion.trim()) {
    throw new Error(`invalid packageVersion: '${props.packageVersion}' must not be empty`);
  }
}

/** Checks a value known at synth time; tokens are left to the handler. */
function check(property: string, value: string, problem: (value: string) => string | undefined): void {
  const found = Token.isUnresolved(value) ? undefined : problem(value);
  if (found) {
    throw new Error(`invalid ${property}: ${found}`);
  }
}

function renderAssociationConfiguration(access: KeyStoreAccess | undefined) {
  return access && {
    KeyStoreAccessOption: {
      KeyStoreAccessEnabled: access.enabled,
      KeyAccessRoleArn: access.keyAccessRole?.roleArn,
    },
  };
}
