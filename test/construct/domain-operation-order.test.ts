import { Stack } from 'aws-cdk-lib';
import { associationOf, definedDomain, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation } from '../../lib';

/** The DependsOn edges between associations, as `dependent -> dependency` package ids. */
function edges(stack: Stack, packageIds: string[]): string[] {
  const byLogicalId = new Map(packageIds.map((id) => [associationOf(stack, id).logicalId, id]));
  return packageIds.flatMap((id) => (associationOf(stack, id).resource.DependsOn ?? [])
    .filter((dep: string) => byLogicalId.has(dep))
    .map((dep: string) => `${id} -> ${byLogicalId.get(dep)}`));
}

describe('per-domain ordering', () => {
  test('five packages on one domain deploy one after another, in creation order', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const ids = ['F1', 'F2', 'F3', 'F4', 'F5'];
    ids.forEach((packageId) => new DomainPackageAssociation(stack, packageId, { domain, packageId }));

    expect(edges(stack, ids)).toEqual(['F2 -> F1', 'F3 -> F2', 'F4 -> F3', 'F5 -> F4']);
  });

  test('different domains are not ordered against each other', () => {
    const stack = newStack();
    const one = importedDomain(stack, 'search-one');
    const two = importedDomain(stack, 'search-two');
    new DomainPackageAssociation(stack, 'A1', { domain: one, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B1', { domain: two, packageId: 'F2' });
    new DomainPackageAssociation(stack, 'A2', { domain: one, packageId: 'F3' });
    new DomainPackageAssociation(stack, 'B2', { domain: two, packageId: 'F4' });

    expect(edges(stack, ['F1', 'F2', 'F3', 'F4'])).toEqual(['F3 -> F1', 'F4 -> F2']);
  });

  test('two imports of the same domain share one queue', () => {
    const stack = newStack();
    new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one', 'First'), packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain: importedDomain(stack, 'search-one', 'Second'), packageId: 'F2' });
    expect(edges(stack, ['F1', 'F2'])).toEqual(['F2 -> F1']);
  });

  test('a Domain of the app (token name) gets its own queue', () => {
    const stack = newStack();
    const domain = definedDomain(stack);
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: 'F2' });
    new DomainPackageAssociation(stack, 'C', { domain: importedDomain(stack, 'search-one'), packageId: 'F3' });
    expect(edges(stack, ['F1', 'F2', 'F3'])).toEqual(['F2 -> F1']);
  });

  test('a prerequisite created later still deploys first, and the chain stays acyclic', () => {
    const stack = newStack();
    const domain = importedDomain(stack, 'search-one');
    const license = new DomainPackageAssociation(stack, 'License', { domain, packageId: 'pkg-bb' });
    new DomainPackageAssociation(stack, 'Dictionary', { domain, packageId: 'F1' });
    const plugin = new DomainPackageAssociation(stack, 'Plugin', { domain, packageId: 'pkg-aa' });
    license.addPrerequisite(plugin);

    // order: Plugin, License (after its prerequisite), Dictionary
    expect(edges(stack, ['pkg-aa', 'pkg-bb', 'F1'])).toEqual(['pkg-bb -> pkg-aa', 'F1 -> pkg-bb']);
  });
});
