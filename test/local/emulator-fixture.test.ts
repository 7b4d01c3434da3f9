/**
 * The emulator's fixture guessed from templates: what the played resources of an app's stacks
 * name before anything is deployed.
 */
import { EXAMPLE_STACK, synthesizeExample } from './assemblies';
import { fixtureFromStacks } from '../../local/emulator-fixture';

const TOKEN = { 'Fn::GetAtt': ['Provider', 'Arn'] };

test('the example: every domain, the literal package ids, the asset\'s object in the bootstrap bucket, the looked-up plugin', () => {
  const fixture = fixtureFromStacks([{ name: EXAMPLE_STACK, template: synthesizeExample().getStackByName(EXAMPLE_STACK).template }]);

  // The associations of the app's own package and of the lookup name the domain, not a package.
  expect(fixture.domains).toEqual(['search-example']);
  expect(fixture.packages).toEqual([
    { id: 'F111111111', name: 'synonyms', type: 'TXT-DICTIONARY' },
    { id: 'pkg-0a1b2c3d4e5f6a7b8', name: 'plugin', type: 'ZIP-PLUGIN' },
    { id: 'pkg-1b2c3d4e5f6a7b8c9', name: 'plugin-license', type: 'PACKAGE-LICENSE' },
  ]);
  // `Fn::Sub: cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}` with the player's fake account and region.
  expect(fixture.s3Objects).toEqual([{ bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', key: expect.stringMatching(/^[0-9a-f]{64}\.txt$/) }]);
  expect(fixture.awsPackages).toEqual([{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' }]);
});

test('across stacks: a domain name imported from another stack is resolved there; a package id exported from a package is not guessed', () => {
  const domainStack = {
    Resources: { Domain: { Type: 'AWS::OpenSearchService::Domain', Properties: { DomainName: 'search-shared' } } },
    Outputs: { DomainName: { Value: { Ref: 'Domain' }, Export: { Name: 'Domains:DomainName' } } },
  };
  const packageStack = {
    Resources: {
      Synonyms: {
        Type: 'Custom::OpenSearchPackage',
        Properties: {
          ServiceToken: TOKEN,
          PackageName: 'shared-synonyms',
          PackageType: 'TXT-DICTIONARY',
          PackageSource: { S3BucketName: { 'Fn::Sub': 'assets-${AWS::AccountId}' }, S3Key: { 'Fn::Join': ['/', ['dictionaries', 'synonyms.txt']] } },
        },
      },
    },
    Outputs: { PackageId: { Value: { 'Fn::GetAtt': ['Synonyms', 'PackageID'] }, Export: { Name: 'Packages:PackageId' } } },
  };
  const associationStack = {
    Resources: {
      Imported: {
        Type: 'Custom::OpenSearchPackageAssociation',
        Properties: { ServiceToken: TOKEN, DomainName: { 'Fn::ImportValue': 'Domains:DomainName' }, PackageID: { 'Fn::ImportValue': 'Packages:PackageId' } },
      },
      Weak: {
        Type: 'Custom::OpenSearchPackageAssociation',
        Properties: { ServiceToken: TOKEN, DomainName: { 'Fn::GetStackOutput': { StackName: 'Domains', OutputName: 'DomainName' } }, PackageID: 'F123' },
      },
    },
  };

  const fixture = fixtureFromStacks([
    { name: 'Domains', template: domainStack },
    { name: 'Packages', template: packageStack },
    { name: 'Associations', template: associationStack },
  ]);

  expect(fixture.domains).toEqual(['search-shared']);
  expect(fixture.packages).toEqual([{ id: 'F123', name: 'package-f123', type: 'TXT-DICTIONARY' }]);
  expect(fixture.s3Objects).toEqual([{ bucket: 'assets-123456789012', key: 'dictionaries/synonyms.txt' }]);
  expect(fixture.awsPackages).toEqual([]);
});

test('a package set (DomainPackages): its domain and the literal ids of its PackageList, each named after its PackageKeys entry', () => {
  const template = {
    Resources: {
      Synonyms: { Type: 'Custom::OpenSearchPackage', Properties: { ServiceToken: TOKEN, PackageName: 'synonyms', PackageType: 'TXT-DICTIONARY' } },
      Set: {
        Type: 'Custom::OpenSearchDomainPackages',
        Properties: {
          ServiceToken: TOKEN,
          DomainName: 'search-set',
          PackageList: [
            { PackageID: 'pkg-plugin' },
            { PackageID: 'pkg-license', PrerequisitePackageIDList: ['pkg-plugin'] },
            { PackageID: 'pkg-config', PrerequisitePackageIDList: ['pkg-plugin'] },
            // Read from a package of the app: the handler's to find, its neighbours still planned.
            { PackageID: { 'Fn::GetAtt': ['Synonyms', 'PackageID'] }, PackageVersion: { 'Fn::GetAtt': ['Synonyms', 'AvailablePackageVersion'] } },
            { PackageID: 'F123' },
          ],
          PackageKeys: ['Plugin', 'PluginLicense', 'PluginConfig', 'Synonyms', 'Stopwords'],
        },
      },
    },
  };

  const fixture = fixtureFromStacks([{ name: 'Packages', template }]);

  expect(fixture.domains).toEqual(['search-set']);
  expect(fixture.packages).toEqual([
    { id: 'pkg-plugin', name: 'plugin', type: 'ZIP-PLUGIN' },
    { id: 'pkg-license', name: 'plugin-license', type: 'PACKAGE-LICENSE' },
    { id: 'pkg-config', name: 'plugin-config', type: 'PACKAGE-CONFIG' },
    { id: 'F123', name: 'stopwords', type: 'TXT-DICTIONARY' },
  ]);
});
