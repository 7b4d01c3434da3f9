import * as path from 'path';
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../lib';

/** The packages the example associates by id; replace them with your own ids (G-ids differ per region). */
export interface ExamplePackages {
  /** A dictionary that exists already (TXT-DICTIONARY), e.g. uploaded from the console. */
  readonly dictionaryId: string;
  /** A third-party plugin (ZIP-PLUGIN). */
  readonly pluginId: string;
  /** The plugin's license (PACKAGE-LICENSE): needs the plugin first. */
  readonly licenseId: string;
}

export interface ExampleStackProps extends StackProps {
  /** An existing domain's name. */
  readonly domainName: string;
  readonly packages: ExamplePackages;
  /**
   * The existing dictionary association's construct id. Another id is another logical id:
   * CloudFormation creates the renamed association, then deletes the old one in the update's cleanup.
   * @default 'Synonyms'
   */
  readonly synonymsConstructId?: string;
  /**
   * The synonym file the stack uploads as a dictionary package of its own. A file with other
   * content is a new version of the package: the update moves the domain to it.
   * @default EXAMPLE_SYNONYMS_FILE
   */
  readonly synonymsFile?: string;
}

/** The synonym file of this repository. */
export const EXAMPLE_SYNONYMS_FILE = path.join(__dirname, 'dictionaries', 'synonyms.txt');

/** The example's placeholders: an existing domain's name and package ids (override them with context). */
export const EXAMPLE_DEFAULTS: Pick<ExampleStackProps, 'domainName' | 'packages'> = {
  domainName: 'search-example',
  packages: {
    dictionaryId: 'F111111111',
    pluginId: 'pkg-0a1b2c3d4e5f6a7b8',
    licenseId: 'pkg-1b2c3d4e5f6a7b8c9',
  },
};

/**
 * On an existing domain (OpenSearch 2.19): a synonym dictionary created from a file of this
 * repository, a dictionary that exists already, and every plugin as one set of packages: a plugin
 * with its license and an AWS-owned plugin found by name (one AssociatePackages call, so one
 * blue/green deployment of the domain per deploy; the license lists the plugin as prerequisite,
 * the plugin reads the domain's key store through a role). Dictionaries need no blue/green
 * deployment: they stay single associations.
 */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props);

    const domain = opensearch.Domain.fromDomainAttributes(this, 'Domain', {
      domainArn: this.formatArn({ service: 'es', resource: 'domain', resourceName: props.domainName }),
      domainEndpoint: `https://search-${props.domainName}-example.${this.region}.es.amazonaws.com`,
    });

    // The stack owns this package: a new content of the file is a new version, and the domain moves to it.
    const synonyms = new OpenSearchPackage(this, 'SynonymsFile', {
      packageType: PackageType.TXT_DICTIONARY,
      source: PackageSource.fromAsset(props.synonymsFile ?? EXAMPLE_SYNONYMS_FILE),
      description: 'Synonyms of the example app',
    });
    const synonymsOnDomain = synonyms.associateWith(domain);
    new CfnOutput(this, 'SynonymsPath', {
      value: synonymsOnDomain.referencePath,
      description: 'synonyms_path of a synonym_graph filter in an index\'s analyzer settings',
    });

    new DomainPackageAssociation(this, props.synonymsConstructId ?? 'Synonyms', {
      domain,
      packageId: props.packages.dictionaryId,
    });

    const keyAccessRole = new iam.Role(this, 'KeyAccessRole', {
      assumedBy: new iam.ServicePrincipal('es.amazonaws.com'),
      description: 'Lets OpenSearch Service read the domain key store for the example plugin',
    });
    // Each operation that associates a plugin costs the domain a blue/green deployment: associate the
    // plugins together (one AssociatePackages call, the license's prerequisite satisfied in the same call).
    const pluginPackages = new DomainPackages(this, 'PluginPackages', { domain });
    const plugin = OpenSearchPackage.fromPackageId(this, 'Plugin', props.packages.pluginId);
    const pluginOnDomain = pluginPackages.addPackage(plugin, { keyStoreAccess: { enabled: true, keyAccessRole } });
    pluginPackages.addPackage(OpenSearchPackage.fromPackageId(this, 'PluginLicense', props.packages.licenseId), { prerequisites: [plugin] });
    // AWS publishes the Korean analyzer per region and engine version: found by name at deploy time.
    pluginPackages.addPackage(OpenSearchPackage.fromAwsPlugin(this, 'Nori', {
      pluginName: 'analysis-nori',
      engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19,
    }));
    new CfnOutput(this, 'PluginVersion', {
      value: pluginOnDomain.activePackageVersion,
      description: 'The plugin version active on the domain',
    });
  }
}
