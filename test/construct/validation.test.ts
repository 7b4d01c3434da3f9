import { CfnParameter, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { associationOf, definedDomain, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation } from '../../lib';

/** The message `action` throws; fails the test when it throws nothing. */
function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, got none');
}

/** The library's message shape: the construct's path, then a lowercase text that names the property and shows the bad value. */
function expectMessage(message: string, property: string, badValue: string): void {
  expect(message).toMatch(/^TestStack\/[A-Za-z]+: [a-z]/);
  expect(message).toContain(property);
  expect(message).toContain(badValue);
}

describe('synth-time validation', () => {
  test.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(29)],
    ['uppercase', 'Search-one'],
    ['bad character', 'search_one'],
    ['leading digit', '1search'],
  ])('domain name (%s) is rejected', (_why, name) => {
    const stack = newStack();
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, name), packageId: 'F1' }));

    expect(message).toBe(`TestStack/A: invalid domain.domainName: '${name}' must be 3-28 characters matching ^[a-z][a-z0-9\\-]+$`);
    expectMessage(message, 'domain.domainName', `'${name}'`);
  });

  test.each(['f123', 'F', 'F12a', 'G-1', 'pkg-', 'pkg-0A1B', 'PKG-01', ''])('package id %p is rejected', (packageId) => {
    const stack = newStack();
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId }));

    expect(message).toBe(`TestStack/A: invalid packageId: '${packageId}' must match ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$`);
    expectMessage(message, 'packageId', `'${packageId}'`);
  });

  test.each([
    'arn:aws:iam::123456789012:user/bob',
    'arn:aws:sts::123456789012:role/x',
    'arn:aws:iam::account:role/x',
    'arn:aws-xx:iam::123456789012:role/x',
    'arn:aws:iam::123456789012:role/',
  ])('key-access role ARN %p is rejected', (roleArn) => {
    const stack = newStack();
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', roleArn);
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', {
      domain: importedDomain(stack, 'search-one'), packageId: 'pkg-aa', keyStoreAccess: { enabled: true, keyAccessRole },
    }));

    expect(message).toBe(`TestStack/A: invalid keyStoreAccess.keyAccessRole: '${roleArn}' must be an IAM role ARN `
      + '(arn:<partition>:iam::<account>:role/<name>, 20-2048 characters)');
    expectMessage(message, 'keyStoreAccess.keyAccessRole', `'${roleArn}'`);
  });

  test.each(['', '  '])('empty package version %p is rejected', (packageVersion) => {
    const stack = newStack();
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', {
      domain: importedDomain(stack, 'search-one'), packageId: 'F1', packageVersion,
    }));

    expect(message).toBe(`TestStack/A: invalid packageVersion: '${packageVersion}' must not be empty`);
    expectMessage(message, 'packageVersion', `'${packageVersion}'`);
  });

  test('an association cannot be its own prerequisite', () => {
    const stack = newStack();
    const a = new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
    const message = errorOf(() => a.addPrerequisite(a));

    expect(message).toBe('TestStack/A: prerequisites: an association cannot be its own prerequisite');
    expectMessage(message, 'prerequisites', 'TestStack/A');
  });

  test('a prerequisite cannot be listed twice', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: 'pkg-aa' });
    const message = errorOf(() => new DomainPackageAssociation(stack, 'License', { domain, packageId: 'pkg-bb', prerequisites: [plugin, plugin] }));

    expect(message).toBe("TestStack/License: prerequisites: TestStack/Plugin (package 'pkg-aa') is listed twice");
    expectMessage(message, 'prerequisites', "'pkg-aa'");
  });

  test.each([
    ['named', (stack: Stack) => [importedDomain(stack, 'search-one'), importedDomain(stack, 'search-two')], "'search-two'", "'search-one'"],
    ['defined in the app', (stack: Stack) => [definedDomain(stack, 'One'), definedDomain(stack, 'Two')], "'TestStack/Two'", "'TestStack/One'"],
  ])('a prerequisite must be on the same domain (domains %s)', (_kind, domains, otherLabel, ownLabel) => {
    const stack = newStack();
    const [one, two] = domains(stack);
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain: two, packageId: 'pkg-aa' });
    const message = errorOf(() => new DomainPackageAssociation(stack, 'License', { domain: one, packageId: 'pkg-bb', prerequisites: [plugin] }));

    expect(message).toBe(`TestStack/License: prerequisites: TestStack/Plugin is on domain ${otherLabel}, not on domain ${ownLabel}`);
    expectMessage(message, 'prerequisites', otherLabel);
  });

  test('a package cannot be associated twice with one domain in one stack', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
    // A second import of the same domain is still the same domain.
    const message = errorOf(() => new DomainPackageAssociation(stack, 'B', { domain: importedDomain(stack, 'search-one', 'Again'), packageId: 'F1' }));

    expect(message).toBe("TestStack/B: packageId: 'F1' is already associated with domain 'search-one' by TestStack/A");
    expectMessage(message, 'packageId', "'F1'");
  });

  test('the same token package id twice on one domain is an error, whether the same token or the same expression', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const parameter = new CfnParameter(stack, 'PluginId');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: parameter.valueAsString });
    const sameToken = errorOf(() => new DomainPackageAssociation(stack, 'B', { domain, packageId: parameter.valueAsString }));
    expect(sameToken).toBe("TestStack/B: packageId: a token is already associated with domain 'search-one' by TestStack/A");

    const other = newStack();
    const otherDomain = importedDomain(other, 'search-one');
    new DomainPackageAssociation(other, 'A', { domain: otherDomain, packageId: Token.asString({ Ref: 'PluginId' }) });
    new DomainPackageAssociation(other, 'B', { domain: otherDomain, packageId: Token.asString({ Ref: 'PluginId' }) });
    expect(errorOf(() => Template.fromStack(other))).toBe("TestStack/B: packageId: a token is already associated with domain 'search-one' by TestStack/A");
  });

  test('more than 20 associations on one domain in one stack (the service\'s quota) is an error at synthesis', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    Array.from({ length: 21 }, (_, i) => new DomainPackageAssociation(stack, `A${i}`, { domain, packageId: `F${i}` }));
    new DomainPackageAssociation(stack, 'Elsewhere', { domain: importedDomain(stack, 'search-two'), packageId: 'F0' });

    expect(errorOf(() => Template.fromStack(stack))).toBe("TestStack/A0: domain: 21 packages are associated with domain 'search-one' by this stack: "
      + "a domain holds at most 20 (the service's quota, not adjustable)");
  });

  test('different token package ids on one domain pass', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: Token.asString({ Ref: 'PluginId' }) });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: Token.asString({ Ref: 'LicenseId' }) });
    new CfnParameter(stack, 'PluginId');
    new CfnParameter(stack, 'LicenseId');
    expect(Object.keys(Template.fromStack(stack).findResources('Custom::OpenSearchPackageAssociation'))).toHaveLength(2);
  });

  test.each([
    [Duration.seconds(59), '59 seconds'],
    [Duration.seconds(43_201), '43201 seconds'],
    [Duration.millis(90_500), '90.5 seconds'],
  ])('timeout %s is rejected', (timeout, shown) => {
    const stack = newStack();
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1', timeout }));
    expect(message).toBe(`TestStack/A: invalid timeout: '${shown}' must be whole seconds from 1 minute to 12 hours`);
    expectMessage(message, 'timeout', `'${shown}'`);
  });

  test('a token timeout is rejected: the handler needs a literal', () => {
    const stack = newStack();
    const timeout = Duration.seconds(new CfnParameter(stack, 'Seconds', { type: 'Number' }).valueAsNumber);
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1', timeout }));
    expect(message).toMatch(/^TestStack\/A: invalid timeout: .* must be a literal duration, not a token$/);
  });

  test.each(['snapshot'])('removal policy %p is rejected', (policy) => {
    const stack = newStack();
    const message = errorOf(() => new DomainPackageAssociation(stack, 'A', {
      domain: importedDomain(stack, 'search-one'), packageId: 'F1', removalPolicy: policy as RemovalPolicy,
    }));
    expect(message).toBe("TestStack/A: invalid removalPolicy: 'snapshot' must be one of destroy, retain, retain-on-update-or-delete");
    expectMessage(message, 'removalPolicy', "'snapshot'");
  });

  test('prerequisites that form a cycle are reported at synthesis with the constructs involved', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const a = new DomainPackageAssociation(stack, 'A', { domain, packageId: 'pkg-aa' });
    const b = new DomainPackageAssociation(stack, 'B', { domain, packageId: 'pkg-bb', prerequisites: [a] });
    a.addPrerequisite(b);
    const message = errorOf(() => Template.fromStack(stack));

    expect(message).toBe('TestStack/A: prerequisites: the associations form a cycle: TestStack/A -> TestStack/B -> TestStack/A');
    expectMessage(message, 'prerequisites', 'TestStack/A -> TestStack/B');
  });
});

describe('what passes validation', () => {
  test('the limits of each pattern are accepted', () => {
    const stack = newStack();
    const cases = [
      { name: 'abc', packageId: 'F0' },
      { name: `a${'b-9'.repeat(9)}`, packageId: 'G1234567890' },
      { name: 'search-1', packageId: 'pkg-0123456789abcdef' },
    ];
    new DomainPackageAssociation(stack, 'Shortest', { domain: importedDomain(stack, 'search-a'), packageId: 'F1', timeout: Duration.minutes(1) });
    new DomainPackageAssociation(stack, 'Longest', { domain: importedDomain(stack, 'search-b'), packageId: 'F1', timeout: Duration.hours(12) });
    cases.forEach(({ name, packageId }) => new DomainPackageAssociation(stack, name, {
      domain: importedDomain(stack, name),
      packageId,
      keyStoreAccess: { enabled: true, keyAccessRole: iam.Role.fromRoleArn(stack, `Role-${name}`, `arn:aws-us-gov:iam::123456789012:role/${name}`) },
    }));

    expect(cases[1].name).toHaveLength(28);
    expect(cases.map(({ packageId }) => associationOf(stack, packageId).resource.Properties.DomainName))
      .toEqual(cases.map(({ name }) => name));
  });

  test('unresolved tokens pass and reach the template for the handler to check', () => {
    const stack = newStack();
    const domain = definedDomain(stack);
    const keyAccessRole = new iam.Role(stack, 'KeyRole', { assumedBy: new iam.ServicePrincipal('es.amazonaws.com') });
    const plugin = new DomainPackageAssociation(stack, 'Plugin', {
      domain,
      packageId: Lazy.string({ produce: () => 'not-an-id' }),
      keyStoreAccess: { enabled: true, keyAccessRole },
    });
    new DomainPackageAssociation(stack, 'License', {
      domain,
      packageId: Token.asString(new CfnParameter(stack, 'LicenseId')),
      packageVersion: new CfnParameter(stack, 'LicenseVersion').valueAsString,
      prerequisites: [plugin],
    });

    expect(Token.isUnresolved(plugin.domainName)).toBe(true);
    const plugins = associationOf(stack, 'not-an-id').resource.Properties;
    expect(plugins.DomainName).toEqual({ Ref: expect.stringMatching(/^Search/) });
    expect(plugins.AssociationConfiguration.KeyStoreAccessOption.KeyAccessRoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KeyRole/), 'Arn'] });
    const license = associationOf(stack, { Ref: 'LicenseId' }).resource.Properties;
    expect(license).toMatchObject({ PackageVersion: { Ref: 'LicenseVersion' }, PrerequisitePackageIDList: ['not-an-id'] });
  });
});
