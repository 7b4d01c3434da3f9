import * as path from 'path';
import { CfnElement, CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct, IConstruct } from 'constructs';
import {
  awsSolutionsReport, countOf, definedDomain, errorOf, expectKeyRolePassedToOpenSearch, importedDomain, newStack, packageSets, RESOURCE_TYPE,
} from './fixtures';
import {
  DomainPackageAssociation, DomainPackages, DomainPackagesMember, IOpenSearchPackage, OpenSearchPackage, PackageSource, PackageType,
} from '../../lib';
import { BATCH_ACTIONS, DOMAIN_ACTIONS } from '../../lib/domain-policy';

const PLUGIN = 'pkg-0a1b2c3d4e5f6a7b8';
const LICENSE = 'pkg-1b2c3d4e5f6a7b8c9';
const CONFIG = 'pkg-2c3d4e5f6a7b8c9d0';
const SYNONYMS_FILE = path.join(__dirname, 'fixtures', 'synonyms.txt');

/** A dictionary of this stack: its id is a token, and it has versions. */
function dictionary(scope: Construct, id = 'Synonyms', removalPolicy?: RemovalPolicy): OpenSearchPackage {
  return new OpenSearchPackage(scope, id, { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS_FILE), removalPolicy });
}

/** A package imported by id (no resource), under the construct id `id`. */
const imported = (scope: Construct, id: string, packageId: string): IOpenSearchPackage => OpenSearchPackage.fromPackageId(scope, id, packageId);

/** A set on `domain` holding one imported package per entry of `packages` (construct id -> package id). */
function setOf(stack: Stack, domain: opensearch.IDomain, packages: Record<string, string>, id = 'SearchPackages'): DomainPackages {
  const set = new DomainPackages(stack, id, { domain });
  Object.entries(packages).forEach(([constructId, packageId]) => set.addPackage(imported(stack, constructId, packageId)));
  return set;
}

/** The stack's one set resource, with its logical id. */
function onlySet(stack: Stack): { logicalId: string; resource: any } {
  const found = Object.entries(packageSets(stack));
  expect(found).toHaveLength(1);
  const [logicalId, resource] = found[0];
  return { logicalId, resource };
}

/** The logical id of the custom resource of `operation` (a DomainPackages or a DomainPackageAssociation). */
function logicalIdOf(operation: IConstruct): string {
  return Stack.of(operation).resolve((operation.node.findChild('Resource').node.defaultChild as CfnElement).logicalId);
}

/** The handler's statements on domains: those of the provider's `Domain-…` policies, by domain policy logical id. */
function domainStatements(stack: Stack): Record<string, any[]> {
  return Object.fromEntries(Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter(([id]) => /AssociationProviderDomain/.test(id))
    .map(([id, policy]) => [id, policy.Properties.PolicyDocument.Statement]));
}

describe('DomainPackages resource', () => {
  test('one Custom::OpenSearchDomainPackages with DomainName, PackageList, PackageKeys, Timeout and ServiceTimeout', () => {
    const stack = newStack();
    setOf(stack, importedDomain(stack, 'search-one'), { Synonyms: 'F123' });

    const { resource } = onlySet(stack);
    expect(resource.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '3600',
      Timeout: '3000',
      DomainName: 'search-one',
      PackageList: [{ PackageID: 'F123' }],
      PackageKeys: ['Synonyms'],
    });
    expect(resource).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    expect(countOf(stack, RESOURCE_TYPE)).toBe(0);
  });

  test('PackageList: plugin, license, configuration and dictionary in AssociatePackages\' shape; PackageVersion only for an OpenSearchPackage', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-access');
    const packages = new DomainPackages(stack, 'SearchPackages', { domain, timeout: Duration.minutes(20) });
    const plugin = imported(stack, 'Plugin', PLUGIN);
    packages.addPackage(plugin, { keyStoreAccess: { enabled: true, keyAccessRole } });
    packages.addPackage(imported(stack, 'License', LICENSE), { prerequisites: [plugin] });
    packages.addPackage(imported(stack, 'Config', CONFIG), { prerequisites: [plugin], keyStoreAccess: { enabled: false } });
    const synonyms = dictionary(stack);
    packages.addPackage(synonyms);
    const nori = OpenSearchPackage.fromAwsPlugin(stack, 'Nori', { pluginName: 'analysis-nori', engineVersion: opensearch.EngineVersion.OPENSEARCH_2_19 });
    packages.addPackage(nori);

    const { resource } = onlySet(stack);
    expect(resource.Properties.Timeout).toBe('1200');
    expect(resource.Properties.PackageList).toEqual([
      {
        PackageID: PLUGIN,
        AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-access' } },
      },
      { PackageID: LICENSE, PrerequisitePackageIDList: [PLUGIN] },
      {
        PackageID: CONFIG,
        PrerequisitePackageIDList: [PLUGIN],
        AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: false } },
      },
      { PackageID: stack.resolve(synonyms.packageId), PackageVersion: stack.resolve(synonyms.availablePackageVersion) },
      { PackageID: stack.resolve(nori.packageId) },
    ]);
    expect(resource.Properties.PackageKeys).toEqual(['Plugin', 'License', 'Config', 'Synonyms', 'Nori']);
    expect(packages.packages).toEqual([plugin, expect.anything(), expect.anything(), synonyms, nori]);
    expect(packages.domainName).toBe('search-one');
    expect(packages.domain).toBe(domain);
  });

  test('addPackage returns the package\'s attributes, keyed by its construct id, for literal and token package ids', () => {
    const stack = newStack();
    const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one') });
    const synonyms = dictionary(stack);
    const members = [
      packages.addPackage(synonyms),
      packages.addPackage(imported(stack, 'Plugin', PLUGIN)),
      packages.addPackage(imported(stack, 'FromParameter', new CfnParameter(stack, 'PackageId').valueAsString)),
    ];

    const { logicalId, resource } = onlySet(stack);
    expect(members[0]).toBeInstanceOf(DomainPackagesMember);
    expect(members[0].pkg).toBe(synonyms);
    expect(members.map((member) => member.attributeKey)).toEqual(['Synonyms', 'Plugin', 'FromParameter']);
    expect(resource.Properties.PackageKeys).toEqual(['Synonyms', 'Plugin', 'FromParameter']);
    expect(resource.Properties.PackageList[2].PackageID).toEqual({ Ref: 'PackageId' });
    for (const member of members) {
      expect(stack.resolve(member.referencePath)).toEqual({ 'Fn::GetAtt': [logicalId, `${member.attributeKey}.ReferencePath`] });
      expect(stack.resolve(member.activePackageVersion)).toEqual({ 'Fn::GetAtt': [logicalId, `${member.attributeKey}.PackageVersion`] });
    }
  });

  test('a second package with the same construct id gets <id>-<hash of its path>, the same from one synth to the next', () => {
    const keysOf = () => {
      const stack = newStack();
      const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one') });
      return ['Products', 'Brands'].map((team) => packages.addPackage(dictionary(new Construct(stack, team))).attributeKey);
    };
    const [first, second] = keysOf();

    expect(first).toBe('Synonyms');
    expect(second).toMatch(/^Synonyms-[0-9a-f]{8}$/);
    expect(keysOf()).toEqual([first, second]);
  });

  test('removalPolicy RETAIN keeps the packages: DeletionPolicy and UpdateReplacePolicy Retain', () => {
    const stack = newStack();
    const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one'), removalPolicy: RemovalPolicy.RETAIN });
    packages.addPackage(imported(stack, 'Plugin', PLUGIN));
    packages.addPackage(dictionary(stack, 'Synonyms', RemovalPolicy.RETAIN));
    expect(onlySet(stack).resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('a Domain defined in the app: DomainName and the policy\'s resource are its tokens', () => {
    const stack = newStack();
    const packages = setOf(stack, definedDomain(stack), { Plugin: PLUGIN });

    expect(Token.isUnresolved(packages.domainName)).toBe(true);
    expect(onlySet(stack).resource.Properties.DomainName).toEqual({ Ref: expect.stringMatching(/^Search/) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: BATCH_ACTIONS,
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Search'), 'Arn'] },
        })]),
      },
    });
  });
});

describe('one provider for sets, associations and packages', () => {
  const mixed = () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const synonyms = dictionary(stack);
    setOf(stack, domain, { Plugin: PLUGIN, License: LICENSE }).addPackage(synonyms);
    new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F2' });
    return stack;
  };

  test('five Lambda functions and one service token; cdk-nag AwsSolutions clean', () => {
    const stack = mixed();
    expect(countOf(stack, 'AWS::Lambda::Function')).toBe(5);
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    const tokens = Object.values(resources).filter((r) => r.Type.startsWith('Custom::')).map((r) => JSON.stringify(r.Properties.ServiceToken));
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);

    const report = awsSolutionsReport(mixed());
    expect(report.open).toEqual([]);
    expect(report.synthFailed).toBe(false);
  });
});

describe('IAM', () => {
  test('AssociatePackages and DissociatePackages only on domains with a set, on the domain\'s ARN, in a policy of their own the set depends on', () => {
    const stack = newStack();
    setOf(stack, importedDomain(stack, 'search-one'), { Plugin: PLUGIN });
    new DomainPackageAssociation(stack, 'Stopwords', { domain: importedDomain(stack, 'search-two'), packageId: 'F2' });

    const policies = domainStatements(stack);
    expect(Object.values(policies)).toEqual(expect.arrayContaining([
      [{ Action: DOMAIN_ACTIONS, Effect: 'Allow', Resource: 'arn:aws:es:us-east-1:123456789012:domain/search-one' }],
      [{ Action: BATCH_ACTIONS, Effect: 'Allow', Resource: 'arn:aws:es:us-east-1:123456789012:domain/search-one' }],
      [{ Action: DOMAIN_ACTIONS, Effect: 'Allow', Resource: 'arn:aws:es:us-east-1:123456789012:domain/search-two' }],
    ]));
    expect(Object.keys(policies)).toHaveLength(3);
    const batch = Object.keys(policies).find((id) => /Batch/.test(id));
    expect(onlySet(stack).resource.DependsOn).toEqual(expect.arrayContaining([batch]));
  });

  test('two sets on one domain add the batch actions once; no wildcard action, no es: write on a wildcard resource', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    setOf(stack, domain, { Plugin: PLUGIN }, 'Plugins');
    setOf(stack, domain, { Synonyms: 'F1' }, 'Dictionaries');

    expect(Object.values(domainStatements(stack)).flat().map((statement) => statement.Action)).toEqual([DOMAIN_ACTIONS, BATCH_ACTIONS]);
    const all = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = (s: any): string[] => [s.Action].flat();
    expect(all.flatMap(actions).filter((action) => action.includes('*'))).toEqual([]);
    const domainWrites = all.filter((s) => actions(s).some((action) => /^es:(Associate|Dissociate)Package/.test(action)));
    expect(new Set(domainWrites.flatMap((s) => [s.Resource].flat()))).toEqual(new Set(['arn:aws:es:us-east-1:123456789012:domain/search-one']));
  });

  test('the set depends on its domain\'s policy and its key-access roles; PassRole only to es.amazonaws.com', () => {
    const stack = newStack();
    const keyAccessRole = new iam.Role(stack, 'KeyRole', { assumedBy: new iam.ServicePrincipal('es.amazonaws.com') });
    const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one') });
    packages.addPackage(imported(stack, 'Plugin', PLUGIN), { keyStoreAccess: { enabled: true, keyAccessRole } });

    const { resource } = onlySet(stack);
    const [domainPolicy] = Object.keys(domainStatements(stack));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([domainPolicy, expect.stringMatching(/^KeyRole/)]));
    expectKeyRolePassedToOpenSearch(Template.fromStack(stack));
  });

  test('key-store access disabled: a role is not sent, not passed, and a warning says so', () => {
    const stack = newStack();
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-access');
    const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one') });
    packages.addPackage(imported(stack, 'Plugin', PLUGIN), { keyStoreAccess: { enabled: false, keyAccessRole } });

    expect(onlySet(stack).resource.Properties.PackageList).toEqual([
      { PackageID: PLUGIN, AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: false } } },
    ]);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('iam:PassRole');
    Annotations.fromStack(stack).hasWarning('/TestStack/SearchPackages', Match.stringLikeRegexp('keyAccessRole is not sent'));
  });
});

describe('per-domain ordering with sets', () => {
  /** The DependsOn edges between `operations`, as `dependent -> dependency` construct ids. */
  function edges(operations: IConstruct[]): string[] {
    const resources = Template.fromStack(Stack.of(operations[0])).toJSON().Resources;
    const byLogicalId = new Map(operations.map((operation) => [logicalIdOf(operation), operation.node.id]));
    return operations.flatMap((operation) => [resources[logicalIdOf(operation)].DependsOn ?? []].flat()
      .filter((dependency: string) => byLogicalId.has(dependency))
      .map((dependency: string) => `${operation.node.id} -> ${byLogicalId.get(dependency)}`));
  }

  test('single associations and sets on one domain form one chain in creation order; another domain\'s chain is apart', () => {
    const stack = newStack();
    const [one, two] = [importedDomain(stack, 'search-one'), importedDomain(stack, 'search-two')];
    const operations = [
      new DomainPackageAssociation(stack, 'A', { domain: one, packageId: 'F1' }),
      setOf(stack, one, { P1: 'pkg-a1', P2: 'pkg-a2' }, 'Set1'),
      setOf(stack, two, { P3: 'pkg-b1' }, 'Other1'),
      new DomainPackageAssociation(stack, 'B', { domain: one, packageId: 'F2' }),
      new DomainPackageAssociation(stack, 'C', { domain: two, packageId: 'F3' }),
      setOf(stack, one, { P4: 'pkg-a3' }, 'Set2'),
    ];

    expect(edges(operations)).toEqual(['Set1 -> A', 'B -> Set1', 'C -> Other1', 'Set2 -> B']);
  });

  test('a single association\'s prerequisite created later still comes first, and the chain through a set stays acyclic', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const license = new DomainPackageAssociation(stack, 'License', { domain, packageId: LICENSE });
    const set = setOf(stack, domain, { Synonyms: 'F1' }, 'Set');
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: PLUGIN });
    license.addPrerequisite(plugin);

    expect(edges([license, set, plugin])).toEqual(['License -> Plugin', 'Set -> License']);
  });

  test('a set alone depends on no other package operation', () => {
    const stack = newStack();
    setOf(stack, importedDomain(stack, 'search-one'), { Plugin: PLUGIN });
    expect(onlySet(stack).resource.DependsOn).toEqual([
      expect.stringMatching(/AssociationProviderDomainsearchoneBatch/), expect.stringMatching(/AssociationProviderDomainsearchone[0-9A-F]{8}$/),
    ]);
  });
});

describe('synth errors', () => {
  /** A stack with a set `SearchPackages` on the imported domain search-one. */
  const fresh = () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    return { stack, domain, packages: new DomainPackages(stack, 'SearchPackages', { domain }) };
  };

  test.each([
    ['the same object', (_stack: Stack, pkg: IOpenSearchPackage) => pkg, "TestStack/SearchPackages: addPackage: TestStack/Plugin (package 'pkg-0a1b2c3d4e5f6a7b8') is already in the set"],
    ['another import of the same id', (stack: Stack) => imported(stack, 'Again', PLUGIN), "TestStack/SearchPackages: addPackage: TestStack/Again (package 'pkg-0a1b2c3d4e5f6a7b8') is already in the set"],
  ])('a package twice in a set (%s)', (_kind, again, message) => {
    const { stack, packages } = fresh();
    const plugin = imported(stack, 'Plugin', PLUGIN);
    packages.addPackage(plugin);
    expect(errorOf(() => packages.addPackage(again(stack, plugin)))).toBe(message);
  });

  test('a package of this stack (token id) twice in a set', () => {
    const { stack, packages } = fresh();
    const synonyms = dictionary(stack);
    packages.addPackage(synonyms);
    expect(errorOf(() => packages.addPackage(synonyms))).toBe('TestStack/SearchPackages: addPackage: TestStack/Synonyms (package a token) is already in the set');
  });

  test('two token ids of the same expression in a set: at synthesis, naming both packages', () => {
    const { stack, packages } = fresh();
    packages.addPackage(imported(stack, 'A', Token.asString({ Ref: 'PluginId' })));
    packages.addPackage(imported(stack, 'B', Token.asString({ Ref: 'PluginId' })));
    new CfnParameter(stack, 'PluginId');
    expect(errorOf(() => Template.fromStack(stack))).toBe("TestStack/B: packageId: a token is already associated with domain 'search-one' by TestStack/A");
  });

  test('a package in a set and in a single association on one domain, either order (literal id: at once)', () => {
    const first = fresh();
    first.packages.addPackage(imported(first.stack, 'Plugin', PLUGIN));
    expect(errorOf(() => new DomainPackageAssociation(first.stack, 'Single', { domain: first.domain, packageId: PLUGIN })))
      .toBe(`TestStack/Single: packageId: '${PLUGIN}' is already associated with domain 'search-one' by TestStack/SearchPackages`);

    const second = fresh();
    new DomainPackageAssociation(second.stack, 'Single', { domain: importedDomain(second.stack, 'search-one', 'Again'), packageId: PLUGIN });
    expect(errorOf(() => second.packages.addPackage(imported(second.stack, 'Plugin', PLUGIN))))
      .toBe(`TestStack/Plugin: packageId: '${PLUGIN}' is already associated with domain 'search-one' by TestStack/Single`);
  });

  test('a package in two sets on one domain', () => {
    const { stack, domain, packages } = fresh();
    packages.addPackage(imported(stack, 'Plugin', PLUGIN));
    const other = new DomainPackages(stack, 'Other', { domain });
    expect(errorOf(() => other.addPackage(imported(stack, 'Again', PLUGIN))))
      .toBe(`TestStack/Again: packageId: '${PLUGIN}' is already associated with domain 'search-one' by TestStack/SearchPackages`);
  });

  test('token ids: the same token at once, the same expression at synthesis', () => {
    const same = fresh();
    const synonyms = dictionary(same.stack);
    same.packages.addPackage(synonyms);
    expect(errorOf(() => synonyms.associateWith(same.domain)))
      .toBe("TestStack/Synonyms/Domain-Domain-search-one: packageId: a token is already associated with domain 'search-one' by TestStack/SearchPackages");

    const expression = fresh();
    expression.packages.addPackage(imported(expression.stack, 'Plugin', Token.asString({ Ref: 'PluginId' })));
    new DomainPackageAssociation(expression.stack, 'Single', { domain: expression.domain, packageId: Token.asString({ Ref: 'PluginId' }) });
    new CfnParameter(expression.stack, 'PluginId');
    expect(errorOf(() => Template.fromStack(expression.stack)))
      .toBe("TestStack/Single: packageId: a token is already associated with domain 'search-one' by TestStack/SearchPackages");
  });

  test('the same package in sets on two domains passes', () => {
    const stack = newStack();
    const plugin = imported(stack, 'Plugin', PLUGIN);
    for (const name of ['search-one', 'search-two']) {
      new DomainPackages(stack, `On-${name}`, { domain: importedDomain(stack, name) }).addPackage(plugin);
    }
    expect(Object.keys(packageSets(stack))).toHaveLength(2);
  });

  test('a prerequisite that is not a package of the set (at synthesis: it may be added later)', () => {
    const { stack, domain, packages } = fresh();
    const plugin = imported(stack, 'Plugin', PLUGIN);
    new DomainPackages(stack, 'Other', { domain }).addPackage(plugin);
    packages.addPackage(imported(stack, 'License', LICENSE), { prerequisites: [plugin] });

    expect(errorOf(() => Template.fromStack(stack))).toContain('[TestStack/SearchPackages] prerequisites: TestStack/Plugin (a prerequisite of '
      + 'TestStack/License) is not a package of this set: add it with addPackage');

    const later = fresh();
    const laterPlugin = imported(later.stack, 'Plugin', PLUGIN);
    later.packages.addPackage(imported(later.stack, 'License', LICENSE), { prerequisites: [laterPlugin] });
    later.packages.addPackage(laterPlugin);
    expect(onlySet(later.stack).resource.Properties.PackageList[0].PrerequisitePackageIDList).toEqual([PLUGIN]);
  });

  test('a package that is its own prerequisite', () => {
    const { stack, packages } = fresh();
    const plugin = imported(stack, 'Plugin', PLUGIN);
    expect(errorOf(() => packages.addPackage(plugin, { prerequisites: [plugin] })))
      .toBe('TestStack/SearchPackages: addPackage: TestStack/Plugin cannot be its own prerequisite');
  });

  test('an empty set', () => {
    const { stack } = fresh();
    expect(errorOf(() => Template.fromStack(stack))).toContain('[TestStack/SearchPackages] addPackage: the set has no packages');
  });

  test.each([
    ['21 packages in one set', (set: DomainPackages, stack: Stack) => {
      range(21).forEach((i) => set.addPackage(imported(stack, `P${i}`, `F${i}`)));
    }],
    ['15 in the set and 6 single associations', (set: DomainPackages, stack: Stack, domain: opensearch.IDomain) => {
      range(15).forEach((i) => set.addPackage(imported(stack, `P${i}`, `F${i}`)));
      range(6).forEach((i) => new DomainPackageAssociation(stack, `A${i}`, { domain, packageId: `F${100 + i}` }));
    }],
    ['1 in the set and 20 single associations', (set: DomainPackages, stack: Stack, domain: opensearch.IDomain) => {
      set.addPackage(imported(stack, 'P0', 'F0'));
      range(20).forEach((i) => new DomainPackageAssociation(stack, `A${i}`, { domain, packageId: `F${100 + i}` }));
    }],
    ['two sets of 11 and 10', (set: DomainPackages, stack: Stack, domain: opensearch.IDomain) => {
      range(11).forEach((i) => set.addPackage(imported(stack, `P${i}`, `F${i}`)));
      const other = new DomainPackages(stack, 'Other', { domain });
      range(10).forEach((i) => other.addPackage(imported(stack, `Q${i}`, `F${100 + i}`)));
    }],
  ])('more than 20 packages on one domain: %s', (_kind, fill) => {
    const { stack, domain, packages } = fresh();
    fill(packages, stack, domain);
    expect(errorOf(() => Template.fromStack(stack))).toBe("TestStack/SearchPackages: domain: 21 packages are associated with domain 'search-one' "
      + "by this stack: a domain holds at most 20 (the service's quota, not adjustable)");
  });

  test('20 packages on each of two domains pass', () => {
    const stack = newStack();
    for (const name of ['search-one', 'search-two']) {
      const set = new DomainPackages(stack, `On-${name}`, { domain: importedDomain(stack, name) });
      range(20).forEach((i) => set.addPackage(imported(set, `P${i}`, `F${i}`)));
    }
    expect(Object.keys(packageSets(stack))).toHaveLength(2);
  });

  test('a response over 4,096 bytes: names the set, the estimate and the way out', () => {
    const { stack, packages } = fresh();
    range(20).forEach((i) => packages.addPackage(imported(stack, `${'Dictionary'.repeat(6)}${i}`, `F${i}`)));
    expect(errorOf(() => Template.fromStack(stack))).toMatch(new RegExp("\\[TestStack/SearchPackages\\] addPackage: the resource's response would take up to "
      + "\\d{4} bytes \\(every package's attributes, named after its construct id\\): CloudFormation takes at most 4096; use shorter construct ids or fewer packages"));
  });

  test.each([
    ['timeout', { timeout: Duration.seconds(59) }, "TestStack/SearchPackages: invalid timeout: '59 seconds' must be whole seconds from 1 minute to 12 hours"],
    ['timeout', { timeout: Duration.hours(13) }, "TestStack/SearchPackages: invalid timeout: '46800 seconds' must be whole seconds from 1 minute to 12 hours"],
    ['removalPolicy', { removalPolicy: RemovalPolicy.SNAPSHOT },
      "TestStack/SearchPackages: invalid removalPolicy: 'snapshot' must be one of destroy, retain, retain-on-update-or-delete"],
  ])('%s is checked as on a single association', (_property, props, message) => {
    const stack = newStack();
    expect(errorOf(() => new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one'), ...props }))).toBe(message);
  });

  test('an invalid domain name', () => {
    const stack = newStack();
    expect(errorOf(() => new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'Search_1') })))
      .toBe("TestStack/SearchPackages: invalid domain.domainName: 'Search_1' must be 3-28 characters matching ^[a-z][a-z0-9\\-]+$");
  });

  test('a key-access role that is not a role ARN', () => {
    const { stack, packages } = fresh();
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:user/bob');
    expect(errorOf(() => packages.addPackage(imported(stack, 'Plugin', PLUGIN), { keyStoreAccess: { enabled: true, keyAccessRole } })))
      .toBe("TestStack/SearchPackages: invalid keyStoreAccess.keyAccessRole: 'arn:aws:iam::123456789012:user/bob' must be an IAM role ARN "
        + '(arn:<partition>:iam::<account>:role/<name>, 20-2048 characters)');
  });

  test.each([
    [RemovalPolicy.RETAIN, 'RETAIN'],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'RETAIN_ON_UPDATE_OR_DELETE'],
  ])('a retained set (%s) with a package of this stack that is destroyed with it', (removalPolicy, name) => {
    const stack = newStack();
    const packages = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, 'search-one'), removalPolicy });
    expect(errorOf(() => packages.addPackage(dictionary(stack)))).toBe(`TestStack/Synonyms: addPackage: an association kept with RemovalPolicy.${name} `
      + 'would stop DeletePackage of a package with RemovalPolicy.DESTROY when the stack is deleted: retain the package too');
  });
});

describe('the most packages one DomainPackages takes', () => {
  /** The longest domain name (28 characters): the response names it. */
  const LONGEST_DOMAIN_NAME = 'search-catalog-production-01';

  /**
   * How many packages, each under a construct id of `idLength` characters, a set `SearchPackages` at the stack's root
   * on a domain of the longest name takes before its response estimate passes 4,096 bytes (the 20-package quota aside).
   */
  function responseLimit(idLength: number, packageId: (stack: Stack, n: number) => string): number {
    const stack = newStack();
    const set = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, LONGEST_DOMAIN_NAME) });
    for (let n = 1; ; n++) {
      set.addPackage(imported(stack, `P${String(n).padStart(idLength - 1, '0')}`, packageId(stack, n)));
      if (set.node.validate().some((error) => error.includes('response would take'))) {
        return n - 1;
      }
    }
  }
  /** A literal `pkg-` id of 21 characters, as the service issues them. */
  const literalId = (_stack: Stack, n: number) => `pkg-${n.toString(16).padStart(17, '0')}`;
  /** A package of this stack, or an id from a parameter: a token (estimated at 32 characters). */
  const tokenId = (stack: Stack, n: number) => new CfnParameter(stack, `PackageId${n}`).valueAsString;

  // The figures in the README's "Limits" table. The most per set is the smaller of this and 20.
  test.each([
    [8, 30, 25],
    [16, 27, 23],
    [24, 24, 21],
    [32, 21, 19],
    [48, 18, 16],
    [64, 15, 14],
  ])('construct ids of %i characters: %i packages with literal ids, %i with token ids', (idLength, literal, token) => {
    expect(literalId(newStack(), 1)).toHaveLength(21);
    expect(responseLimit(idLength, literalId)).toBe(literal);
    expect(responseLimit(idLength, tokenId)).toBe(token);
  });

  test('at the limit the set synthesizes; one more package fails synthesis', () => {
    const build = (count: number) => {
      const stack = newStack();
      const set = new DomainPackages(stack, 'SearchPackages', { domain: importedDomain(stack, LONGEST_DOMAIN_NAME) });
      range(count).forEach((i) => set.addPackage(imported(stack, `P${String(i).padStart(31, '0')}`, tokenId(stack, i))));
      return stack;
    };
    expect(onlySet(build(19)).resource.Properties.PackageList).toHaveLength(19);
    expect(errorOf(() => Template.fromStack(build(20)))).toMatch(/\[TestStack\/SearchPackages\] addPackage: the resource's response would take up to 4\d{3} bytes/);
  });
});

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
