import { CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { associationOf, awsSolutionsReport, errorOf, importedDomain, newStack, providerOf } from './fixtures';
import { DomainPackageAssociation, DomainPackageAssociationProps, PackagesProvider } from '../../lib';
import { AssociationProvider, PackagesProviderOptions, PROVIDER_ID } from '../../lib/association-provider';
import { estimatedLength } from '../../lib/inline-policy-budget';

const asList = (value: unknown): any[] => (Array.isArray(value) ? value : [value]);

/** One association on `search-one` in `stack`: the first one builds the provider. */
function associate(stack: Stack, props: Partial<DomainPackageAssociationProps> = {}): void {
  new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId: 'F1', ...props });
}

/** A stack whose provider runs in the first private subnet of a new VPC, in a security group of its own. */
function vpcStack() {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc');
  // Not the default (every private subnet), so the test sees that the selection is used.
  const vpcSubnets = { subnets: [vpc.privateSubnets[0]] };
  const securityGroup = new ec2.SecurityGroup(stack, 'ProviderSg', { vpc });
  const options: PackagesProviderOptions = { vpc, vpcSubnets, securityGroups: [securityGroup] };
  PackagesProvider.configure(stack, options);
  associate(stack);
  return { stack, vpc, options };
}

function functionsOf(template: Template): Record<string, any> {
  return template.findResources('AWS::Lambda::Function');
}

/** `action on resource` for each pair the policies attached to `role` allow, with the policy's logical id. */
function grantsOfRole(template: Template, role: string): { policy: string; grant: string }[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([, p]) => p.Properties.Roles.some((ref: any) => ref.Ref === role))
    .flatMap(([policy, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => asList(s.Action)
      .flatMap((action: string) => asList(s.Resource).map((resource) => ({ policy, grant: `${action} on ${JSON.stringify(resource)}` })))));
}

describe('removalPolicy', () => {
  test.each([
    ['default', 'Delete', 'Delete', undefined],
    ['DESTROY', 'Delete', 'Delete', RemovalPolicy.DESTROY],
    ['RETAIN', 'Retain', 'Retain', RemovalPolicy.RETAIN],
  ])('%s: DeletionPolicy %s, UpdateReplacePolicy %s on the custom resource', (_name, deletion, updateReplace, removalPolicy) => {
    const stack = newStack();
    associate(stack, { removalPolicy });
    const { resource } = associationOf(stack, 'F1');
    expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([deletion, updateReplace]);
  });
});

describe('PackagesProvider.configure with a VPC', () => {
  test('all five functions run in the chosen subnets and security groups', () => {
    const { stack, options } = vpcStack();
    const functions = Object.values(functionsOf(Template.fromStack(stack)));
    const expected = {
      SubnetIds: stack.resolve(options.vpc!.selectSubnets(options.vpcSubnets).subnetIds),
      SecurityGroupIds: options.securityGroups!.map((sg) => stack.resolve(sg.securityGroupId)),
    };

    expect(expected.SubnetIds).toHaveLength(1);
    expect(functions).toHaveLength(5);
    expect(functions.map((f) => f.Properties.VpcConfig)).toEqual(functions.map(() => expected));
  });

  test('each function\'s role may manage network interfaces, in a policy the function depends on', () => {
    const { stack } = vpcStack();
    const template = Template.fromStack(stack);
    for (const [id, fn] of Object.entries(functionsOf(template))) {
      // Lambda checks these permissions when it creates the function, and uses them until it is deleted.
      const eni = grantsOfRole(template, fn.Properties.Role['Fn::GetAtt'][0])
        .filter(({ grant }) => grant === 'ec2:CreateNetworkInterface on "*"');
      expect({ id, count: eni.length }).toEqual({ id, count: 1 });
      expect(fn.DependsOn).toContain(eni[0].policy);
    }
  });

  test('without a VPC no role gets an EC2 action and no function a VpcConfig', () => {
    const stack = newStack();
    associate(stack);
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toContain('"ec2:');
    expect(json).not.toContain('VpcConfig');
  });

  test('cdk-nag: no open finding (the network-interface statements on * are acknowledged)', () => {
    const { stack, vpc } = vpcStack();
    // The VPC's own finding, which is the user's to fix, not the library's.
    vpc.addFlowLog('FlowLog');
    const report = awsSolutionsReport(stack);

    expect(report.open).toEqual([]);
    expect(report.synthFailed).toBe(false);
    const roles = ['HandlerRole', 'FrameworkOnEventRole', 'FrameworkCompleteRole'];
    const acknowledgedStar = report.acknowledged
      .filter((f) => f.rule === 'AwsSolutions-IAM5[Resource::*]' && /network interfaces/.test(f.reason))
      .map((f) => f.path);
    expect(acknowledgedStar.sort()).toEqual(roles.map((role) => `${PROVIDER_ID}/${role}/DefaultPolicy/Resource`).sort());
  });

  test('a second call with the same settings (same objects or an equal selection) is accepted', () => {
    const { stack, options } = vpcStack();
    PackagesProvider.configure(stack, options);
    PackagesProvider.configure(stack, { ...options, vpcSubnets: { ...options.vpcSubnets } });
    expect(Object.keys(functionsOf(Template.fromStack(stack)))).toHaveLength(5);
  });

  test.each([
    ['other security groups', (stack: Stack, o: PackagesProviderOptions) => ({ ...o, securityGroups: [new ec2.SecurityGroup(stack, 'Other', { vpc: o.vpc! })] })],
    ['other subnets', (_stack: Stack, o: PackagesProviderOptions) => ({ ...o, vpcSubnets: { subnets: [o.vpc!.privateSubnets[1]] } })],
    ['no VPC', () => ({})],
  ])('a second call with %s is an error that names the stack and PackagesProvider.configure', (_what, other) => {
    const { stack, options } = vpcStack();
    const message = errorOf(() => PackagesProvider.configure(stack, other(stack, options)));
    expect(message).toMatch(/^TestStack: PackagesProvider\.configure: /);
  });

  test('a call after an association built the provider with defaults is an error', () => {
    const stack = newStack();
    associate(stack);
    const message = errorOf(() => PackagesProvider.configure(stack, { logGroupRemovalPolicy: RemovalPolicy.DESTROY }));
    expect(message).toMatch(/^TestStack: PackagesProvider\.configure: /);
  });

  // Lambda itself rejects security groups without a VPC; dropping them silently leaves the functions outside it.
  test.each([
    ['securityGroups', (stack: Stack) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0')] })],
    ['vpcSubnets', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } })],
  ])('%s without a vpc is an error, not ignored', (_what, options) => {
    const stack = newStack();
    const message = errorOf(() => {
      PackagesProvider.configure(stack, options(stack));
      associate(stack);
      Template.fromStack(stack);
    });
    expect(message).toBe('TestStack: PackagesProvider.configure: vpcSubnets and securityGroups need a vpc');
  });
});

describe('DomainPackageAssociation.configureProvider (deprecated)', () => {
  test('builds the same provider as PackagesProvider.configure', () => {
    const templates = [DomainPackageAssociation.configureProvider, PackagesProvider.configure].map((configure) => {
      const stack = newStack();
      configure(stack, { logGroupRemovalPolicy: RemovalPolicy.DESTROY });
      associate(stack);
      return Template.fromStack(stack).toJSON();
    });
    expect(Object.values(templates[0].Resources).filter((r: any) => r.Type === 'AWS::Logs::LogGroup').map((r: any) => r.DeletionPolicy))
      .toEqual(['Delete', 'Delete']);
    expect(templates[0]).toEqual(templates[1]);
  });

  test('a conflicting second call through either name is an error', () => {
    const stack = newStack();
    PackagesProvider.configure(stack, { logGroupRemovalPolicy: RemovalPolicy.DESTROY });
    const message = errorOf(() => DomainPackageAssociation.configureProvider(stack, {}));
    expect(message).toMatch(/^TestStack: PackagesProvider\.configure: the stack's provider is already built with other settings \(logGroupRemovalPolicy: destroy, asked: defaults\)/);
  });
});

describe('logGroupRemovalPolicy', () => {
  test.each([
    ['default', 'Retain', undefined],
    ['DESTROY', 'Delete', RemovalPolicy.DESTROY],
  ])('%s: both log groups have DeletionPolicy %s', (_name, deletion, logGroupRemovalPolicy) => {
    const stack = newStack();
    if (logGroupRemovalPolicy) {
      PackagesProvider.configure(stack, { logGroupRemovalPolicy });
    }
    associate(stack);
    const logGroups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));
    expect(logGroups.map((group) => group.DeletionPolicy)).toEqual([deletion, deletion]);
  });
});

describe('the provider\'s construct id', () => {
  /** The logical id of the framework function a provider's service token invokes. */
  function frameworkOnEventOf(stack: Stack, provider: AssociationProvider): string {
    const fn = provider.node.findChild('Provider').node.findChild('framework-onEvent');
    return stack.getLogicalId(fn.node.defaultChild as CfnElement);
  }

  test('is namespaced: the stack\'s provider is at PROVIDER_ID', () => {
    const stack = newStack();
    associate(stack);
    expect(providerOf(stack)).toBeInstanceOf(AssociationProvider);
    expect(PROVIDER_ID).toMatch(/^cdk-opensearch-packages\./);
  });

  test('a foreign construct at PROVIDER_ID (another copy of the library) is left alone: the provider takes the next id', () => {
    const stack = newStack();
    const foreign = new Construct(stack, PROVIDER_ID);
    associate(stack);

    const provider = stack.node.tryFindChild(`${PROVIDER_ID}2`);
    expect(provider).toBeInstanceOf(AssociationProvider);
    expect(foreign.node.children).toEqual([]);
    const { ServiceToken } = associationOf(stack, 'F1').resource.Properties;
    expect(ServiceToken).toEqual({ 'Fn::GetAtt': [frameworkOnEventOf(stack, provider as AssociationProvider), 'Arn'] });
  });

  test('with a foreign construct at PROVIDER_ID, PackagesProvider.configure builds the provider the associations use', () => {
    const stack = newStack();
    new Construct(stack, PROVIDER_ID);
    PackagesProvider.configure(stack, { logGroupRemovalPolicy: RemovalPolicy.DESTROY });
    associate(stack);

    const providers = stack.node.children.filter((child) => child instanceof AssociationProvider);
    expect(providers.map((p) => p.node.id)).toEqual([`${PROVIDER_ID}2`]);
    const logGroups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));
    expect(logGroups.map((group) => group.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });
});

describe('inline-policy budget of the handler role', () => {
  /** A valid 28-character domain name (the longest the service allows), unique per `i`. */
  const longName = (i: number) => `domain-${String(i).padStart(4, '0')}-${'x'.repeat(16)}`;

  /** `count` domains with one association each; with `keyRoles`, each passes a key-access role of its own. */
  function stackWithDomains(count: number, keyRoles = false): Stack {
    const stack = newStack();
    for (let i = 0; i < count; i++) {
      const name = longName(i);
      const keyAccessRole = keyRoles ? iam.Role.fromRoleArn(stack, `Key${i}`, `arn:aws:iam::123456789012:role/${name}-key-access`) : undefined;
      new DomainPackageAssociation(stack, `A${i}`, {
        domain: importedDomain(stack, name),
        packageId: 'F1',
        keyStoreAccess: keyAccessRole && { enabled: true, keyAccessRole },
      });
    }
    return stack;
  }

  test('the name helper gives the longest valid names', () => {
    expect(longName(1)).toHaveLength(28);
  });

  test('a few domains synthesize', () => {
    const statements = Object.values(Template.fromStack(stackWithDomains(10, true)).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s: any) => asList(s.Action).includes('es:AssociatePackage'))).toHaveLength(10);
  });

  test('too many domains fail synthesis with a message that says so and how many', () => {
    const message = errorOf(() => Template.fromStack(stackWithDomains(60)));
    expect(message).toContain(`[TestStack/${PROVIDER_ID}] too many domains for one stack: the handler's policies for 60 domains`);
  });

  test('key-access roles count: a number of domains that fits without them does not fit with one each', () => {
    const count = 30;
    expect(() => Template.fromStack(stackWithDomains(count))).not.toThrow();
    expect(errorOf(() => Template.fromStack(stackWithDomains(count, true)))).toContain('too many domains for one stack');
  });

  test('the estimate of a stack id is an upper bound: a stack name may have 128 characters', () => {
    const stackId = `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'s'.repeat(128)}/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`;
    expect(estimatedLength({ Ref: 'AWS::StackId' })).toBeGreaterThanOrEqual(JSON.stringify(stackId).length);
  });
});

test('the same domain imported by ARN and by endpoint: both associations synthesize, with permissions on both ARNs', () => {
  const stack = newStack();
  const build = () => {
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'logs'), packageId: 'F1' });
    const byEndpoint = opensearch.Domain.fromDomainEndpoint(stack, 'ByEndpoint', 'https://search-logs-abc123.us-east-1.es.amazonaws.com');
    new DomainPackageAssociation(stack, 'B', { domain: byEndpoint, packageId: 'F2' });
  };
  expect(build).not.toThrow();

  const dissociate = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => asList(s.Action).includes('es:DissociatePackage'))
    .flatMap((s: any) => asList(s.Resource).map((resource) => JSON.stringify(resource)));
  expect(dissociate).toEqual(expect.arrayContaining([
    JSON.stringify('arn:aws:es:us-east-1:123456789012:domain/logs'),
    expect.stringMatching(/:domain\/logs"\]\]\}$/),
  ]));
});
