/*
 * Integration test for a real account: one domain with a dictionary (OpenSearchPackage from a file, associateWith)
 * and one DomainPackages set holding a custom plugin with its license and configuration and an AWS-owned plugin
 * found by name. Assertions: ListPackagesForDomain shows every package ACTIVE on the domain.
 *
 * Cost drives the shape: one domain, the smallest that custom plugins accept, and every plugin in one set, so the
 * domain runs one blue/green deployment to associate them all and one to dissociate them on destroy.
 *
 *   npm run integ          compares the snapshot (offline, no credentials)
 *   npm run integ:update   rewrites the snapshot (offline)
 *   npm run integ:deploy   deploys, asserts and destroys (a real account: see INTEG_PLUGIN_* in plugin-sources.ts)
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { pluginPart, SYNONYMS_FILE } from './plugin-sources';
import { DomainPackages, IOpenSearchPackage, OpenSearchPackage, PackageSource, PackageType, RequirementLevel } from '../../lib';

/** Custom plugins need OpenSearch 2.15 or later; analysis-nori is published for this version too. */
const ENGINE_VERSION = opensearch.EngineVersion.OPENSEARCH_2_19;

/** The regions where the developer guide ("Managing custom plugins") lists custom plugins as supported. */
const CUSTOM_PLUGIN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1',
  'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1',
];

const app = new App();
const stack = new Stack(app, 'OpenSearchPackagesInteg');

const domain = new opensearch.Domain(stack, 'Domain', {
  version: ENGINE_VERSION,
  // One t3.small node: the cheapest that takes encryption at rest (t2 does not).
  capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
  ebs: { volumeSize: 10, volumeType: EbsDeviceVolumeType.GP3 },
  // What custom plugins require of a domain (developer guide, "Managing custom plugins", prerequisites).
  nodeToNodeEncryption: true,
  encryptionAtRest: { enabled: true },
  enforceHttps: true,
  tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
  removalPolicy: RemovalPolicy.DESTROY,
});

// A dictionary on its own: no blue/green deployment.
const synonyms = new OpenSearchPackage(stack, 'Synonyms', {
  packageType: PackageType.TXT_DICTIONARY,
  source: PackageSource.fromAsset(SYNONYMS_FILE),
  description: 'Synonyms of the integration test',
});
synonyms.associateWith(domain);

// Every plugin in one set: one AssociatePackages call, one blue/green deployment.
const plugin = new OpenSearchPackage(stack, 'Plugin', {
  packageType: PackageType.ZIP_PLUGIN,
  engineVersion: ENGINE_VERSION,
  source: pluginPart('plugin'),
  configuration: { licenseRequirement: RequirementLevel.OPTIONAL, configurationRequirement: RequirementLevel.OPTIONAL },
});
const license = new OpenSearchPackage(stack, 'PluginLicense', { packageType: PackageType.PACKAGE_LICENSE, source: pluginPart('license') });
const configuration = new OpenSearchPackage(stack, 'PluginConfig', { packageType: PackageType.PACKAGE_CONFIG, source: pluginPart('configuration') });
const nori = OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: ENGINE_VERSION });

const plugins = new DomainPackages(stack, 'Plugins', { domain });
plugins.addPackage(plugin);
plugins.addPackage(license, { prerequisites: [plugin] });
plugins.addPackage(configuration, { prerequisites: [plugin] });
plugins.addPackage(nori);

const integ = new IntegTest(app, 'OpenSearchPackagesIntegTest', {
  testCases: [stack],
  regions: CUSTOM_PLUGIN_REGIONS,
  // A new snapshot has nothing to update from; an update run would pay for a second domain's blue/greens.
  stackUpdateWorkflow: false,
  // The handler is the code under test: a new bundle is a changed snapshot.
  diffAssets: true,
});

/** Asserts that `pkg` is ACTIVE on the domain (ListPackagesForDomain lists in no documented order). */
function assertActive(pkg: IOpenSearchPackage, packageType: PackageType): void {
  integ.assertions.awsApiCall('OpenSearch', 'ListPackagesForDomain', { DomainName: domain.domainName, MaxResults: 100 })
    .expect(ExpectedResult.objectLike({
      DomainPackageDetailsList: Match.arrayWith([
        Match.objectLike({ PackageID: pkg.packageId, PackageType: packageType, DomainPackageStatus: 'ACTIVE' }),
      ]),
    }));
}

assertActive(synonyms, PackageType.TXT_DICTIONARY);
assertActive(plugin, PackageType.ZIP_PLUGIN);
assertActive(license, PackageType.PACKAGE_LICENSE);
assertActive(configuration, PackageType.PACKAGE_CONFIG);
assertActive(nori, PackageType.ZIP_PLUGIN);
