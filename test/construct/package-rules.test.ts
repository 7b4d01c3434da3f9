/**
 * The service's documented package rules fail synthesis; the undocumented one (key-store access on a dictionary)
 * is an acknowledgeable warning. Each message names the property and shows the bad value; tokens are left alone.
 */
import * as path from 'path';
import { Annotations as CoreAnnotations, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { errorOf, importedDomain, newStack } from './fixtures';

const FIXTURES = path.join(__dirname, 'fixtures');
const SYNONYMS = PackageSource.fromAsset(path.join(FIXTURES, 'synonyms.txt'));
const PLUGIN_FOLDER = PackageSource.fromAsset(path.join(FIXTURES, 'plugin'));

const pluginFor = (stack: Stack, engineVersion: opensearch.EngineVersion) =>
  new OpenSearchPackage(stack, 'P', { packageType: PackageType.ZIP_PLUGIN, source: PLUGIN_FOLDER, engineVersion });

describe('engineVersion', () => {
  test.each([PackageType.TXT_DICTIONARY, PackageType.PACKAGE_LICENSE, PackageType.PACKAGE_CONFIG])('not allowed for a %s package', (packageType) => {
    const stack = newStack();
    const source = packageType === PackageType.TXT_DICTIONARY ? SYNONYMS : PLUGIN_FOLDER;
    expect(errorOf(() => new OpenSearchPackage(stack, 'P', { packageType, source, engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 }))).toBe(
      `TestStack/P: invalid engineVersion: 'OpenSearch_2.19' is not allowed for a ${packageType} package (only a ZIP-PLUGIN package has one)`);
  });

  test.each([
    opensearch.EngineVersion.ELASTICSEARCH_7_10,
    opensearch.EngineVersion.OPENSEARCH_1_3,
    opensearch.EngineVersion.OPENSEARCH_2_13,
    opensearch.EngineVersion.openSearch('2.14'),
  ])('a custom plugin for %s (before OpenSearch 2.15) is an error', (engineVersion) => {
    expect(errorOf(() => pluginFor(newStack(), engineVersion))).toBe(
      `TestStack/P: invalid engineVersion: '${engineVersion.version}' runs no custom plugin: a ZIP-PLUGIN package needs OpenSearch 2.15 or later `
      + '(for an AWS-owned plugin, use OpenSearchPackage.fromAwsPlugin)');
  });

  test.each([
    opensearch.EngineVersion.openSearch('2.15'),
    opensearch.EngineVersion.OPENSEARCH_2_19,
    opensearch.EngineVersion.openSearch('3.0'),
    opensearch.EngineVersion.openSearch('10.1'),
  ])('a custom plugin for %s is accepted', (engineVersion) => {
    expect(pluginFor(newStack(), engineVersion).packageType).toBe(PackageType.ZIP_PLUGIN);
  });

  test('an unresolved engine version is left to the service', () => {
    const stack = newStack();
    const unresolved = opensearch.EngineVersion.openSearch(Lazy.string({ produce: () => '2.13' }));
    expect(pluginFor(stack, unresolved).packageType).toBe(PackageType.ZIP_PLUGIN);
  });

  test('AWS-owned plugins of older versions are not affected', () => {
    const stack = newStack();
    const nori = OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: opensearch.EngineVersion.ELASTICSEARCH_7_10 });
    expect(nori.packageId).toBeDefined();
  });
});

describe('key-store access on a dictionary: an acknowledgeable warning', () => {
  const WARNING = 'cdk-opensearch-packages:keyStoreAccessOnDictionary';
  const dictionary = (stack: Stack) => new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: SYNONYMS });
  const plugin = (stack: Stack) => pluginFor(stack, opensearch.EngineVersion.OPENSEARCH_2_19);
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyStoreAccess'));

  test('associateWith: on the association, naming the property, its value and the package', () => {
    const stack = newStack();
    dictionary(stack).associateWith(importedDomain(stack, 'search-one'), { keyStoreAccess: { enabled: true } });

    const [warning, ...more] = warningsOf(stack);
    expect(more).toEqual([]);
    expect(warning.id).toBe('/TestStack/Synonyms/Domain-Domain-search-one');
    expect(warning.entry.data).toBe('keyStoreAccess ({ enabled: true }) is set for TestStack/Synonyms, a TXT-DICTIONARY package: the service documents '
      + `key-store access for packages that need a key store, not for dictionaries, and may refuse the association [ack: ${WARNING}]`);
  });

  test('DomainPackages.addPackage: on the set', () => {
    const stack = newStack();
    const set = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one') });
    set.addPackage(dictionary(stack), { keyStoreAccess: { enabled: false } });

    Annotations.fromStack(stack).hasWarning('/TestStack/SearchPackages',
      Match.stringLikeRegexp('^keyStoreAccess \\(\\{ enabled: false \\}\\) is set for TestStack/Synonyms, a TXT-DICTIONARY package'));
  });

  test('a plugin, a dictionary without key-store access, or a package of unknown type (by id): no warning', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    plugin(stack).associateWith(domain, { keyStoreAccess: { enabled: true } });
    dictionary(stack).associateWith(domain);
    const set = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-two') });
    set.addPackage(OpenSearchPackage.fromPackageId(stack, 'Existing', 'F123456789'), { keyStoreAccess: { enabled: true } });

    expect(warningsOf(stack)).toEqual([]);
  });

  test('acknowledged, it is gone', () => {
    const stack = newStack();
    const association = dictionary(stack).associateWith(importedDomain(stack, 'search-one'), { keyStoreAccess: { enabled: true } });
    CoreAnnotations.of(association).acknowledgeWarning(WARNING, 'the service accepts it for our dictionaries');

    expect(warningsOf(stack)).toEqual([]);
  });
});
