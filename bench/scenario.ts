/**
 * The package layout every benchmark uses, so the construct and the
 * alternative are measured on the same associations.
 *
 * Each domain gets up to four associations, in this order: a third-party
 * plugin, its license (which lists the plugin as prerequisite) and two
 * dictionaries. N associations fill ceil(N / 4) domains.
 */
import type { EmulatedPackage } from '../emulator/packages-api-emulator';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export type PackageRole = 'plugin' | 'license' | 'config' | 'dictionary';

export interface BenchPackage extends EmulatedPackage {
  readonly role: PackageRole;
}

/** The packages one domain gets, in creation order (package ids are shared by every domain, as in an account). */
export const DOMAIN_PACKAGES: readonly BenchPackage[] = [
  { id: 'pkg-0a1b2c3d4e5f6a7b8', name: 'bench-plugin', type: 'ZIP-PLUGIN', role: 'plugin' },
  { id: 'pkg-1b2c3d4e5f6a7b8c9', name: 'bench-plugin-license', type: 'PACKAGE-LICENSE', role: 'license' },
  { id: 'F111111111', name: 'bench-synonyms', type: 'TXT-DICTIONARY', role: 'dictionary' },
  { id: 'F222222222', name: 'bench-stopwords', type: 'TXT-DICTIONARY', role: 'dictionary' },
];

export interface PlannedAssociation {
  /** Construct id, unique in the stack. */
  readonly id: string;
  readonly domainName: string;
  readonly pkg: BenchPackage;
  /** Index in `plan` of the association this one needs first (the license's plugin). */
  readonly prerequisite?: number;
}

export function domainNameOf(index: number): string {
  return `bench-domain-${String(index + 1).padStart(2, '0')}`;
}

export function domainArnOf(domainName: string): string {
  return `arn:aws:es:${REGION}:${ACCOUNT}:domain/${domainName}`;
}

/** `count` associations spread over ceil(count / 4) domains. */
export function planAssociations(count: number): PlannedAssociation[] {
  const plan: PlannedAssociation[] = [];
  for (let i = 0; i < count; i++) {
    const domainIndex = Math.floor(i / DOMAIN_PACKAGES.length);
    const slot = i % DOMAIN_PACKAGES.length;
    const pkg = DOMAIN_PACKAGES[slot];
    plan.push({
      id: `D${domainIndex + 1}${pkg.role === 'dictionary' ? `Dictionary${slot}` : pkg.role === 'plugin' ? 'Plugin' : 'License'}`,
      domainName: domainNameOf(domainIndex),
      pkg,
      prerequisite: pkg.role === 'license' ? i - 1 : undefined,
    });
  }
  return plan;
}

/** The domain names a plan uses, in order. */
export function domainsOf(plan: readonly PlannedAssociation[]): string[] {
  return [...new Set(plan.map((a) => a.domainName))];
}
