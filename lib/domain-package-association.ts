import { CustomResource, Duration, Lazy, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import { checkValue, effectiveKeyStoreAccess, renderAssociationConfiguration, validateOperationOptions } from './association-options';
import { AssociationProviderOptions, DEFAULT_OPERATION_TIMEOUT, SERVICE_TIMEOUT } from './association-provider';
import { domainNameProblem, packageIdProblem } from './association-rules';
import { domainIdentity } from './domain-identity';
import { DomainOperation, DomainOperationOrder, domainLabel } from './domain-operation-order';
import type { KeyStoreAccess } from './key-store-access';
import { LongWait, longWaitProperty } from './long-wait';
import { associationVersion, dependOnPackageReads } from './package-revision';
import { checkDomainRunsCustomPlugins } from './package-rules';
import { configureProvider } from './provider-configuration';
import { providerFor } from './provider-sharing';
import { synthError } from './synth-error';

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
   * The package version the domain must run, e.g. `v2`, or a package's
   * `availablePackageVersion`. When it changes between deploys the package is
   * associated again, which moves the domain to the package's newest available
   * version; the association fails when the domain then runs another version.
   * The `availablePackageVersion` of a package of another stack is never
   * exported (CloudFormation refuses to change an export in use): the
   * association follows that package's newest version by its content instead.
   *
   * @default - the newest version of an `OpenSearchPackage` of another stack,
   * followed across deploys; otherwise the domain keeps the version it was
   * first associated with
   */
  readonly packageVersion?: string;

  /**
   * What happens to the association when it leaves the stack or the stack is
   * deleted. `RemovalPolicy.RETAIN` keeps the package on the domain: the
   * resource carries `DeletionPolicy: Retain` and `UpdateReplacePolicy:
   * Retain`, and no Delete reaches the handler.
   *
   * @default RemovalPolicy.DESTROY - the package is dissociated
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long one operation (create, update or delete) may take, waiting for a
   * busy domain included. The handler then fails the resource with what it
   * was waiting for. From 1 minute to 12 hours. Up to 55 minutes the custom
   * resource waits itself (CloudFormation gives it at most an hour, and the
   * provider's waiter stops at 58 minutes). Above that the stack waits on an
   * `AWS::CloudFormation::WaitCondition` with this `Timeout`, whose logical id
   * changes with the association's properties; the association's dependents
   * wait for it.
   *
   * @default Duration.minutes(50)
   */
  readonly timeout?: Duration;
}

/**
 * Associates an OpenSearch Service package (dictionary, plugin, license or
 * configuration) with a domain, waits until the association is ACTIVE and
 * dissociates it when removed from the stack.
 *
 * @resource Custom::OpenSearchPackageAssociation
 */
export class DomainPackageAssociation extends Construct {
  /**
   * Sets how the provider of `scope`'s stack is built, as
   * `PackagesProvider.configure` does.
   *
   * @param scope a construct of the stack whose provider is configured
   * @param options how the provider is built
   * @deprecated use `PackagesProvider.configure`: the provider serves every
   * resource of this library, not only associations
   */
  public static configureProvider(scope: IConstruct, options: AssociationProviderOptions): void {
    configureProvider(scope, options);
  }

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
  private readonly operation: DomainOperation;

  /**
   * @param scope the construct's scope
   * @param id the construct's id: a new id is a new resource (the old one is removed)
   * @param props the association's properties
   */
  constructor(scope: Construct, id: string, props: DomainPackageAssociationProps) {
    super(scope, id);
    const identity = domainIdentity(props.domain);
    this.domain = props.domain;
    this.domainName = identity.domainName;
    this.packageId = props.packageId;
    validateProps(this, this.domainName, props);
    checkDomainRunsCustomPlugins(this, props.domain, props.packageId);

    const access = effectiveKeyStoreAccess(this, props.keyStoreAccess);
    const provider = providerFor(this);
    const policy = provider.grants.policyFor(identity, props.domain);
    const version = associationVersion(this, props.packageId, props.packageVersion);
    const properties = {
      DomainName: this.domainName,
      PackageID: this.packageId,
      PrerequisitePackageIDList: Lazy.list(
        { produce: () => this.prerequisiteList.map((p) => p.packageId) },
        { omitEmpty: true },
      ),
      AssociationConfiguration: renderAssociationConfiguration(access),
      ...version,
      Timeout: String((props.timeout ?? DEFAULT_OPERATION_TIMEOUT).toSeconds()),
      ...longWaitProperty(this, props.timeout, provider),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OpenSearchPackageAssociation',
      properties,
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy: props.removalPolicy,
    });
    LongWait.addTo(this, resource, properties, props.timeout, provider);
    // The permissions this association's Delete needs are deleted after it.
    resource.node.addDependency(policy.policy);
    dependOnPackageReads(resource, provider.grants, version);
    if (access?.keyAccessRole) {
      policy.allowPassRole(access.keyAccessRole);
      // The service must never receive a role whose own permissions do not exist yet.
      resource.node.addDependency(access.keyAccessRole);
    }
    this.referencePath = resource.getAttString('ReferencePath');
    this.activePackageVersion = resource.getAttString('PackageVersion');
    this.packageName = resource.getAttString('PackageName');
    this.packageType = resource.getAttString('PackageType');

    this.operation = {
      scope: this,
      domain: this.domain,
      domainName: this.domainName,
      claims: () => [{ packageId: this.packageId, scope: this }],
      prerequisites: () => this.prerequisiteList.map((prerequisite) => prerequisite.operation),
    };
    const order = DomainOperationOrder.of(this);
    order.claim(this.operation, this.packageId, this);
    order.register(this.operation);
    props.prerequisites?.forEach((prerequisite) => this.addPrerequisite(prerequisite));
  }

  /** The associations that must be ACTIVE on the domain before this one starts. */
  public get prerequisites(): DomainPackageAssociation[] {
    return [...this.prerequisiteList];
  }

  /**
   * Makes `other` (an association on the same domain) a prerequisite of
   * this one: it is listed in `PrerequisitePackageIDList` and deployed first.
   *
   * @param other an association on the same domain
   */
  public addPrerequisite(other: DomainPackageAssociation): void {
    if (other === this) {
      throw synthError(this, 'prerequisites', 'an association cannot be its own prerequisite');
    }
    if (this.prerequisiteList.includes(other)) {
      throw synthError(this, 'prerequisites', `${other.node.path} (package '${other.packageId}') is listed twice`);
    }
    if (other.domainName !== this.domainName) {
      throw synthError(this, 'prerequisites', `${other.node.path} is on domain ${domainLabel(other)}, not on domain ${domainLabel(this)}`);
    }
    this.prerequisiteList.push(other);
    this.node.addDependency(other);
  }
}

function validateProps(scope: IConstruct, domainName: string, props: DomainPackageAssociationProps): void {
  checkValue(scope, 'domain.domainName', domainName, domainNameProblem);
  checkValue(scope, 'packageId', props.packageId, packageIdProblem);
  if (props.packageVersion !== undefined && !Token.isUnresolved(props.packageVersion) && !props.packageVersion.trim()) {
    throw synthError(scope, 'invalid packageVersion', `'${props.packageVersion}' must not be empty`);
  }
  validateOperationOptions(scope, props);
}
