import * as path from 'path';
import { App, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { awsSolutionsReport, countOf, errorOf, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, OpenSearchPackage, PackageSource, PackageType, RequirementLevel } from '../../lib';
import { PACKAGE_ACTIONS, PACKAGE_KEY_ACTIONS } from '../../lib/package-policy';

const FIXTURES = path.join(__dirname, 'fixtures');
const SYNONYMS = path.join(FIXTURES, 'synonyms.txt');
const PLUGIN_FOLDER = path.join(FIXTURES, 'plugin');

function synonyms(stack: Stack, props: Partial<ConstructorParameters<typeof OpenSearchPackage>[2]> = {}, id = 'Synonyms'): OpenSearchPackage {
  return new OpenSearchPackage(stack, id, { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), ...props });
}

const resourcesOf = (stack: Stack, type: string) => Template.fromStack(stack).findResources(type);
const only = (stack: Stack, type: string): [string, any] => {
  const found = Object.entries(resourcesOf(stack, type));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('OpenSearchPackage', () => {
  test('a Custom::OpenSearchPackage with the CreatePackage names, the asset as its source, and attribute tokens', () => {
    const stack = newStack();
    const pkg = synonyms(stack, { description: 'product synonyms' });

    const [logicalId, resource] = only(stack, 'Custom::OpenSearchPackage');
    expect(resource.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '3600',
      Timeout: '3000',
      PackageName: pkg.packageName,
      PackageType: 'TXT-DICTIONARY',
      PackageSource: { S3BucketName: expect.anything(), S3Key: expect.stringMatching(/^[0-9a-f]{64}\.txt$/) },
      PackageDescription: 'product synonyms',
    });
    expect(stack.resolve(pkg.packageId)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageID'] });
    expect(stack.resolve(pkg.availablePackageVersion)).toEqual({ 'Fn::GetAtt': [logicalId, 'AvailablePackageVersion'] });
    expect(pkg.packageType).toBe(PackageType.TXT_DICTIONARY);
  });

  test('the default name is valid for the service, carries the stack and path, and changes with the type or engine version', () => {
    const names = (engineVersion?: opensearch.EngineVersion, packageType = PackageType.ZIP_PLUGIN) => {
      const stack = new Stack(new App(), 'Search-Stack');
      return new OpenSearchPackage(stack, 'My_Plugin', { packageType, engineVersion, source: PackageSource.fromAsset(PLUGIN_FOLDER) }).packageName;
    };
    const first = names(opensearch.EngineVersion.OPENSEARCH_2_17);

    expect(first).toMatch(/^search-stack-my-plugin-[0-9a-f]{8}$/);
    expect(names(opensearch.EngineVersion.OPENSEARCH_2_17)).toBe(first);
    expect(names(opensearch.EngineVersion.OPENSEARCH_2_19)).not.toBe(first);
  });

  test('a plugin from a folder, with its engine version and typed configuration', () => {
    const stack = newStack();
    new OpenSearchPackage(stack, 'Plugin', {
      packageType: PackageType.ZIP_PLUGIN,
      source: PackageSource.fromAsset(PLUGIN_FOLDER),
      engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19,
      configuration: { licenseRequirement: RequirementLevel.REQUIRED, configurationRequirement: RequirementLevel.NONE, licenseFilepath: 'license.txt' },
    });
    const [, resource] = only(stack, 'Custom::OpenSearchPackage');
    expect(resource.Properties).toMatchObject({
      PackageType: 'ZIP-PLUGIN',
      EngineVersion: 'OpenSearch_2.19',
      PackageSource: { S3Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) },
      PackageConfiguration: { LicenseRequirement: 'REQUIRED', ConfigurationRequirement: 'NONE', LicenseFilepath: 'license.txt' },
    });
  });

  test('associateWith: an association pinned to the package\'s newest version, with an id from the domain\'s construct id', () => {
    const stack = newStack();
    const pkg = synonyms(stack);
    const domain = importedDomain(stack, 'search-one');
    const association = pkg.associateWith(domain);

    expect(association).toBeInstanceOf(DomainPackageAssociation);
    expect(association.node.path).toBe('TestStack/Synonyms/Domain-Domain-search-one');
    const [, resource] = only(stack, 'Custom::OpenSearchPackageAssociation');
    const [packageLogicalId] = only(stack, 'Custom::OpenSearchPackage');
    expect(resource.Properties).toMatchObject({
      PackageID: { 'Fn::GetAtt': [packageLogicalId, 'PackageID'] },
      PackageVersion: { 'Fn::GetAtt': [packageLogicalId, 'AvailablePackageVersion'] },
    });
  });

  test('the same package twice on one domain is an error, found by object identity (the ids are tokens)', () => {
    const stack = newStack();
    const pkg = synonyms(stack);
    const domain = importedDomain(stack, 'search-one');
    pkg.associateWith(domain);
    expect(errorOf(() => pkg.associateWith(domain))).toBe(
      'TestStack/Synonyms: associateWith: the package is already associated with TestStack/Domain-search-one by TestStack/Synonyms/Domain-Domain-search-one');
  });

  test('a retained association of a package deleted with the stack is an error', () => {
    const stack = newStack();
    const message = errorOf(() => synonyms(stack).associateWith(importedDomain(stack, 'search-one'), { removalPolicy: RemovalPolicy.RETAIN }));
    expect(message).toMatch(/^TestStack\/Synonyms: associateWith: an association kept with RemovalPolicy.RETAIN would stop DeletePackage/);
  });

  test('a description of 965 characters (emoji count as one) fits with the marker; a token passes to the handler', () => {
    const stack = newStack();
    const longest = '\u{1F600}'.repeat(965);
    synonyms(stack, { description: longest });
    new OpenSearchPackage(stack, 'Tokened', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), description: Lazy.string({ produce: () => 'd'.repeat(2000) }) });
    expect(Object.values(resourcesOf(stack, 'Custom::OpenSearchPackage')).map((r: any) => r.Properties.PackageDescription?.length)).toEqual([1930, 2000]);
  });

  test('removal policy RETAIN keeps the package', () => {
    const stack = newStack();
    synonyms(stack, { removalPolicy: RemovalPolicy.RETAIN });
    const [, resource] = only(stack, 'Custom::OpenSearchPackage');
    expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test.each([
    ['a plugin without engine version', () => ({ packageType: PackageType.ZIP_PLUGIN, source: PackageSource.fromAsset(PLUGIN_FOLDER) }),
      'TestStack/P: invalid engineVersion: a ZIP-PLUGIN package needs an engine version (the service requires it)'],
    ['an engine version on a dictionary', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 }),
      "TestStack/P: invalid engineVersion: 'OpenSearch_2.19' is not allowed for a TXT-DICTIONARY package (only a ZIP-PLUGIN package has one)"],
    ['a folder for a dictionary', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(PLUGIN_FOLDER) }),
      `TestStack/P: invalid source: '${PLUGIN_FOLDER}' is a folder; a TXT-DICTIONARY package is one file`],
    ['a missing file', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(path.join(FIXTURES, 'nope.txt')) }),
      `TestStack/P: invalid source: '${path.join(FIXTURES, 'nope.txt')}' does not exist`],
    ['a text file for a license', () => ({ packageType: PackageType.PACKAGE_LICENSE, source: PackageSource.fromAsset(SYNONYMS) }),
      `TestStack/P: invalid source: '${SYNONYMS}' must be a .zip file or a folder for a PACKAGE-LICENSE package`],
    ['a token for an asset path', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(Lazy.string({ produce: () => 'x.txt' })) }),
      /^TestStack\/P: invalid source: '\$\{Token\[TOKEN\.\d+\]\}' must be a literal path: an asset is read at synth time$/],
    ['a bad name', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), packageName: 'My_Synonyms' }),
      "TestStack/P: invalid packageName: 'My_Synonyms' must be 3-256 characters matching ^[a-z][a-z0-9\\-]+$"],
    ['a description with no room left for the owner marker', () => ({ packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), description: '\u00e9'.repeat(966) }),
      `TestStack/P: invalid description: '${'\u00e9'.repeat(40)}…' is 966 characters; at most 965 fit (PackageDescription takes 1024, 59 of them `
      + 'hold the marker that identifies the package\'s resource)'],
  ])('%s is a synth error naming the path, the property and the value', (_why, props, message) => {
    const stack = newStack();
    const error = errorOf(() => new OpenSearchPackage(stack, 'P', props()));
    if (message instanceof RegExp) {
      expect(error).toMatch(message);
    } else {
      expect(error).toBe(message);
    }
  });

  test('IAM: package actions on * in a policy of their own that the package depends on; s3:GetObject on the asset bucket only', () => {
    const stack = newStack();
    synonyms(stack);
    const [policyId, policy] = Object.entries(resourcesOf(stack, 'AWS::IAM::Policy')).find(([id]) => id.includes('Packages'))!;
    const statements = policy.Properties.PolicyDocument.Statement;

    expect(statements[0]).toEqual({ Action: PACKAGE_ACTIONS, Effect: 'Allow', Resource: '*' });
    expect(statements[1].Action).toBe('s3:GetObject');
    expect(JSON.stringify(statements[1].Resource)).toMatch(/cdk-hnb659fds-assets-.*\/\*/);
    expect(statements).toHaveLength(2);
    expect(only(stack, 'Custom::OpenSearchPackage')[1].DependsOn).toContain(policyId);
  });

  test('a bucket source: s3:GetObject on that object only', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-packages');
    new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromBucket(bucket, 'dictionaries/synonyms.txt') });
    const policy = Object.entries(resourcesOf(stack, 'AWS::IAM::Policy')).find(([id]) => id.includes('Packages'))![1];
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement[1].Resource)).toContain(':s3:::my-packages/dictionaries/synonyms.txt');
    expect(only(stack, 'Custom::OpenSearchPackage')[1].Properties.PackageSource).toEqual({ S3BucketName: 'my-packages', S3Key: 'dictionaries/synonyms.txt' });
  });

  test('no package, no package policy', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
    expect(Object.keys(resourcesOf(stack, 'AWS::IAM::Policy')).filter((id) => id.includes('Packages'))).toEqual([]);
  });
});

describe('encryptionKey', () => {
  const plugin = (stack: Stack, encryptionKey?: kms.IKey, id = 'Plugin') => new OpenSearchPackage(stack, id, {
    packageType: PackageType.ZIP_PLUGIN,
    source: PackageSource.fromAsset(PLUGIN_FOLDER),
    engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19,
    encryptionKey,
  });
  const packagePolicy = (stack: Stack) => Object.entries(resourcesOf(stack, 'AWS::IAM::Policy')).find(([id]) => id.includes('Packages'))!;
  const keyStatements = (stack: Stack) => packagePolicy(stack)[1].Properties.PolicyDocument.Statement
    .filter((statement: any) => [statement.Action].flat().some((action: string) => action.startsWith('kms:')));

  test('PackageEncryptionOptions with the key\'s ARN; the package depends on the policy that grants the key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    plugin(stack, key);

    const [, resource] = only(stack, 'Custom::OpenSearchPackage');
    expect(resource.Properties.PackageEncryptionOptions).toEqual({ EncryptionEnabled: true, KmsKeyIdentifier: stack.resolve(key.keyArn) });
    expect(resource.DependsOn).toContain(packagePolicy(stack)[0]);
  });

  test('a new key, or none, keeps the default name: the same package gets a new version (UpdatePackage), not a replacement', () => {
    const nameWith = (keyArn?: string) => {
      const stack = newStack();
      return plugin(stack, keyArn ? kms.Key.fromKeyArn(stack, 'Key', keyArn) : undefined).packageName;
    };
    const names = [undefined, 'arn:aws:kms:us-east-1:123456789012:key/a', 'arn:aws:kms:us-east-1:123456789012:key/b'].map(nameWith);
    expect(new Set(names).size).toBe(1);
  });

  test('no key: no PackageEncryptionOptions and no KMS statement', () => {
    const stack = newStack();
    plugin(stack);
    expect(only(stack, 'Custom::OpenSearchPackage')[1].Properties).not.toHaveProperty('PackageEncryptionOptions');
    expect(keyStatements(stack)).toEqual([]);
  });

  test('IAM: the guide\'s KMS actions on that key only, through the service only; once per key', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444');
    plugin(stack, key);
    plugin(stack, key, 'Other');

    expect(keyStatements(stack)).toEqual([{
      Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
      Effect: 'Allow',
      Resource: 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444',
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['custom-packages.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
    }]);
    expect(keyStatements(stack)[0].Action).toEqual(PACKAGE_KEY_ACTIONS);
  });

  test('a key on a dictionary: an acknowledgeable warning naming the key', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444');
    synonyms(stack, { encryptionKey: key });

    Annotations.fromStack(stack).hasWarning('/TestStack/Synonyms', 'encryptionKey (arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444) '
      + 'is set for a TXT-DICTIONARY package: customer managed keys are documented for ZIP-PLUGIN packages only, and the service may refuse CreatePackage '
      + '[ack: cdk-opensearch-packages:encryptionKeyOnNonPlugin]');
    expect(Annotations.fromStack(stack).findWarning('/TestStack/Plugin', Match.anyValue())).toEqual([]);
  });

  test('cdk-nag clean with a key of the stack', () => {
    const stack = newStack();
    plugin(stack, new kms.Key(stack, 'Key', { enableKeyRotation: true }));
    expect(awsSolutionsReport(stack).open).toEqual([]);
  });
});

describe('fromAwsPlugin and fromPackageId', () => {
  test('an AWS plugin is a Custom::OpenSearchPackageLookup; its association pins no version', () => {
    const stack = newStack();
    const nori = OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 });
    nori.associateWith(importedDomain(stack, 'search-one'));

    const [lookupId, lookup] = only(stack, 'Custom::OpenSearchPackageLookup');
    expect(lookup.Properties).toMatchObject({ PackageName: 'analysis-nori', EngineVersion: 'OpenSearch_2.19', PackageType: 'ZIP-PLUGIN' });
    const [, association] = only(stack, 'Custom::OpenSearchPackageAssociation');
    expect(association.Properties.PackageID).toEqual({ 'Fn::GetAtt': [lookupId, 'PackageID'] });
    expect(association.Properties).not.toHaveProperty('PackageVersion');
  });

  test('an imported id creates no resource; associateWith works', () => {
    const stack = newStack();
    OpenSearchPackage.fromPackageId(stack, 'Existing', 'F123456789').associateWith(importedDomain(stack, 'search-one'));
    expect(countOf(stack, 'Custom::OpenSearchPackage')).toBe(0);
    expect(only(stack, 'Custom::OpenSearchPackageAssociation')[1].Properties.PackageID).toBe('F123456789');
  });

  test('an invalid imported id is a synth error', () => {
    const stack = newStack();
    expect(errorOf(() => OpenSearchPackage.fromPackageId(stack, 'Existing', 'pkg_1'))).toBe(
      "TestStack/Existing: invalid packageId: 'pkg_1' must match ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$");
  });
});

describe('one provider for every resource type', () => {
  const everything = () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    for (let i = 0; i < 3; i++) {
      synonyms(stack, {}, `Synonyms${i}`).associateWith(domain);
    }
    OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 }).associateWith(domain);
    return stack;
  };

  test('five Lambda functions however many packages, lookups and associations; cdk-nag clean', () => {
    const stack = everything();

    expect(countOf(stack, 'AWS::Lambda::Function')).toBe(5);
    const tokens = [...Object.values(resourcesOf(stack, 'Custom::OpenSearchPackage')), ...Object.values(resourcesOf(stack, 'Custom::OpenSearchPackageLookup')),
      ...Object.values(resourcesOf(stack, 'Custom::OpenSearchPackageAssociation'))].map((r: any) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(1);
    expect(awsSolutionsReport(everything()).open).toEqual([]);
  });
});
