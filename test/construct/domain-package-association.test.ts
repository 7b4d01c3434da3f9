import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { associationOf, associations, definedDomain, expectKeyRolePassedToOpenSearch, importedDomain, newStack, RESOURCE_TYPE } from './fixtures';
import { DomainPackageAssociation } from '../../lib';

describe('DomainPackageAssociation resource', () => {
  test('synthesizes one custom resource with exactly the AssociatePackage names it needs', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId: 'F123' });

    const resources = Object.values(associations(stack));
    expect(resources).toHaveLength(1);
    expect(resources[0].Type).toBe(RESOURCE_TYPE);
    // The request's names, the handler's timeout (always rendered) and CloudFormation's own wait.
    expect(Object.keys(resources[0].Properties).sort()).toEqual(['DomainName', 'PackageID', 'ServiceTimeout', 'ServiceToken', 'Timeout']);
    expect(resources[0].Properties).toMatchObject({ Timeout: '3000', ServiceTimeout: '3600' });
    expect(resources[0].Properties).toMatchObject({ DomainName: 'search-one', PackageID: 'F123' });
  });

  test('with every option set, the properties are exactly the AssociatePackage request names', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const keyAccessRole = iam.Role.fromRoleArn(stack, 'KeyRole', 'arn:aws:iam::123456789012:role/key-access');
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: 'pkg-aa' });
    new DomainPackageAssociation(stack, 'License', {
      domain,
      packageId: 'pkg-bb',
      prerequisites: [plugin],
      keyStoreAccess: { enabled: true, keyAccessRole },
      packageVersion: 'v3',
      timeout: Duration.minutes(20),
    });

    expect(associationOf(stack, 'pkg-bb').resource.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '3600',
      Timeout: '1200',
      DomainName: 'search-one',
      PackageID: 'pkg-bb',
      PrerequisitePackageIDList: ['pkg-aa'],
      AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/key-access' } },
      PackageVersion: 'v3',
    });
  });

  test('an empty prerequisites list sends no PrerequisitePackageIDList', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId: 'F123', prerequisites: [] });
    expect(associationOf(stack, 'F123').resource.Properties).not.toHaveProperty('PrerequisitePackageIDList');
  });

  test('prerequisites become DependsOn and PrerequisitePackageIDList', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: 'pkg-aa' });
    const config = new DomainPackageAssociation(stack, 'Config', { domain, packageId: 'pkg-cc' });
    new DomainPackageAssociation(stack, 'License', { domain, packageId: 'pkg-bb', prerequisites: [plugin, config] });

    const license = associationOf(stack, 'pkg-bb').resource;
    expect(license.Properties.PrerequisitePackageIDList).toEqual(['pkg-aa', 'pkg-cc']);
    expect(license.DependsOn).toEqual(expect.arrayContaining([
      associationOf(stack, 'pkg-aa').logicalId,
      associationOf(stack, 'pkg-cc').logicalId,
    ]));
  });

  test('addPrerequisite works after construction', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const license = new DomainPackageAssociation(stack, 'License', { domain, packageId: 'pkg-bb' });
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: 'pkg-aa' });
    license.addPrerequisite(plugin);

    const synthesized = associationOf(stack, 'pkg-bb').resource;
    expect(synthesized.Properties.PrerequisitePackageIDList).toEqual(['pkg-aa']);
    expect(synthesized.DependsOn).toContain(associationOf(stack, 'pkg-aa').logicalId);
    // The plugin depends on its domain's policy only, not on any association.
    expect(associationOf(stack, 'pkg-aa').resource.DependsOn).toEqual([expect.stringMatching(/Domainsearchone/)]);
    expect(license.prerequisites).toEqual([plugin]);
  });

  test('key-store access renders AssociationConfiguration and allows passing only that role', () => {
    const stack = newStack();
    const keyAccessRole = new iam.Role(stack, 'KeyRole', { assumedBy: new iam.ServicePrincipal('es.amazonaws.com') });
    new DomainPackageAssociation(stack, 'Plugin', {
      domain: importedDomain(stack, 'search-one'),
      packageId: 'pkg-aa',
      keyStoreAccess: { enabled: true, keyAccessRole },
    });
    const template = Template.fromStack(stack);

    expect(associationOf(stack, 'pkg-aa').resource.Properties.AssociationConfiguration).toEqual({
      KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^KeyRole/), 'Arn'] } },
    });
    expectKeyRolePassedToOpenSearch(template);
  });

  test('key-store access without a role sends only KeyStoreAccessEnabled and grants no PassRole', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'Plugin', {
      domain: importedDomain(stack, 'search-one'), packageId: 'pkg-aa', keyStoreAccess: { enabled: false },
    });
    expect(associationOf(stack, 'pkg-aa').resource.Properties.AssociationConfiguration)
      .toEqual({ KeyStoreAccessOption: { KeyStoreAccessEnabled: false } });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('iam:PassRole');
  });

  test('packageVersion reaches the resource properties', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'Synonyms', {
      domain: importedDomain(stack, 'search-one'), packageId: 'F123', packageVersion: 'v2',
    });
    expect(associationOf(stack, 'F123').resource.Properties.PackageVersion).toBe('v2');
  });

  test('attributes resolve to Fn::GetAtt of the custom resource', () => {
    const stack = newStack();
    const association = new DomainPackageAssociation(stack, 'Synonyms', {
      domain: importedDomain(stack, 'search-one'), packageId: 'F123',
    });
    const { logicalId } = associationOf(stack, 'F123');
    const getAtt = (value: string) => stack.resolve(value);

    expect(association.domainName).toBe('search-one');
    expect(association.packageId).toBe('F123');
    expect(getAtt(association.referencePath)).toEqual({ 'Fn::GetAtt': [logicalId, 'ReferencePath'] });
    expect(getAtt(association.activePackageVersion)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageVersion'] });
    expect(getAtt(association.packageName)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageName'] });
    expect(getAtt(association.packageType)).toEqual({ 'Fn::GetAtt': [logicalId, 'PackageType'] });
  });

  test('works with a Domain defined in the same app (its name is a token)', () => {
    const stack = newStack();
    const domain = definedDomain(stack);
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F123' });

    const resource = associationOf(stack, 'F123').resource;
    expect(resource.Properties.DomainName).toEqual({ Ref: expect.stringMatching(/^Search/) });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['es:AssociatePackage', 'es:DescribeDomain', 'es:DissociatePackage', 'es:ListPackagesForDomain'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Search'), 'Arn'] },
        })]),
      },
    });
  });

  test('works with a Domain defined in another stack of the same app (cross-stack references)', () => {
    const domainStack = newStack('DomainStack');
    const domain = definedDomain(domainStack);
    const stack = new Stack(domainStack.node.scope as any, 'PackageStack');
    new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F123' });

    expect(associationOf(stack, 'F123').resource.Properties.DomainName).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^DomainStack:ExportsOutputRefSearch/) });
    const packageStatement = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement)
      .find((statement: any) => JSON.stringify(statement.Action).includes('es:AssociatePackage'));
    expect(packageStatement.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^DomainStack:ExportsOutputFnGetAttSearch\w+Arn/) });
  });

  test.each([
    ['public', 'https://search-logs-prod-abc123.eu-west-1.es.amazonaws.com'],
    ['VPC', 'https://vpc-logs-prod-abc123.eu-west-1.es.amazonaws.com'],
  ])('works with a %s domain imported by endpoint: the real name, and IAM on its ARN', (_kind, endpoint) => {
    const stack = newStack();
    const domain = opensearch.Domain.fromDomainEndpoint(stack, 'Imported', endpoint);
    const association = new DomainPackageAssociation(stack, 'Synonyms', { domain, packageId: 'F123' });

    expect(association.domainName).toBe('logs-prod');
    expect(associationOf(stack, 'F123').resource.Properties.DomainName).toBe('logs-prod');
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':domain/logs-prod"');
    expect(policies).not.toContain('domain/search-logs-prod');
  });

  test('a domain imported by ARN keeps the name the ARN gives, even one starting with search-', () => {
    const stack = newStack();
    const association = new DomainPackageAssociation(stack, 'Synonyms', {
      domain: importedDomain(stack, 'search-one'), packageId: 'F123',
    });
    expect(association.domainName).toBe('search-one');
  });

  test('a token packageId is passed through for the handler to check', () => {
    const stack = newStack();
    const packageId = new CfnParameter(stack, 'PackageId').valueAsString;
    new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId });
    const [resource] = Object.values(associations(stack));
    expect(resource.Properties.PackageID).toEqual({ Ref: 'PackageId' });
  });

  test('associations in different stacks get a provider each', () => {
    const stack = newStack();
    const other = new Stack(stack.node.scope as any, 'Other');
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
    new DomainPackageAssociation(other, 'B', { domain: importedDomain(other, 'search-one'), packageId: 'F1' });
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    Template.fromStack(other).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });
});
