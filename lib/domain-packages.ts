import * as crypto from 'crypto';
import { CfnResource, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { effectiveKeyStoreAccess, renderAssociationConfiguration, checkValue, validateOperationOptions } from './association-options';
import { DEFAULT_OPERATION_TIMEOUT, SERVICE_TIMEOUT } from './association-provider';
import { domainNameProblem, MAX_PACKAGES_PER_DOMAIN } from './association-rules';
import { domainIdentity } from './domain-identity';
import { DomainOperation, DomainOperationOrder } from './domain-operation-order';
import type { DomainPolicy } from './domain-policy';
import type { KeyStoreAccess } from './key-store-access';
import { LongWait, longWaitProperty, waitForLongWaitOf } from './long-wait';
import { assertRetainable, IOpenSearchPackage, OpenSearchPackage } from './open-search-package';
import { dependOnPackageReads, followedVersion, VersionProperties } from './package-revision';
import { checkDomainRunsCustomPlugins, warnKeyStoreAccessOnDictionary } from './package-rules';
import { providerFor } from './provider-sharing';
import { estimatedResponseBytes, RESPONSE_LIMIT_BYTES } from './set-response-size';
import { synthError, validationMessage } from './synth-error';

/** Properties of a `DomainPackages`. */
export interface DomainPackagesProps {
  /** The domain whose packages the set holds: a `Domain` of this app or an imported one. */
  readonly domain: opensearch.IDomain;

  /**
   * How long one operation (create, update or delete of the set) may take,
   * waiting for a busy domain included. From 1 minute to 12 hours; above 55
   * minutes the stack waits on a WaitCondition (see `DomainPackageAssociationProps.timeout`).
   *
   * @default Duration.minutes(50)
   */
  readonly timeout?: Duration;

  /**
   * What happens to the packages when the set leaves the stack or the stack is
   * deleted. `RemovalPolicy.RETAIN` keeps them on the domain.
   *
   * @default RemovalPolicy.DESTROY - the packages are dissociated
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Options of `DomainPackages.addPackage`. */
export interface AddPackageOptions {
  /**
   * Packages of the same set that the package needs, e.g. the plugin of a
   * license or configuration package. They are associated in the same call
   * ("before or simultaneously", as the service allows).
   *
   * @default - no prerequisites
   */
  readonly prerequisites?: IOpenSearchPackage[];

  /**
   * Key-store access for the package (`AssociationConfiguration.KeyStoreAccessOption`).
   *
   * @default - no association configuration is sent
   */
  readonly keyStoreAccess?: KeyStoreAccess;
}

/**
 * A package of a `DomainPackages`, and its attributes on the domain: what
 * `DomainPackages.addPackage` returns.
 */
export class DomainPackagesMember {
  /** @internal */
  public static _of(pkg: IOpenSearchPackage, attributeKey: string, referencePath: string, activePackageVersion: string): DomainPackagesMember {
    return new DomainPackagesMember(pkg, attributeKey, referencePath, activePackageVersion);
  }

  /** The package. */
  public readonly pkg: IOpenSearchPackage;

  /**
   * The prefix of the package's attributes in the set's resource
   * (`<attributeKey>.ReferencePath`): the package's construct id, with a hash
   * of its path when another package of the set has that id.
   */
  public readonly attributeKey: string;

  /**
   * The path to use in analyzer settings, e.g. `analyzers/F123456789`; an
   * empty string for packages other than dictionaries.
   * @attribute
   */
  public readonly referencePath: string;

  /**
   * The package version active on the domain, e.g. `v2`.
   * @attribute
   */
  public readonly activePackageVersion: string;

  private constructor(pkg: IOpenSearchPackage, attributeKey: string, referencePath: string, activePackageVersion: string) {
    this.pkg = pkg;
    this.attributeKey = attributeKey;
    this.referencePath = referencePath;
    this.activePackageVersion = activePackageVersion;
  }
}

interface Member {
  readonly pkg: IOpenSearchPackage;
  readonly key: string;
  readonly prerequisites: readonly IOpenSearchPackage[];
  readonly keyStoreAccess?: KeyStoreAccess;
  readonly version: VersionProperties;
}

/**
 * Associates a domain's whole set of packages (plugins with their licenses and
 * configurations, dictionaries) with one `AssociatePackages` call, so the
 * domain runs one blue/green deployment per deploy instead of one per
 * package. An update removes what left the set with one
 * `DissociatePackages`, then associates what is new or changed with one
 * `AssociatePackages`; a delete dissociates all of them at once.
 *
 * @resource Custom::OpenSearchDomainPackages
 */
export class DomainPackages extends Construct {
  /** The domain the packages are associated with. */
  public readonly domain: opensearch.IDomain;

  /** The name of the domain. */
  public readonly domainName: string;

  private readonly members: Member[] = [];
  private readonly resource: CustomResource;
  private readonly policy: DomainPolicy;
  private readonly operation: DomainOperation;
  private readonly removalPolicy?: RemovalPolicy;

  /**
   * @param scope the construct's scope
   * @param id the construct's id: a new id is a new resource (the old one is removed)
   * @param props the set's properties
   */
  constructor(scope: Construct, id: string, props: DomainPackagesProps) {
    super(scope, id);
    const identity = domainIdentity(props.domain);
    this.domain = props.domain;
    this.domainName = identity.domainName;
    this.removalPolicy = props.removalPolicy;
    checkValue(this, 'domain.domainName', this.domainName, domainNameProblem);
    validateOperationOptions(this, props);

    const provider = providerFor(this);
    this.policy = provider.grants.policyFor(identity, props.domain);

    const properties = {
      DomainName: this.domainName,
      PackageList: Lazy.any({ produce: () => this.members.map((member) => this.renderEntry(member)) }),
      PackageKeys: Lazy.list({ produce: () => this.members.map((member) => member.key) }),
      Timeout: String((props.timeout ?? DEFAULT_OPERATION_TIMEOUT).toSeconds()),
      ...longWaitProperty(this, props.timeout, provider),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OpenSearchDomainPackages',
      properties,
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy: props.removalPolicy,
    });
    LongWait.addTo(this, this.resource, properties, props.timeout, provider);
    // The permissions the set's Delete needs are deleted after it.
    this.resource.node.addDependency(this.policy.policy, this.policy.allowBatch());

    this.operation = {
      scope: this,
      domain: this.domain,
      domainName: this.domainName,
      claims: () => this.members.map((member) => ({ packageId: member.pkg.packageId, scope: member.pkg })),
      prerequisites: () => [],
    };
    DomainOperationOrder.of(this).register(this.operation);
    this.node.addValidation({ validate: () => this.validateSet() });
  }

  /** The packages of the set, in the order they were added. */
  public get packages(): IOpenSearchPackage[] {
    return this.members.map((member) => member.pkg);
  }

  /**
   * Adds `pkg` to the set. Its attributes on the domain are named after its
   * construct id (`<id>.ReferencePath`, `<id>.PackageVersion`). A package of
   * this stack (`OpenSearchPackage`) runs its newest version on the domain and
   * moves to each new one.
   *
   * @param pkg the package, of this stack, of another stack, an AWS-owned plugin or imported by id
   * @param options its prerequisites and key-store access
   */
  public addPackage(pkg: IOpenSearchPackage, options: AddPackageOptions = {}): DomainPackagesMember {
    if (this.members.some((member) => member.pkg === pkg || (!Token.isUnresolved(pkg.packageId) && member.pkg.packageId === pkg.packageId))) {
      throw synthError(this, 'addPackage', `${pkg.node.path} (package ${describeId(pkg.packageId)}) is already in the set`);
    }
    if (options.prerequisites?.includes(pkg)) {
      throw synthError(this, 'addPackage', `${pkg.node.path} cannot be its own prerequisite`);
    }
    validateOperationOptions(this, { keyStoreAccess: options.keyStoreAccess });
    checkDomainRunsCustomPlugins(this, this.domain, pkg.packageId);
    warnKeyStoreAccessOnDictionary(this, pkg, pkg instanceof OpenSearchPackage ? pkg.packageType : undefined, options.keyStoreAccess);
    assertRetainable(pkg, this.removalPolicy, 'addPackage');
    DomainOperationOrder.of(this).claim(this.operation, pkg.packageId, pkg);

    const access = effectiveKeyStoreAccess(this, options.keyStoreAccess);
    if (access?.enabled && access.keyAccessRole) {
      this.policy.allowPassRole(access.keyAccessRole);
      // The service must never receive a role whose own permissions do not exist yet.
      this.resource.node.addDependency(access.keyAccessRole);
    }
    const version = followedVersion(this, pkg);
    dependOnPackageReads(this.resource, providerFor(this).grants, version);
    waitForLongWaitOf(this.resource, pkg);
    const key = this.keyFor(pkg);
    this.members.push({ pkg, key, prerequisites: [...options.prerequisites ?? []], keyStoreAccess: access, version });
    return DomainPackagesMember._of(pkg, key,
      this.resource.getAttString(`${key}.ReferencePath`), this.resource.getAttString(`${key}.PackageVersion`));
  }

  /**
   * An entry of `PackageList`: AssociatePackages' own shape, plus the version
   * of an `OpenSearchPackage` (the exact one of this stack's, the newest of
   * another stack's).
   */
  private renderEntry(member: Member) {
    return {
      PackageID: member.pkg.packageId,
      PrerequisitePackageIDList: member.prerequisites.length > 0 ? member.prerequisites.map((p) => p.packageId) : undefined,
      AssociationConfiguration: renderAssociationConfiguration(member.keyStoreAccess),
      ...member.version,
    };
  }

  /** The package's construct id, or with a hash of its path when another package of that id came first. */
  private keyFor(pkg: IOpenSearchPackage): string {
    const id = pkg.node.id;
    if (!this.members.some((member) => member.key === id)) {
      return id;
    }
    return `${id}-${crypto.createHash('sha256').update(pkg.node.path).digest('hex').slice(0, 8)}`;
  }

  private validateSet(): string[] {
    const errors: string[] = [];
    if (this.members.length === 0) {
      errors.push(validationMessage('addPackage', 'the set has no packages'));
    }
    if (this.members.length > MAX_PACKAGES_PER_DOMAIN) {
      errors.push(validationMessage('addPackage', `${this.members.length} packages: a domain holds at most ${MAX_PACKAGES_PER_DOMAIN}`));
    }
    for (const member of this.members) {
      const outside = member.prerequisites.find((prerequisite) => !this.members.some((m) => m.pkg === prerequisite));
      if (outside) {
        errors.push(validationMessage('prerequisites',
          `${outside.node.path} (a prerequisite of ${member.pkg.node.path}) is not a package of this set: add it with addPackage`));
      }
    }
    const bytes = estimatedResponseBytes({
      domainName: this.domainName,
      logicalId: Stack.of(this).resolve((this.resource.node.defaultChild as CfnResource).logicalId),
      packageIds: this.members.map((member) => member.pkg.packageId),
      keys: this.members.map((member) => member.key),
    }, (value) => Token.isUnresolved(value));
    if (bytes > RESPONSE_LIMIT_BYTES) {
      errors.push(validationMessage('addPackage', `the resource's response would take up to ${bytes} bytes (every package's attributes, named after `
        + `its construct id): CloudFormation takes at most ${RESPONSE_LIMIT_BYTES}; use shorter construct ids or fewer packages`));
    }
    return errors;
  }
}

function describeId(packageId: string): string {
  return Token.isUnresolved(packageId) ? 'a token' : `'${packageId}'`;
}
