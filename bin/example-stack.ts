import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { DomainPackageAssociation } from '../lib';

/** The packages the example associates; replace them with your own ids (G-ids differ per region). */
export interface ExamplePackages {
  /** A synonym dictionary (TXT-DICTIONARY). */
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
   * The dictionary association's construct id. Another id is another logical id: CloudFormation
   * creates the renamed association, then deletes the old one in the update's cleanup.
   * @default 'Synonyms'
   */
  readonly synonymsConstructId?: string;
}

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
 * A dictionary and a plugin with its license on an existing domain: the
 * license lists the plugin as prerequisite, the plugin reads the domain's key
 * store through a role.
 */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id, props);

    const domain = opensearch.Domain.fromDomainAttributes(this, 'Domain', {
      domainArn: this.formatArn({ service: 'es', resource: 'domain', resourceName: props.domainName }),
      domainEndpoint: `https://search-${props.domainName}-example.${this.region}.es.amazonaws.com`,
    });

    new DomainPackageAssociation(this, props.synonymsConstructId ?? 'Synonyms', {
      domain,
      packageId: props.packages.dictionaryId,
    });

    const keyAccessRole = new iam.Role(this, 'KeyAccessRole', {
      assumedBy: new iam.ServicePrincipal('es.amazonaws.com'),
      description: 'Lets OpenSearch Service read the domain key store for the example plugin',
    });
    const plugin = new DomainPackageAssociation(this, 'Plugin', {
      domain,
      packageId: props.packages.pluginId,
      keyStoreAccess: { enabled: true, keyAccessRole },
    });

    new DomainPackageAssociation(this, 'PluginLicense', {
      domain,
      packageId: props.packages.licenseId,
      prerequisites: [plugin],
    });
  }
}
