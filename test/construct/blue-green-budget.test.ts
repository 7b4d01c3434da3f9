/**
 * The blue/green budget: a domain whose operations in one stack could run more than one blue/green deployment
 * (each operation that associates a plugin runs one) gets an acknowledgeable warning naming the domain, the
 * packages and the fix. Dictionaries need none.
 */
import * as path from 'path';
import { Annotations as CoreAnnotations, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { definedDomain, exampleStack, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';

const WARNING = 'cdk-opensearch-packages:blueGreenDeploymentsNotMerged';
const FIXTURES = path.join(__dirname, 'fixtures');
const ENGINE = opensearch.EngineVersion.OPENSEARCH_2_19;
const FIX = 'Put these packages in one DomainPackages: one AssociatePackages call, one blue/green deployment';

/** The blue/green warnings of the stack: where each is and what it says (without the acknowledgement tag). */
function warningsOf(stack: Stack): Array<{ at: string; message: string }> {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${WARNING}\\]$`))
    .map((warning) => ({ at: warning.id, message: String(warning.entry.data).replace(` [ack: ${WARNING}]`, '') }));
}

const nori = (stack: Stack) => OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: ENGINE });
const sudachi = (stack: Stack) => OpenSearchPackage.fromAwsPlugin(stack, 'Sudachi', { pluginName: 'analysis-sudachi', engineVersion: ENGINE });
const customPlugin = (stack: Stack, id = 'Plugin') => new OpenSearchPackage(stack, id, {
  packageType: PackageType.ZIP_PLUGIN, source: PackageSource.fromAsset(path.join(FIXTURES, 'plugin')), engineVersion: ENGINE,
});
const pluginPart = (stack: Stack, id: string, packageType: PackageType) => new OpenSearchPackage(stack, id, {
  packageType, source: PackageSource.fromAsset(path.join(FIXTURES, 'plugin')),
});
const dictionary = (stack: Stack, id = 'Synonyms') => new OpenSearchPackage(stack, id, {
  packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(path.join(FIXTURES, 'synonyms.txt')),
});

describe('more than one blue/green deployment on a domain: a warning', () => {
  test('two plugins through single associations: on the second one\'s resource, naming the domain, both packages and the fix', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    nori(stack).associateWith(domain);
    sudachi(stack).associateWith(domain);

    expect(warningsOf(stack)).toEqual([{
      at: '/TestStack/Sudachi/Domain-Domain-search-one/Resource',
      message: 'domain \'search-one\' can go through up to 2 blue/green deployments (15 minutes to hours each) in a deploy that '
        + 'associates or dissociates its packages, one per operation: TestStack/Nori/Domain-Domain-search-one (TestStack/Nori: a plugin), '
        + `TestStack/Sudachi/Domain-Domain-search-one (TestStack/Sudachi: a plugin). ${FIX}`,
    }]);
  });

  test('a single plugin association next to a DomainPackages with plugins: the set\'s packages are listed', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    new DomainPackageAssociation(stack, 'Nori', { domain, packageId: 'G123456' });
    const set = new DomainPackages(stack, 'Plugins', { domain });
    const plugin = customPlugin(stack);
    set.addPackage(plugin);
    set.addPackage(pluginPart(stack, 'License', PackageType.PACKAGE_LICENSE), { prerequisites: [plugin] });
    set.addPackage(dictionary(stack));

    expect(warningsOf(stack)).toEqual([{
      at: '/TestStack/Plugins/Resource',
      message: 'domain \'search-one\' can go through up to 2 blue/green deployments (15 minutes to hours each) in a deploy that '
        + 'associates or dissociates its packages, one per operation: TestStack/Nori (\'G123456\': an AWS-owned plugin, by its id), '
        + 'TestStack/Plugins (TestStack/Plugin: a plugin; TestStack/License: a PACKAGE-LICENSE package, which may need one). '
        + FIX,
    }]);
  });

  test('a plugin of the stack associated by its id attribute, a pkg- id, a license: each counts, in deploy order', () => {
    const stack = newStack();
    const domain = definedDomain(stack);
    const plugin = new DomainPackageAssociation(stack, 'PluginOnDomain', { domain, packageId: customPlugin(stack).packageId });
    new DomainPackageAssociation(stack, 'Imported', { domain, packageId: 'pkg-0a1b' });
    const config = pluginPart(stack, 'Config', PackageType.PACKAGE_CONFIG);
    new DomainPackageAssociation(stack, 'ConfigOnDomain', { domain, packageId: config.packageId, prerequisites: [plugin] });

    const [warning, ...more] = warningsOf(stack);
    expect(more).toEqual([]);
    expect(warning.at).toBe('/TestStack/Imported/Resource');
    expect(warning.message).toContain('domain \'TestStack/Search\' can go through up to 3 blue/green deployments');
    expect(warning.message).toContain('one per operation: TestStack/PluginOnDomain (TestStack/Plugin: a plugin), '
      + 'TestStack/Imported (\'pkg-0a1b\': a plugin, license or configuration, by its id), '
      + 'TestStack/ConfigOnDomain (TestStack/Config: a PACKAGE-CONFIG package, which may need one).');
  });

  test('two sets with plugins on one domain', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    new DomainPackages(stack, 'First', { domain }).addPackage(nori(stack));
    new DomainPackages(stack, 'Second', { domain }).addPackage(OpenSearchPackage.fromPackageId(stack, 'Custom', 'pkg-0a1b'));

    expect(warningsOf(stack).map(({ at, message }) => `${at}: ${message.slice(message.indexOf('one per operation'))}`)).toEqual([
      '/TestStack/Second/Resource: one per operation: TestStack/First (TestStack/Nori: a plugin), '
      + `TestStack/Second (TestStack/Custom 'pkg-0a1b': a plugin, license or configuration, by its id). ${FIX}`,
    ]);
  });
});

describe('no warning', () => {
  test('one plugin association among dictionaries (F-ids, a dictionary of the stack)', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    nori(stack).associateWith(domain);
    dictionary(stack).associateWith(domain);
    new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F111111111' });
    new DomainPackageAssociation(stack, 'Userdict', { domain, packageId: 'F222222222' });

    expect(warningsOf(stack)).toEqual([]);
  });

  test('every plugin in one DomainPackages, dictionaries on their own', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const set = new DomainPackages(stack, 'Plugins', { domain });
    const plugin = customPlugin(stack);
    set.addPackage(plugin);
    set.addPackage(pluginPart(stack, 'License', PackageType.PACKAGE_LICENSE), { prerequisites: [plugin] });
    set.addPackage(nori(stack));
    dictionary(stack).associateWith(domain);
    new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F111111111' });

    expect(warningsOf(stack)).toEqual([]);
  });

  test('one plugin on each of two domains', () => {
    const stack = newStack();
    const plugin = nori(stack);
    plugin.associateWith(importedDomain(stack, 'search-one'));
    plugin.associateWith(importedDomain(stack, 'search-two'));

    expect(warningsOf(stack)).toEqual([]);
  });

  test('package ids of no package construct (an import by name) count for nothing: their type is unknown', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    nori(stack).associateWith(domain);
    new DomainPackageAssociation(stack, 'Imported', { domain, packageId: Fn.importValue('SharedPackageId') });

    expect(warningsOf(stack)).toEqual([]);
  });

  test('the example app: one blue/green deployment per domain per deploy', () => {
    expect(warningsOf(exampleStack())).toEqual([]);
  });
});

describe('acknowledgement', () => {
  /** Two plugins through single associations: the warning is on the second one's resource. */
  function twoPlugins(stack: Stack): DomainPackageAssociation {
    const domain = importedDomain(stack, 'search-one');
    nori(stack).associateWith(domain);
    return sudachi(stack).associateWith(domain);
  }

  test('on the stack, before synthesis: silences it', () => {
    const stack = newStack();
    twoPlugins(stack);
    CoreAnnotations.of(stack).acknowledgeWarning(WARNING, 'both plugins are added in separate maintenance windows');

    expect(warningsOf(stack)).toEqual([]);
  });

  test('on the operation whose resource carries it: silences it (on the floor too, where an acknowledgement covers the scopes below it only)', () => {
    const stack = newStack();
    CoreAnnotations.of(twoPlugins(stack)).acknowledgeWarning(WARNING);

    expect(warningsOf(stack)).toEqual([]);
  });

  test('on another domain\'s operation: the warning stays', () => {
    const stack = newStack();
    twoPlugins(stack);
    const other = new DomainPackageAssociation(stack, 'Other', { domain: importedDomain(stack, 'search-two'), packageId: 'G1' });
    CoreAnnotations.of(other).acknowledgeWarning(WARNING);

    expect(warningsOf(stack).map(({ at }) => at)).toEqual(['/TestStack/Sudachi/Domain-Domain-search-one/Resource']);
  });
});
