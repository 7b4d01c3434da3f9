import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { associationOf, associations, errorOf, importedDomain, newStack, packageSets } from './fixtures';
import { DomainPackageAssociation, DomainPackageAssociationProps, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';

const SYNONYMS = path.join(__dirname, 'fixtures', 'synonyms.txt');

const HANDLE = 'AWS::CloudFormation::WaitConditionHandle';
const CONDITION = 'AWS::CloudFormation::WaitCondition';

/** A stack with one association of F1 on search-one, with `props` added. */
function associationStack(props: Partial<DomainPackageAssociationProps> = {}): { stack: Stack; association: DomainPackageAssociation } {
  const stack = newStack();
  const association = new DomainPackageAssociation(stack, 'Plugin', { domain: importedDomain(stack, 'search-one'), packageId: 'F1', ...props });
  return { stack, association };
}

/** The stack's one handle and one condition, by logical id; fails unless there is exactly one of each. */
function waitOf(stack: Stack): { handleId: string; conditionId: string; condition: any; template: Template } {
  const template = Template.fromStack(stack);
  const handles = Object.keys(template.findResources(HANDLE));
  const conditions = Object.entries(template.findResources(CONDITION));
  expect(handles).toHaveLength(1);
  expect(conditions).toHaveLength(1);
  return { handleId: handles[0], conditionId: conditions[0][0], condition: conditions[0][1], template };
}

function dependsOn(resource: any): string[] {
  return resource.DependsOn ?? [];
}

describe('a timeout of 55 minutes or less', () => {
  test.each([undefined, Duration.minutes(1), Duration.minutes(55)])('timeout %s adds no wait condition and no LongWait property', (timeout) => {
    const { stack } = associationStack({ timeout });
    const template = Template.fromStack(stack);

    expect(template.findResources(HANDLE)).toEqual({});
    expect(template.findResources(CONDITION)).toEqual({});
    expect(Object.keys(associationOf(stack, 'F1').resource.Properties)).not.toContain('LongWait');
  });
});

describe('a timeout above 55 minutes', () => {
  test('adds a handle and a condition whose Timeout is the asked one, named after the resource and its asked state', () => {
    const { stack } = associationStack({ timeout: Duration.hours(3) });
    const { logicalId, resource } = associationOf(stack, 'F1');
    const { handleId, conditionId, condition } = waitOf(stack);

    expect(handleId).toMatch(new RegExp(`^${logicalId}WaitHandle[0-9a-f]{8}$`));
    expect(conditionId).toBe(handleId.replace('WaitHandle', 'Wait'));
    expect(condition.Properties).toEqual({ Handle: { Ref: handleId }, Timeout: '10800', Count: 1 });
    expect(resource.Properties.Timeout).toBe('10800');
    expect(resource.Properties.LongWait).toEqual({ Handle: handleId, Condition: conditionId, Waiter: expect.objectContaining({ 'Fn::Join': expect.any(Array) }) });
  });

  test('the twelve-hour maximum is the condition Timeout', () => {
    const { stack } = associationStack({ timeout: Duration.hours(12) });
    expect(waitOf(stack).condition.Properties.Timeout).toBe('43200');
  });

  test('the handle URL never reaches the custom resource: its properties hold logical ids only', () => {
    const { stack } = associationStack({ timeout: Duration.hours(2) });
    const { handleId } = waitOf(stack);
    const { LongWait: longWait, ...others } = associationOf(stack, 'F1').resource.Properties;

    expect([typeof longWait.Handle, typeof longWait.Condition]).toEqual(['string', 'string']);
    // The waiter is named by an ARN built from the stack id, never by a Ref of the handle.
    expect(JSON.stringify(longWait.Waiter)).not.toContain(handleId);
    expect(JSON.stringify(others)).not.toContain(handleId);
  });

  test('the resource starts after its handle exists, and the condition starts after the resource answers', () => {
    const { stack } = associationStack({ timeout: Duration.hours(2) });
    const { logicalId, resource } = associationOf(stack, 'F1');
    const { handleId, condition } = waitOf(stack);

    expect(dependsOn(resource)).toContain(handleId);
    expect(dependsOn(condition)).toContain(logicalId);
  });

  test('the same asked state gives the same ids: no timestamp, so a deploy that changes nothing starts no wait', () => {
    const first = waitOf(associationStack({ timeout: Duration.hours(2) }).stack);
    const second = waitOf(associationStack({ timeout: Duration.hours(2) }).stack);

    expect(second.handleId).toBe(first.handleId);
    expect(second.conditionId).toBe(first.conditionId);
  });

  test.each<[string, Partial<DomainPackageAssociationProps>]>([
    ['timeout', { timeout: Duration.hours(3) }],
    ['packageVersion', { timeout: Duration.hours(2), packageVersion: 'v2' }],
    ['keyStoreAccess', { timeout: Duration.hours(2), keyStoreAccess: { enabled: true } }],
  ])('a changed %s gives a new handle and a new condition', (_name, props) => {
    const before = waitOf(associationStack({ timeout: Duration.hours(2) }).stack);
    const after = waitOf(associationStack(props).stack);

    expect(after.handleId).not.toBe(before.handleId);
    expect(after.conditionId).not.toBe(before.conditionId);
  });

  test('a prerequisite added after construction is part of the asked state', () => {
    const build = (withPrerequisite: boolean) => {
      const { stack, association } = associationStack({ timeout: Duration.hours(2) });
      if (withPrerequisite) {
        association.addPrerequisite(new DomainPackageAssociation(stack, 'License', { domain: association.domain, packageId: 'F2' }));
      }
      return waitOf(stack);
    };
    expect(build(true).conditionId).not.toBe(build(false).conditionId);
  });

  test('dependents of the association and the next operation on the domain wait for the condition', () => {
    const { stack, association } = associationStack({ timeout: Duration.hours(2) });
    const dependent = new CfnResource(stack, 'Dependent', { type: 'AWS::SNS::Topic' });
    dependent.node.addDependency(association);
    new DomainPackageAssociation(stack, 'Next', { domain: association.domain, packageId: 'F2' });
    const { conditionId, template } = waitOf(stack);

    expect(dependsOn(template.toJSON().Resources.Dependent)).toContain(conditionId);
    expect(dependsOn(associationOf(stack, 'F2').resource)).toContain(conditionId);
  });

  test('a DomainPackages set gets the same pair, renamed when a package is added', () => {
    const build = (packageIds: string[]) => {
      const stack = newStack();
      const set = new DomainPackages(stack, 'Packages', { domain: importedDomain(stack, 'search-one') as opensearch.IDomain, timeout: Duration.hours(4) });
      packageIds.forEach((id) => set.addPackage(OpenSearchPackage.fromPackageId(stack, id, id)));
      const [[logicalId, resource]] = Object.entries(packageSets(stack));
      return { ...waitOf(stack), logicalId, resource };
    };
    const one = build(['F1']);
    const two = build(['F1', 'F2']);

    expect(one.condition.Properties.Timeout).toBe('14400');
    expect(one.handleId).toMatch(new RegExp(`^${one.logicalId}WaitHandle[0-9a-f]{8}$`));
    expect(one.resource.Properties.LongWait).toEqual({ Handle: one.handleId, Condition: one.conditionId, Waiter: expect.anything() });
    expect(two.conditionId).not.toBe(one.conditionId);
  });
});

describe('a package with a long timeout', () => {
  const dictionary = (stack: Stack, timeout?: Duration) => new OpenSearchPackage(stack, 'Synonyms', {
    packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), timeout,
  });
  const packageWait = (stack: Stack) => {
    const template = Template.fromStack(stack);
    const [[logicalId, resource]] = Object.entries(template.findResources('Custom::OpenSearchPackage'));
    const conditions = Object.keys(template.findResources(CONDITION)).filter((id) => id.startsWith(`${logicalId}Wait`));
    expect(conditions).toHaveLength(1);
    return { logicalId, resource, conditionId: conditions[0] };
  };

  test('up to 55 minutes the package has no wait and sends the asked Timeout', () => {
    const stack = newStack();
    dictionary(stack, Duration.minutes(55));

    expect(Template.fromStack(stack).findResources(CONDITION)).toEqual({});
    expect(Object.values(Template.fromStack(stack).findResources('Custom::OpenSearchPackage'))[0].Properties.Timeout).toBe('3300');
  });

  test('above 55 minutes the package gets its own pair, with the asked Timeout', () => {
    const stack = newStack();
    dictionary(stack, Duration.hours(2));
    const { resource, conditionId } = packageWait(stack);

    expect(resource.Properties.Timeout).toBe('7200');
    expect(resource.Properties.LongWait.Condition).toBe(conditionId);
  });

  test('associations made by associateWith and sets that hold the package wait for its condition, not just for its id', () => {
    const stack = newStack();
    const pkg = dictionary(stack, Duration.hours(2));
    pkg.associateWith(importedDomain(stack, 'search-one'));
    new DomainPackages(stack, 'Packages', { domain: importedDomain(stack, 'search-two') }).addPackage(pkg);
    const { conditionId } = packageWait(stack);

    expect(dependsOn(Object.values(associations(stack))[0])).toContain(conditionId);
    expect(dependsOn(Object.values(packageSets(stack))[0])).toContain(conditionId);
  });

  test('associations of a long package follow it by revision: its version attribute is read before the new version exists', () => {
    const stack = newStack();
    const pkg = dictionary(stack, Duration.hours(2));
    pkg.associateWith(importedDomain(stack, 'search-one'));
    new DomainPackages(stack, 'Packages', { domain: importedDomain(stack, 'search-two') }).addPackage(pkg);
    const association = (Object.values(associations(stack))[0] as any).Properties;
    const set = (Object.values(packageSets(stack))[0] as any).Properties;
    expect(association.PackageVersion).toBeUndefined();
    expect(association.PackageRevision).toMatch(/^[0-9a-f]{16}$/);
    expect(set.PackageList[0].PackageRevision).toBe(association.PackageRevision);
    expect(JSON.stringify(set)).not.toContain('AvailablePackageVersion');
  });

  test('a short package is still followed by its version attribute in its own stack', () => {
    const stack = newStack();
    dictionary(stack, Duration.minutes(55)).associateWith(importedDomain(stack, 'search-one'));
    const association = (Object.values(associations(stack))[0] as any).Properties;
    expect(association.PackageVersion).toEqual({ 'Fn::GetAtt': [expect.any(String), 'AvailablePackageVersion'] });
    expect(association.PackageRevision).toBeUndefined();
  });

  test('a package timeout above 12 hours is rejected', () => {
    const stack = newStack();
    expect(errorOf(() => dictionary(stack, Duration.hours(13))))
      .toBe("TestStack/Synonyms: invalid timeout: '46800 seconds' must be whole seconds from 1 minute to 12 hours");
  });
});

describe('what renames the pair of an association that follows a package of the stack', () => {
  /** The condition id of the package's `associateWith` with a 2-hour timeout, for a package of that name and content. */
  const conditionFor = (packageName: string, content: string) => {
    const stack = newStack();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'long-wait-'));
    fs.writeFileSync(path.join(dir, 'synonyms.txt'), content);
    new OpenSearchPackage(stack, 'Synonyms', {
      packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(path.join(dir, 'synonyms.txt')), packageName,
    }).associateWith(importedDomain(stack, 'search-one'), { timeout: Duration.hours(2) });
    return waitOf(stack).conditionId;
  };

  test('new content or a replaced package (new name) is a new asked state, though the package id is a GetAtt', () => {
    const base = conditionFor('synonyms-a', 'a, b');

    expect(conditionFor('synonyms-a', 'a, b')).toBe(base);
    expect(conditionFor('synonyms-a', 'a, c')).not.toBe(base);
    expect(conditionFor('synonyms-b', 'a, b')).not.toBe(base);
  });
});

test('a long set in another stack than its long package synthesizes: the cross-stack reference is hashed as it resolves there', () => {
  const app = new App();
  const packages = new Stack(app, 'Packages');
  const pkg = new OpenSearchPackage(packages, 'Synonyms', {
    packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(SYNONYMS), timeout: Duration.hours(2),
  });
  const search = new Stack(app, 'Search');
  new DomainPackages(search, 'Set', { domain: importedDomain(search, 'two'), timeout: Duration.hours(3) }).addPackage(pkg);
  const { condition } = waitOf(search);

  expect(condition.Properties.Timeout).toBe('10800');
});
