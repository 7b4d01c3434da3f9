/**
 * PackagesProvider.useProviderOf: the stacks of an app share one provider (an explicit opt-in); by default each
 * stack keeps its own (the example stack's snapshot and the other construct tests cover that default).
 */
import { App, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { awsSolutionsReport, definedDomain, errorOf, importedDomain } from './fixtures';
import { EXAMPLE_SYNONYMS_FILE } from '../../bin/example-stack';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType, PackagesProvider } from '../../lib';
import { PROVIDER_ID } from '../../lib/association-provider';
import { SHARED_ACCESS_ID } from '../../lib/shared-provider-access';

const asList = (value: unknown): any[] => (Array.isArray(value) ? value : [value]);

/** The resource types a provider is made of. */
const PROVIDER_TYPES = ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::StepFunctions::StateMachine'];

/** How many resources of each provider type `stacks` hold together. */
function providerResources(...stacks: Stack[]): Record<string, number> {
  return Object.fromEntries(PROVIDER_TYPES.map((type) => [type,
    stacks.reduce((total, stack) => total + Object.keys(Template.fromStack(stack).findResources(type)).length, 0)]));
}

/** `action on resource` for each statement of each policy of `stack`, by the policy's logical id. */
function grants(stack: Stack): { policy: string; roles: unknown; dependsOn: string[]; grant: string }[] {
  return Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap(([policy, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => asList(s.Action)
      .flatMap((action: string) => asList(s.Resource).map((resource) => ({
        policy, roles: p.Properties.Roles, dependsOn: p.DependsOn ?? [], grant: `${action} on ${JSON.stringify(resource)}`,
      })))));
}

/**
 * `Shared` holds the provider and a domain with an association; `Consumer` uses that provider for a domain of its
 * own, an association, a set and a package of its own.
 */
function sharedApp() {
  const app = new App();
  const owner = new Stack(app, 'Shared');
  const consumer = new Stack(app, 'Consumer');
  PackagesProvider.useProviderOf(consumer, owner);
  new DomainPackageAssociation(owner, 'OwnerSynonyms', { domain: importedDomain(owner, 'owner-domain'), packageId: 'F1' });
  const domain = definedDomain(consumer, 'ConsumerDomain');
  new DomainPackageAssociation(consumer, 'ConsumerSynonyms', { domain, packageId: 'F2' });
  const pkg = new OpenSearchPackage(consumer, 'Stopwords', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(EXAMPLE_SYNONYMS_FILE) });
  new DomainPackages(consumer, 'Set', { domain: importedDomain(consumer, 'other-domain') }).addPackage(pkg);
  return { app, owner, consumer, domain };
}

describe('a provider shared by two stacks', () => {
  test('one provider\'s resources in total: all in the provider\'s stack, none in the consumer', () => {
    const { owner, consumer } = sharedApp();
    const single = new Stack(new App(), 'Single');
    new DomainPackageAssociation(single, 'Synonyms', { domain: importedDomain(single, 'owner-domain'), packageId: 'F1' });

    expect(providerResources(owner, consumer)).toEqual(providerResources(single));
    expect(providerResources(owner)).toEqual(providerResources(single));
    expect(providerResources(consumer)).toEqual(Object.fromEntries(PROVIDER_TYPES.map((type) => [type, 0])));
    expect(providerResources(single)['AWS::Lambda::Function']).toBe(5);
  });

  test('the consumer\'s resources import the provider\'s service token, and the consumer deploys after the provider\'s stack', () => {
    const { owner, consumer } = sharedApp();
    const resources = Object.values(Template.fromStack(consumer).toJSON().Resources as Record<string, any>)
      .filter((r) => r.Type.startsWith('Custom::OpenSearch'));
    const exported = Object.values(Template.fromStack(owner).toJSON().Outputs as Record<string, any>).map((o) => o.Export.Name);

    expect(resources.map((r) => r.Type).sort()).toEqual(['Custom::OpenSearchDomainPackages', 'Custom::OpenSearchPackage', 'Custom::OpenSearchPackageAssociation']);
    for (const resource of resources) {
      expect(exported).toContain(resource.Properties.ServiceToken['Fn::ImportValue']);
    }
    expect(consumer.dependencies).toEqual([owner]);
    expect(owner.dependencies).toEqual([]);
  });

  test('IAM: the handler may manage each stack\'s domains and read each stack, the consumer\'s grants in policies of the consumer', () => {
    const { owner, consumer, domain } = sharedApp();
    const ownerGrants = grants(owner).map((g) => g.grant);
    const consumerGrants = grants(consumer);
    const roleImport = consumerGrants[0].roles;

    // The provider's stack: its own stack and domain only; nothing of the consumer (that would be a cycle).
    expect(ownerGrants).toContain('cloudformation:ListStackResources on {"Ref":"AWS::StackId"}');
    expect(ownerGrants).toContain('es:AssociatePackage on "arn:aws:es:us-east-1:123456789012:domain/owner-domain"');
    expect(JSON.stringify(Template.fromStack(owner).toJSON())).not.toMatch(/other-domain|ConsumerDomain|Stopwords/);

    // The consumer: every policy is attached to the shared handler role (its name imported), none to a role of its own.
    expect(roleImport).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Shared:ExportsOutputRef.*HandlerRole/) }]);
    expect(consumerGrants.every((g) => JSON.stringify(g.roles) === JSON.stringify(roleImport))).toBe(true);
    expect(consumerGrants.map((g) => g.grant)).toEqual(expect.arrayContaining([
      'cloudformation:ListStackResources on {"Ref":"AWS::StackId"}',
      'cloudformation:DescribeStacks on {"Ref":"AWS::StackId"}',
      `es:AssociatePackage on ${JSON.stringify(consumer.resolve(domain.domainArn))}`,
      'es:AssociatePackages on "arn:aws:es:us-east-1:123456789012:domain/other-domain"',
      'es:CreatePackage on "*"',
    ]));
    expect(consumerGrants.map((g) => g.grant).filter((g) => g.includes('owner-domain'))).toEqual([]);
  });

  test('every consumer policy depends on its stack-read policy, and each resource on the policy its Delete needs', () => {
    const { consumer } = sharedApp();
    const template = Template.fromStack(consumer).toJSON();
    const policies = grants(consumer);
    const stackReads = policies.find((g) => g.grant.startsWith('cloudformation:ListStackResources'))!.policy;
    const others = [...new Set(policies.map((g) => g.policy))].filter((id) => id !== stackReads);

    expect(others.length).toBeGreaterThanOrEqual(3);
    for (const id of others) {
      expect({ id, dependsOn: template.Resources[id].DependsOn }).toEqual({ id, dependsOn: expect.arrayContaining([stackReads]) });
    }
    const association = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'Custom::OpenSearchPackageAssociation');
    const domainPolicy = policies.find((g) => g.grant.startsWith('es:DissociatePackage on {"Fn::GetAtt"'))!.policy;
    expect(association.DependsOn).toContain(domainPolicy);
  });

  test('cdk-nag: no open finding of this library in either stack', () => {
    const { consumer } = sharedApp();
    const report = awsSolutionsReport(consumer);
    // The test's own Domain (no encryption, no logs, ...) draws the user's findings; the library's resources draw none.
    const library = report.open.filter((finding) => !finding.path.startsWith('ConsumerDomain/'));
    expect(report.open.length).toBeGreaterThan(0);
    expect(library).toEqual([]);
    expect(report.acknowledged.map((f) => f.path)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${SHARED_ACCESS_ID}/Packages/`))]));
  });

  test('the provider\'s settings (PackagesProvider.configure of its stack) apply to the shared provider', () => {
    const app = new App();
    const owner = new Stack(app, 'Shared');
    const consumer = new Stack(app, 'Consumer');
    PackagesProvider.configure(owner, { logGroupRemovalPolicy: RemovalPolicy.DESTROY });
    PackagesProvider.useProviderOf(consumer, owner);
    new DomainPackageAssociation(consumer, 'Synonyms', { domain: importedDomain(consumer, 'search-one'), packageId: 'F1' });

    const logGroups = Object.values(Template.fromStack(owner).findResources('AWS::Logs::LogGroup'));
    expect(logGroups.map((group) => group.DeletionPolicy)).toEqual(['Delete', 'Delete']);
    expect(consumer.node.tryFindChild(PROVIDER_ID)).toBeUndefined();
    expect(consumer.node.tryFindChild(SHARED_ACCESS_ID)).toBeDefined();
  });

  test('the inline-policy budget counts the policies of every stack that shares the role', () => {
    const app = new App();
    const owner = new Stack(app, 'Shared');
    const name = (stack: number, i: number) => `d${stack}-${String(i).padStart(3, '0')}-${'x'.repeat(21)}`;
    for (const n of [1, 2]) {
      const consumer = new Stack(app, `Consumer${n}`);
      PackagesProvider.useProviderOf(consumer, owner);
      for (let i = 0; i < 30; i++) {
        new DomainPackageAssociation(consumer, `A${i}`, { domain: importedDomain(consumer, name(n, i)), packageId: 'F1' });
      }
    }
    // 30 domains fit in one stack's provider; 60 in one shared role do not.
    const alone = new Stack(new App(), 'Alone');
    for (let i = 0; i < 30; i++) {
      new DomainPackageAssociation(alone, `A${i}`, { domain: importedDomain(alone, name(1, i)), packageId: 'F1' });
    }
    expect(() => Template.fromStack(alone)).not.toThrow();
    expect(errorOf(() => app.synth())).toContain(`[Shared/${PROVIDER_ID}] too many domains for the stacks that share it: `
      + 'the handler\'s policies for 60 domains');
  });
});

describe('conflicting settings are errors', () => {
  function twoStacks(app: App = new App()) {
    return { app, owner: new Stack(app, 'Shared'), consumer: new Stack(app, 'Consumer') };
  }

  test('a stack cannot use its own provider', () => {
    const { owner } = twoStacks();
    expect(errorOf(() => PackagesProvider.useProviderOf(owner, owner)))
      .toBe('Shared: PackagesProvider.useProviderOf: the stack would use its own provider: name another stack');
  });

  test('the same call twice is accepted; another provider\'s stack afterwards is an error', () => {
    const { app, owner, consumer } = twoStacks();
    const other = new Stack(app, 'Other');
    PackagesProvider.useProviderOf(consumer, owner);
    expect(() => PackagesProvider.useProviderOf(consumer, owner)).not.toThrow();
    expect(errorOf(() => PackagesProvider.useProviderOf(consumer, other)))
      .toBe('Consumer: PackagesProvider.useProviderOf: the stack already uses the provider of Shared, asked: Other');
  });

  test('after the stack built its own provider (a resource, or PackagesProvider.configure)', () => {
    const { owner, consumer } = twoStacks();
    new DomainPackageAssociation(consumer, 'Synonyms', { domain: importedDomain(consumer, 'search-one'), packageId: 'F1' });
    expect(errorOf(() => PackagesProvider.useProviderOf(consumer, owner))).toBe('Consumer: PackagesProvider.useProviderOf: the stack already has '
      + 'a provider of its own (built by PackagesProvider.configure or by its first resource of this library): call useProviderOf before both');

    const configured = twoStacks();
    PackagesProvider.configure(configured.consumer, { logGroupRemovalPolicy: RemovalPolicy.DESTROY });
    expect(errorOf(() => PackagesProvider.useProviderOf(configured.consumer, configured.owner))).toMatch(/already has a provider of its own/);
  });

  test('PackagesProvider.configure of a stack that uses another stack\'s provider', () => {
    const { owner, consumer } = twoStacks();
    PackagesProvider.useProviderOf(consumer, owner);
    expect(errorOf(() => PackagesProvider.configure(consumer, { logGroupRemovalPolicy: RemovalPolicy.DESTROY }))).toBe('Consumer: '
      + 'PackagesProvider.configure: the stack uses the provider of Shared (useProviderOf): configure that stack\'s provider instead');
  });

  test('PackagesProvider.configure of the provider\'s stack after a consumer built the provider with defaults', () => {
    const { owner, consumer } = twoStacks();
    PackagesProvider.useProviderOf(consumer, owner);
    new DomainPackageAssociation(consumer, 'Synonyms', { domain: importedDomain(consumer, 'search-one'), packageId: 'F1' });
    expect(errorOf(() => PackagesProvider.configure(owner, { logGroupRemovalPolicy: RemovalPolicy.DESTROY })))
      .toMatch(/^Shared: PackagesProvider\.configure: the stack's provider is already built with other settings \(defaults, asked: logGroupRemovalPolicy: destroy\)/);
  });

  test('one level only: the provider\'s stack cannot itself use another stack\'s provider, nor a provider\'s stack become a consumer', () => {
    const { app, owner, consumer } = twoStacks();
    const third = new Stack(app, 'Third');
    PackagesProvider.useProviderOf(consumer, owner);
    expect(errorOf(() => PackagesProvider.useProviderOf(third, consumer)))
      .toBe('Third: PackagesProvider.useProviderOf: Consumer uses the provider of Shared itself: name Shared');
    expect(errorOf(() => PackagesProvider.useProviderOf(owner, third)))
      .toBe('Shared: PackagesProvider.useProviderOf: other stacks use the provider of this stack: it cannot use the provider of another one');
  });

  test('stacks of another stage, account or region', () => {
    const app = new App();
    const owner = new Stack(app, 'Shared', { env: { account: '123456789012', region: 'us-east-1' } });
    const staged = new Stack(new Stage(app, 'Beta'), 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '123456789012', region: 'eu-west-1' } });
    const agnostic = new Stack(app, 'Agnostic');

    expect(errorOf(() => PackagesProvider.useProviderOf(staged, owner)))
      .toBe('Beta/Consumer: PackagesProvider.useProviderOf: Shared is in another stage: a stack refers only to stacks of its own stage');
    expect(errorOf(() => PackagesProvider.useProviderOf(elsewhere, owner))).toBe('Elsewhere: PackagesProvider.useProviderOf: Shared deploys to '
      + 'aws://123456789012/us-east-1 and this stack to aws://123456789012/eu-west-1: a stack imports values only from stacks of its own account and region');
    expect(errorOf(() => PackagesProvider.useProviderOf(agnostic, owner))).toMatch(/and this stack to aws:\/\/unknown-account\/unknown-region/);
  });
});

test('the domain of a consumer is named in its own stack\'s policy even when the provider\'s stack has a domain of that name', () => {
  const app = new App();
  const owner = new Stack(app, 'Shared');
  const consumer = new Stack(app, 'Consumer');
  PackagesProvider.useProviderOf(consumer, owner);
  new DomainPackageAssociation(owner, 'A', { domain: importedDomain(owner, 'logs'), packageId: 'F1' });
  new DomainPackageAssociation(consumer, 'B', { domain: importedDomain(consumer, 'logs'), packageId: 'F2' });
  const logs = (stack: Stack) => grants(stack).filter((g) => g.grant === 'es:DissociatePackage on "arn:aws:es:us-east-1:123456789012:domain/logs"');
  expect(logs(owner)).toHaveLength(1);
  expect(logs(consumer)).toHaveLength(1);
});
