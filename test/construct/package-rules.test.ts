/**
 * The service's documented package rules fail synthesis; the undocumented one (key-store access on a dictionary)
 * is an acknowledgeable warning. Each message names the property and shows the bad value; tokens are left alone.
 */
import * as path from 'path';
import { App, Annotations as CoreAnnotations, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { errorOf, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, DomainPackages, IOpenSearchPackage, OpenSearchPackage, PackageSource, PackageType } from '../../lib';

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

describe('the domain side: a custom plugin on a Domain of the app whose engine version runs none', () => {
  /** The three ways a package meets a domain, each returning what it made. */
  const WAYS: [string, (pkg: IOpenSearchPackage, domain: opensearch.IDomain, scope: Stack) => unknown][] = [
    ['associateWith', (pkg, domain) => pkg.associateWith(domain)],
    ['DomainPackageAssociation with its packageId', (pkg, domain, scope) => new DomainPackageAssociation(scope, 'A', { domain, packageId: pkg.packageId })],
    ['DomainPackages.addPackage', (pkg, domain, scope) => new DomainPackages(scope, 'Set', { domain }).addPackage(pkg)],
  ];
  const scopeOf: Record<string, string> = {
    'associateWith': 'TestStack/P/Domain-Search',
    'DomainPackageAssociation with its packageId': 'TestStack/A',
    'DomainPackages.addPackage': 'TestStack/Set',
  };
  const domainOf = (scope: Stack, version: opensearch.EngineVersion) => new opensearch.Domain(scope, 'Search', { version });
  const expected = (way: string, version: string, domainPath = 'TestStack/Search', pluginPath = 'TestStack/P') =>
    `${scopeOf[way]}: invalid domain: ${domainPath} runs '${version}', where no custom plugin runs: ${pluginPath} is a ZIP-PLUGIN package, `
    + "which needs a domain on OpenSearch 2.15 or later (upgrade the domain's version, or for an AWS-owned plugin use OpenSearchPackage.fromAwsPlugin)";

  const OLD_VERSIONS = [
    opensearch.EngineVersion.ELASTICSEARCH_7_10,
    opensearch.EngineVersion.OPENSEARCH_1_3,
    opensearch.EngineVersion.OPENSEARCH_2_13,
    opensearch.EngineVersion.openSearch('2.14'),
  ];
  test.each(WAYS.flatMap(([way, associate]) => OLD_VERSIONS.map((version) => [way, version.version, version, associate] as const)))(
    '%s on a domain of %s fails, naming the domain, its version and the package', (way, text, version, associate) => {
      const stack = newStack();
      const plugin = pluginFor(stack, opensearch.EngineVersion.OPENSEARCH_2_19);
      expect(errorOf(() => associate(plugin, domainOf(stack, version), stack))).toBe(expected(way, text));
    });

  test.each(WAYS.flatMap(([way, associate]) => ['2.15', '2.19', '3.0'].map((version) => [way, version, associate] as const)))(
    '%s on a domain of OpenSearch %s passes', (_way, version, associate) => {
      const stack = newStack();
      const plugin = pluginFor(stack, opensearch.EngineVersion.openSearch(version));
      expect(() => associate(plugin, domainOf(stack, opensearch.EngineVersion.openSearch(version)), stack)).not.toThrow();
    });

  test.each(WAYS)('%s of an AWS-owned plugin or a dictionary on an Elasticsearch domain passes', (_way, associate) => {
    const stack = newStack();
    const domain = domainOf(stack, opensearch.EngineVersion.ELASTICSEARCH_7_10);
    const nori = OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: opensearch.EngineVersion.ELASTICSEARCH_7_10 });
    const synonyms = new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: SYNONYMS });
    expect(() => associate(nori, domain, stack)).not.toThrow();
    const other = new Stack(stack.node.root as App, 'Other');
    expect(() => associate(synonyms, domain, other)).not.toThrow();
  });

  test.each(WAYS)('%s: a plugin imported by its literal id, or a domain whose version is a token or unknown, is left to the service', (_way, associate) => {
    const stack = newStack();
    const byId = OpenSearchPackage.fromPackageId(stack, 'ById', 'pkg-0123abcd');
    expect(() => associate(byId, domainOf(stack, opensearch.EngineVersion.OPENSEARCH_1_3), stack)).not.toThrow();

    const second = newStack();
    const unresolved = opensearch.EngineVersion.openSearch(Lazy.string({ produce: () => '1.3' }));
    expect(() => associate(pluginFor(second, opensearch.EngineVersion.OPENSEARCH_2_19), domainOf(second, unresolved), second)).not.toThrow();

    const third = newStack();
    expect(() => associate(pluginFor(third, opensearch.EngineVersion.OPENSEARCH_2_19), importedDomain(third, 'search-one'), third)).not.toThrow();
  });

  test('the version the CfnDomain deploys counts: an escape hatch that lowers it fails, one that raises it passes', () => {
    const lowered = newStack();
    const newer = domainOf(lowered, opensearch.EngineVersion.OPENSEARCH_2_19);
    (newer.node.defaultChild as opensearch.CfnDomain).engineVersion = 'OpenSearch_2.11';
    expect(errorOf(() => pluginFor(lowered, opensearch.EngineVersion.OPENSEARCH_2_19).associateWith(newer)))
      .toBe(expected('associateWith', 'OpenSearch_2.11'));

    const raised = newStack();
    const older = domainOf(raised, opensearch.EngineVersion.OPENSEARCH_2_13);
    (older.node.defaultChild as opensearch.CfnDomain).engineVersion = 'OpenSearch_2.17';
    expect(() => pluginFor(raised, opensearch.EngineVersion.OPENSEARCH_2_19).associateWith(older)).not.toThrow();
  });

  test('a domain of another stack, and the plugin passed on by id (fromPackageId of its token), are checked too', () => {
    const app = new App();
    const domains = new Stack(app, 'Domains');
    const domain = domainOf(domains, opensearch.EngineVersion.OPENSEARCH_2_11);
    const stack = new Stack(app, 'TestStack');
    const plugin = pluginFor(stack, opensearch.EngineVersion.OPENSEARCH_2_19);
    expect(errorOf(() => plugin.associateWith(domain))).toBe(expected('associateWith', 'OpenSearch_2.11', 'Domains/Search'));

    const passedOn = OpenSearchPackage.fromPackageId(stack, 'PassedOn', plugin.packageId);
    expect(errorOf(() => new DomainPackages(stack, 'Set', { domain }).addPackage(passedOn)))
      .toBe(expected('DomainPackages.addPackage', 'OpenSearch_2.11', 'Domains/Search'));
  });

  test('nothing half-applied: a set whose addPackage failed holds nothing and takes another package', () => {
    const stack = newStack();
    const set = new DomainPackages(stack, 'Set', { domain: domainOf(stack, opensearch.EngineVersion.OPENSEARCH_1_3) });
    expect(() => set.addPackage(pluginFor(stack, opensearch.EngineVersion.OPENSEARCH_2_19))).toThrow();
    expect(set.packages).toEqual([]);

    const synonyms = new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: SYNONYMS });
    set.addPackage(synonyms);
    expect(set.packages).toEqual([synonyms]);
  });
});
