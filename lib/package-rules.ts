import { Annotations, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { IConstruct } from 'constructs';
import { attributeOwner } from './attribute-owner';
import { domainEngineVersion } from './domain-engine-version';
import type { KeyStoreAccess } from './key-store-access';
import { PackageType } from './package-type';
import { synthError } from './synth-error';

/**
 * The service's rules for a package that synth can check: those the documentation states fail synthesis, those it
 * leaves open are warnings a user can acknowledge. Unresolved values are left to the service.
 */

/**
 * The first OpenSearch version that runs custom plugins: "Custom plugins are supported on domains running OpenSearch
 * version 2.15 or later" (Amazon OpenSearch Service Developer Guide, "Managing custom plugins in Amazon OpenSearch
 * Service", Plugin quotas, https://docs.aws.amazon.com/opensearch-service/latest/developerguide/custom-plugins.html).
 * AWS-owned plugins of older versions are found with OpenSearchPackage.fromAwsPlugin, which these rules do not cover.
 */
const CUSTOM_PLUGINS_SINCE = { major: 2, minor: 15 };

/** The custom plugins of the app: `OpenSearchPackage`s of type ZIP_PLUGIN (never an AWS-owned plugin). */
const CUSTOM_PLUGINS = new WeakSet<IConstruct>();

/** Fails on an engine version the package's type cannot have, or one that runs no custom plugin. */
export function checkEngineVersion(scope: IConstruct, packageType: PackageType, engineVersion: opensearch.EngineVersion | undefined): void {
  if (packageType === PackageType.ZIP_PLUGIN && !engineVersion) {
    throw synthError(scope, 'invalid engineVersion', `a ${packageType} package needs an engine version (the service requires it)`);
  }
  const version = engineVersion?.version;
  if (version === undefined || Token.isUnresolved(version)) {
    return;
  }
  // CreatePackage, EngineVersion: "This can only be specified for package type ZIP-PLUGIN"
  // (Amazon OpenSearch Service API Reference, "CreatePackage",
  // https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreatePackage.html).
  if (packageType !== PackageType.ZIP_PLUGIN) {
    throw synthError(scope, 'invalid engineVersion', `'${version}' is not allowed for a ${packageType} package (only a ZIP-PLUGIN package has one)`);
  }
  if (!runsCustomPlugins(version)) {
    throw synthError(scope, 'invalid engineVersion', `'${version}' runs no custom plugin: a ZIP-PLUGIN package needs ${customPluginsSince()} `
      + 'or later (for an AWS-owned plugin, use OpenSearchPackage.fromAwsPlugin)');
  }
}

/** Records `pkg`, an `OpenSearchPackage`, as a custom plugin when it is a ZIP-PLUGIN package. */
export function recordCustomPlugin(pkg: IConstruct, packageType: PackageType): void {
  if (packageType === PackageType.ZIP_PLUGIN) {
    CUSTOM_PLUGINS.add(pkg);
  }
}

/**
 * The domain side of the rule above: fails when `packageId` is a custom plugin's and `domain` is a `Domain` of the
 * app whose engine version, known at synth, runs no custom plugin. A literal id, an AWS-owned plugin's, an imported
 * domain or a version that is a token is left to the service.
 */
export function checkDomainRunsCustomPlugins(scope: IConstruct, domain: opensearch.IDomain, packageId: string): void {
  const plugin = attributeOwner(packageId, (construct) => CUSTOM_PLUGINS.has(construct));
  const version = plugin && domainEngineVersion(domain);
  if (plugin && version !== undefined && !runsCustomPlugins(version)) {
    throw synthError(scope, 'invalid domain', `${domain.node.path} runs '${version}', where no custom plugin runs: ${plugin.node.path} is `
      + `a ZIP-PLUGIN package, which needs a domain on ${customPluginsSince()} or later (upgrade the domain's version, or for an `
      + 'AWS-owned plugin use OpenSearchPackage.fromAwsPlugin)');
  }
}

function customPluginsSince(): string {
  return `OpenSearch ${CUSTOM_PLUGINS_SINCE.major}.${CUSTOM_PLUGINS_SINCE.minor}`;
}

/** OpenSearch 2.15 or later; Elasticsearch never. A version of another form is left to the service. */
function runsCustomPlugins(version: string): boolean {
  if (/^Elasticsearch_/.test(version)) {
    return false;
  }
  const match = /^OpenSearch_(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    return true;
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > CUSTOM_PLUGINS_SINCE.major || (major === CUSTOM_PLUGINS_SINCE.major && minor >= CUSTOM_PLUGINS_SINCE.minor);
}

/**
 * Key-store access on a dictionary. Not documented either way: the API reference describes KeyStoreAccessOption as
 * "the configuration parameters to enable access to the key store required by the package" and names no package
 * type (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_KeyStoreAccessOption.html), so
 * a warning, which the user can acknowledge if the service accepts it.
 */
export function warnKeyStoreAccessOnDictionary(
  scope: IConstruct, pkg: IConstruct, packageType: PackageType | undefined, access: KeyStoreAccess | undefined,
): void {
  if (access && packageType === PackageType.TXT_DICTIONARY) {
    Annotations.of(scope).addWarningV2('cdk-opensearch-packages:keyStoreAccessOnDictionary',
      `keyStoreAccess ({ enabled: ${access.enabled} }) is set for ${pkg.node.path}, a ${packageType} package: the service documents `
      + 'key-store access for packages that need a key store, not for dictionaries, and may refuse the association');
  }
}

/**
 * A customer managed key on a package other than a plugin. The KMS integration guide describes customer managed
 * keys for ZIP-PLUGIN packages only ("Amazon OpenSearch Service custom package AWS KMS integration",
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/custom-package-kms-integration.html) and does
 * not say the service refuses one elsewhere: a warning.
 */
export function warnEncryptionKeyOnNonPlugin(scope: IConstruct, packageType: PackageType, key: kms.IKey | undefined): void {
  if (key && packageType !== PackageType.ZIP_PLUGIN) {
    const shown = Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn;
    Annotations.of(scope).addWarningV2('cdk-opensearch-packages:encryptionKeyOnNonPlugin',
      `encryptionKey (${shown}) is set for a ${packageType} package: customer managed keys are documented for ZIP-PLUGIN packages only, `
      + 'and the service may refuse CreatePackage');
  }
}
