import * as crypto from 'crypto';
import { CustomResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import { checkValue, validateOperationOptions } from './association-options';
import { DEFAULT_OPERATION_TIMEOUT, SERVICE_TIMEOUT } from './association-provider';
import { packageIdProblem } from './association-rules';
import { recordPackageType } from './blue-green-budget';
import { DomainPackageAssociation } from './domain-package-association';
import { isLongWait, LongWait, longWaitProperty } from './long-wait';
import { AssociateWithOptions, associationOf } from './package-associations';
import { PackageConfiguration, renderPackageConfiguration } from './package-configuration';
import { descriptionProblem } from './package-description';
import { recordPackageVersions } from './package-revision';
import { checkEngineVersion, recordCustomPlugin, warnEncryptionKeyOnNonPlugin, warnKeyStoreAccessOnDictionary } from './package-rules';
import type { PackageSource } from './package-source';
import { PackageType } from './package-type';
import { providerFor } from './provider-sharing';
import { synthError } from './synth-error';

/** A package that can be associated with domains: created by this stack, an AWS-owned plugin, or imported by id. */
export interface IOpenSearchPackage extends IConstruct {
  /** The package's id, e.g. `F123456789` or `pkg-0a1b…` (a token for a package of this stack). */
  readonly packageId: string;

  /**
   * Associates the package with `domain` (once per domain). For a package of
   * this stack the association runs the package's newest version and moves
   * to each new one.
   *
   * @param domain a `Domain` of this app or an imported one
   * @param options the association's settings
   */
  associateWith(domain: opensearch.IDomain, options?: AssociateWithOptions): DomainPackageAssociation;
}

/** Properties of an `OpenSearchPackage`. */
export interface OpenSearchPackageProps {
  /** The package's type. */
  readonly packageType: PackageType;

  /** The package's content. */
  readonly source: PackageSource;

  /**
   * The package's name: 3-256 characters, `^[a-z][a-z0-9\-]+$`, unique in the
   * account and region. Changing it (or the type, or the engine version)
   * replaces the package, and the service refuses a second package of one
   * name: a replacement needs a new name.
   *
   * @default - derived from the stack name and construct path, with a hash of the type and engine version
   */
  readonly packageName?: string;

  /**
   * A description of the package: at most 965 characters. The service takes
   * 1024; the handler appends a marker that identifies the package's resource
   * (so that a create whose answer was lost adopts its own package).
   *
   * @default - no description (the description holds only the marker)
   */
  readonly description?: string;

  /**
   * The engine version a plugin is built for: OpenSearch 2.15 or later, where
   * the service runs custom plugins. Required for `ZIP_PLUGIN`; not allowed
   * for other types.
   *
   * @default - none (dictionaries, licenses and configurations)
   */
  readonly engineVersion?: opensearch.EngineVersion;

  /**
   * A plugin's configuration requirements (`PackageConfiguration`).
   *
   * @default - none
   */
  readonly configuration?: PackageConfiguration;

  /**
   * A customer managed KMS key (symmetric) that encrypts the package on top
   * of the AWS owned key (`PackageEncryptionOptions`). The handler is granted
   * the KMS actions the service needs on this key only. A new key (or none
   * any more) is a new version of the same package (UpdatePackage), which the
   * package's associations then move to: keep the old key enabled until they
   * have. The service documents customer managed keys for `ZIP_PLUGIN`
   * packages: other types get a warning.
   *
   * @default - encrypted with an AWS owned key only
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the package when it leaves the stack or the stack is
   * deleted. `DESTROY` deletes it once its associations are gone.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long one operation (create, update or delete) may take, the
   * package's validation included. From 1 minute to 12 hours. Above 55
   * minutes the stack waits on an `AWS::CloudFormation::WaitCondition` with
   * this `Timeout`, whose logical id changes with the package's properties;
   * the associations made by `associateWith` and the `DomainPackages` sets
   * that hold the package wait for it.
   *
   * @default Duration.minutes(50)
   */
  readonly timeout?: Duration;
}

/** What an AWS-owned optional plugin is looked up by. */
export interface AwsPluginProps {
  /** The plugin's name, e.g. `analysis-nori`. */
  readonly pluginName: string;
  /** The domains' engine version: AWS publishes one package per name and engine version. */
  readonly engineVersion: opensearch.EngineVersion;
}

const PACKAGE_NAME = /^[a-z][a-z0-9-]{2,255}$/;

/**
 * A package of this stack: created from a file in the repository (or an S3
 * object), updated to a new version when the content changes, and deleted
 * with the stack.
 *
 * @resource Custom::OpenSearchPackage
 */
export class OpenSearchPackage extends Construct implements IOpenSearchPackage {
  /**
   * An AWS-owned optional plugin (analysis-nori, analysis-sudachi, …), found by
   * name and engine version at deploy time: its id differs per region and
   * engine version. Associations of it do not pin a version.
   *
   * @param scope the plugin lookup's scope
   * @param id the plugin lookup's construct id
   * @param props the plugin's name and the domains' engine version
   */
  public static fromAwsPlugin(scope: Construct, id: string, props: AwsPluginProps): IOpenSearchPackage {
    return new AwsPlugin(scope, id, props);
  }

  /**
   * A package that exists already, by its id. Creates no resource.
   *
   * @param scope the imported package's scope
   * @param id the imported package's construct id
   * @param packageId the package's id, e.g. `F123456789`
   */
  public static fromPackageId(scope: Construct, id: string, packageId: string): IOpenSearchPackage {
    return new ImportedPackage(scope, id, packageId);
  }

  /** The package's id (`Fn::GetAtt PackageID`). */
  public readonly packageId: string;

  /**
   * The newest available version, e.g. `v2` (`Fn::GetAtt AvailablePackageVersion`).
   * @attribute
   */
  public readonly availablePackageVersion: string;

  /** The package's name. */
  public readonly packageName: string;

  /** The package's type. */
  public readonly packageType: PackageType;

  /** What happens to the package when it leaves the stack. */
  public readonly removalPolicy: RemovalPolicy;

  private readonly resource: CustomResource;

  /**
   * @param scope the construct's scope
   * @param id the construct's id: a new id is a new resource (the old one is removed)
   * @param props the package's properties
   */
  constructor(scope: Construct, id: string, props: OpenSearchPackageProps) {
    super(scope, id);
    validateProps(this, props);
    this.packageType = props.packageType;
    recordPackageType(this, props.packageType);
    this.packageName = props.packageName ?? defaultPackageName(this, props);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const source = props.source.bind(this, props.packageType);

    const provider = providerFor(this);
    const policy = provider.grants.packagePolicy();
    policy.allowRead(source.bucket, source.readableKeys);
    if (props.encryptionKey) {
      policy.allowKeyUse(props.encryptionKey);
    }
    const properties = {
      PackageName: this.packageName,
      PackageType: props.packageType,
      PackageSource: { S3BucketName: source.bucket.bucketName, S3Key: source.key },
      PackageDescription: props.description,
      EngineVersion: props.engineVersion?.version,
      PackageConfiguration: props.configuration && renderPackageConfiguration(props.configuration),
      PackageEncryptionOptions: props.encryptionKey && { EncryptionEnabled: true, KmsKeyIdentifier: props.encryptionKey.keyArn },
      // The handler gives up on a package that does not become AVAILABLE before the provider's waiter does.
      Timeout: String((props.timeout ?? DEFAULT_OPERATION_TIMEOUT).toSeconds()),
      ...longWaitProperty(this, props.timeout, provider),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OpenSearchPackage',
      properties,
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy: this.removalPolicy,
    });
    LongWait.addTo(this, this.resource, properties, props.timeout, provider);
    this.resource.node.addDependency(policy.policy);
    this.packageId = this.resource.getAttString('PackageID');
    this.availablePackageVersion = this.resource.getAttString('AvailablePackageVersion');
    // What gives the package a new version (content, description, configuration, key) or a new id (name, type, engine
    // version). A key of the app is named by its construct path: its ARN is a token.
    const key = props.encryptionKey && (Token.isUnresolved(props.encryptionKey.keyArn) ? props.encryptionKey.node.path : props.encryptionKey.keyArn);
    recordPackageVersions(this, this.availablePackageVersion, [source.fingerprint, props.description,
      props.configuration && renderPackageConfiguration(props.configuration), key, this.packageName, props.packageType,
      props.engineVersion?.version], isLongWait(props.timeout));
    recordCustomPlugin(this, props.packageType);
  }

  /**
   * Associates the package with `domain` (once per domain): the association
   * runs the package's newest version and moves to each new one.
   *
   * @param domain a `Domain` of this app or an imported one
   * @param options the association's settings
   */
  public associateWith(domain: opensearch.IDomain, options: AssociateWithOptions = {}): DomainPackageAssociation {
    assertRetainable(this, options.removalPolicy, 'associateWith');
    const association = associationOf(this, domain, options, this.availablePackageVersion);
    warnKeyStoreAccessOnDictionary(association, this, this.packageType, options.keyStoreAccess);
    return association;
  }
}

/** `OpenSearchPackage.fromPackageId`: an id, no resource. */
class ImportedPackage extends Construct implements IOpenSearchPackage {
  constructor(scope: Construct, id: string, public readonly packageId: string) {
    super(scope, id);
    const problem = Token.isUnresolved(packageId) ? undefined : packageIdProblem(packageId);
    if (problem) {
      throw synthError(this, 'invalid packageId', problem);
    }
  }

  public associateWith(domain: opensearch.IDomain, options: AssociateWithOptions = {}): DomainPackageAssociation {
    return associationOf(this, domain, options);
  }
}

/**
 * `OpenSearchPackage.fromAwsPlugin`: a lookup at deploy time.
 *
 * @resource Custom::OpenSearchPackageLookup
 */
class AwsPlugin extends Construct implements IOpenSearchPackage {
  public readonly packageId: string;

  constructor(scope: Construct, id: string, props: AwsPluginProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.pluginName) && !PACKAGE_NAME.test(props.pluginName)) {
      throw synthError(this, 'invalid pluginName', `'${props.pluginName}' must be 3-256 characters matching ^[a-z][a-z0-9\\-]+$`);
    }
    const provider = providerFor(this);
    const policy = provider.grants.packagePolicy();
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OpenSearchPackageLookup',
      properties: { PackageName: props.pluginName, EngineVersion: props.engineVersion.version, PackageType: PackageType.ZIP_PLUGIN },
      serviceTimeout: SERVICE_TIMEOUT,
    });
    resource.node.addDependency(policy.policy);
    this.packageId = resource.getAttString('PackageID');
    recordPackageType(this, PackageType.ZIP_PLUGIN);
  }

  public associateWith(domain: opensearch.IDomain, options: AssociateWithOptions = {}): DomainPackageAssociation {
    return associationOf(this, domain, options);
  }
}

/**
 * An association (or set) kept with RemovalPolicy.RETAIN (or RETAIN_ON_UPDATE_OR_DELETE) would stop DeletePackage of a
 * package of this stack that is destroyed with it.
 */
export function assertRetainable(pkg: IOpenSearchPackage, removalPolicy: RemovalPolicy | undefined, what: string): void {
  const kept = removalPolicy === RemovalPolicy.RETAIN || removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
  if (pkg instanceof OpenSearchPackage && kept && pkg.removalPolicy === RemovalPolicy.DESTROY) {
    const policy = removalPolicy === RemovalPolicy.RETAIN ? 'RETAIN' : 'RETAIN_ON_UPDATE_OR_DELETE';
    throw synthError(pkg, what, `an association kept with RemovalPolicy.${policy} would stop DeletePackage of a package `
      + 'with RemovalPolicy.DESTROY when the stack is deleted: retain the package too');
  }
}

function validateProps(scope: IConstruct, props: OpenSearchPackageProps): void {
  const name = props.packageName;
  if (name !== undefined && !Token.isUnresolved(name) && !PACKAGE_NAME.test(name)) {
    throw synthError(scope, 'invalid packageName', `'${name}' must be 3-256 characters matching ^[a-z][a-z0-9\\-]+$`);
  }
  if (props.description !== undefined) {
    checkValue(scope, 'description', props.description, descriptionProblem);
  }
  validateOperationOptions(scope, { timeout: props.timeout });
  checkEngineVersion(scope, props.packageType, props.engineVersion);
  warnEncryptionKeyOnNonPlugin(scope, props.packageType, props.encryptionKey);
  if (props.removalPolicy !== undefined && ![RemovalPolicy.DESTROY, RemovalPolicy.RETAIN].includes(props.removalPolicy)) {
    throw synthError(scope, 'invalid removalPolicy', `'${props.removalPolicy}' must be destroy or retain`);
  }
}

/**
 * `<stack>-<path>-<hash>`: unique per stack (package names are unique in the
 * account and region), valid for the service, and different when the type or
 * engine version changes, so the package that replaces this one can be
 * created while this one still exists.
 */
function defaultPackageName(scope: IConstruct, props: OpenSearchPackageProps): string {
  const stackName = Stack.of(scope).stackName;
  const parts = [Token.isUnresolved(stackName) ? '' : stackName, ...scope.node.scopes.slice(2).map((s) => s.node.id)];
  const readable = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^[^a-z]+|-$/g, '');
  const hash = crypto.createHash('sha256')
    .update([Names.uniqueId(scope), props.packageType, props.engineVersion?.version ?? ''].join('|'))
    .digest('hex').slice(0, 8);
  return `${(readable || 'package').slice(0, 48).replace(/-$/, '')}-${hash}`;
}
