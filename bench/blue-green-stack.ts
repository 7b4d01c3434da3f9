/**
 * The blue/green case: one domain with a third-party plugin, its license and its configuration
 * (both listing the plugin as prerequisite) and two more plugins; the update adds one plugin.
 * Built (a) as one `DomainPackageAssociation` per package, (b) as one `DomainPackages`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { DomainPackageAssociation, DomainPackages, IOpenSearchPackage, OpenSearchPackage } from '../lib';
import { importedDomain } from './construct-stack';
import type { BenchPackage } from './scenario';

export const BLUE_GREEN_DOMAIN = 'bench-blue-green';

export type BlueGreenVariant = 'associations' | 'set';
export const BLUE_GREEN_VARIANTS: readonly BlueGreenVariant[] = ['associations', 'set'];

/** What the tables call each variant. */
export const BLUE_GREEN_LABELS: Record<BlueGreenVariant, string> = {
  associations: '(a) 5 DomainPackageAssociations',
  set: '(b) 1 DomainPackages',
};

export interface BlueGreenPackage extends BenchPackage {
  /** Construct id of the package (b) or of its association (a). */
  readonly constructId: string;
  /** The constructId of the package it needs first (the plugin of a license or configuration). */
  readonly prerequisite?: string;
}

/** The create's packages, in creation order. */
export const CREATE_PACKAGES: readonly BlueGreenPackage[] = [
  { constructId: 'Plugin', id: 'pkg-0a1b2c3d4e5f6a7b8', name: 'bench-plugin', type: 'ZIP-PLUGIN', role: 'plugin' },
  { constructId: 'License', id: 'pkg-1b2c3d4e5f6a7b8c9', name: 'bench-plugin-license', type: 'PACKAGE-LICENSE', role: 'license', prerequisite: 'Plugin' },
  { constructId: 'Config', id: 'pkg-2c3d4e5f6a7b8c9d0', name: 'bench-plugin-config', type: 'PACKAGE-CONFIG', role: 'config', prerequisite: 'Plugin' },
  { constructId: 'Plugin2', id: 'pkg-3d4e5f6a7b8c9d0e1', name: 'bench-plugin-2', type: 'ZIP-PLUGIN', role: 'plugin' },
  { constructId: 'Plugin3', id: 'pkg-4e5f6a7b8c9d0e1f2', name: 'bench-plugin-3', type: 'ZIP-PLUGIN', role: 'plugin' },
];

/** The plugin the update adds. */
export const ADDED_PACKAGE: BlueGreenPackage = { constructId: 'Plugin4', id: 'pkg-5f6a7b8c9d0e1f2a3', name: 'bench-plugin-4', type: 'ZIP-PLUGIN', role: 'plugin' };

export function blueGreenStack(app: App, variant: BlueGreenVariant, packages: readonly BlueGreenPackage[]): Stack {
  const stack = new Stack(app, variant === 'associations' ? 'BlueGreenAssociations' : 'BlueGreenSet');
  const domain = importedDomain(stack, BLUE_GREEN_DOMAIN);
  if (variant === 'associations') {
    const associations = new Map<string, DomainPackageAssociation>();
    for (const pkg of packages) {
      associations.set(pkg.constructId, new DomainPackageAssociation(stack, pkg.constructId, {
        domain,
        packageId: pkg.id,
        prerequisites: pkg.prerequisite === undefined ? undefined : [associations.get(pkg.prerequisite)!],
      }));
    }
    return stack;
  }
  const set = new DomainPackages(stack, 'Packages', { domain });
  const added = new Map<string, IOpenSearchPackage>();
  for (const pkg of packages) {
    const member = OpenSearchPackage.fromPackageId(stack, pkg.constructId, pkg.id);
    set.addPackage(member, { prerequisites: pkg.prerequisite === undefined ? undefined : [added.get(pkg.prerequisite)!] });
    added.set(pkg.constructId, member);
  }
  return stack;
}
