/**
 * Random versions of a stack for the lifecycle property test: two domains, dictionaries, plugins
 * and a license that needs its plugin, arranged into single associations and sets (DomainPackages)
 * whose construct ids vary (renames), whose members move between them (moves, splits, merges) and
 * whose chain order changes; some versions carry a dictionary that fails to associate, which makes
 * the deploy roll back after the resources before it in its domain's chain have run; some
 * operations have a long timeout (a WaitCondition signalled by the background waiter).
 */
import { App, CfnWaitConditionHandle, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as fc from 'fast-check';
import type { EmulatedPackage } from '../../emulator/packages-api-emulator';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage } from '../../lib';

export const DOMAINS = ['search-one', 'search-two'] as const;
export const STACK_NAME = 'Lifecycle';
export const PLUGIN = 'pkg-a1';
export const LICENSE = 'pkg-a2';
/** A dictionary that some versions make need another one: a change of prerequisites. */
const LINKED = 'F333';
const LINKED_TO = 'F111';
/** The dictionary the failing versions add: the test arms its association to fail. */
export const BROKEN = 'F999';
const DICTIONARIES = ['F111', 'F222', 'F333'];

export const PACKAGES: EmulatedPackage[] = [
  ...DICTIONARIES.map((id, i) => ({ id, name: `dictionary-${i}`, type: 'TXT-DICTIONARY' as const })),
  { id: BROKEN, name: 'broken-dictionary', type: 'TXT-DICTIONARY' },
  { id: PLUGIN, name: 'plugin-a', type: 'ZIP-PLUGIN' },
  { id: LICENSE, name: 'plugin-a-license', type: 'PACKAGE-LICENSE' },
  { id: 'pkg-b1', name: 'plugin-b', type: 'ZIP-PLUGIN' },
];
const POOL = [...DICTIONARIES, PLUGIN, LICENSE, 'pkg-b1'];

/** One operation on a domain: a single association (one package) or a set. */
export interface Group {
  readonly kind: 'set' | 'single';
  /** The construct id: the same content under another id is a rename. */
  readonly id: string;
  readonly packages: readonly string[];
}

export interface StackVersion {
  /** Per domain, its operations in chain order. */
  readonly domains: Readonly<Record<string, readonly Group[]>>;
  /** The domains where F333 needs F111 (a prerequisite), when both are there. */
  readonly linked: readonly string[];
  /** The domain whose chain ends with the failing dictionary; none: the version deploys. */
  readonly broken?: string;
  /**
   * The operations (group ids, `Broken…` for the failing dictionary) with a long timeout: a
   * WaitCondition the background waiter signals (issue 20).
   */
  readonly long: readonly string[];
}

/** A package a version asks a domain to hold: its prerequisites, and the operation that holds it. */
export interface Held {
  readonly prerequisites: readonly string[];
  readonly holder: Pick<Group, 'kind' | 'id'>;
}

/** What a version asks each domain to hold, by package id. */
export type Declared = ReadonlyMap<string, ReadonlyMap<string, Held>>;

/** A package's place on one domain as generated: a slot (two sets, or a single association) and name variants. */
interface Placement {
  readonly packageId: string;
  /** 0 and 1: sets; 2: a single association. */
  readonly slot: number;
  /** Picks the construct id among two: a change is a rename. */
  readonly variant: number;
}

const placement = (packageId: string) => fc.record({
  packageId: fc.constant(packageId), slot: fc.integer({ min: 0, max: 2 }), variant: fc.integer({ min: 0, max: 1 }),
});

const domainPlan = (linked: boolean): fc.Arbitrary<Group[]> => fc.tuple(
  fc.subarray(POOL).chain((ids) => fc.tuple(...ids.map(placement))),
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
).map(([placements, order]) => groupsOf(placements as Placement[], order, linked));

/**
 * A version. `prerequisiteChanges`: whether a version may make F333 need F111 (a change of
 * prerequisites); only where the service applies a changed configuration.
 */
export function stackVersion(prerequisiteChanges: boolean): fc.Arbitrary<StackVersion> {
  return fc.record({
    linked: prerequisiteChanges ? fc.subarray<string>([...DOMAINS]) : fc.constant<string[]>([]),
    broken: fc.option(fc.constantFrom(...DOMAINS), { freq: 3 }),
  }).chain(({ linked, broken }) => fc.record({ one: domainPlan(linked.includes(DOMAINS[0])), two: domainPlan(linked.includes(DOMAINS[1])) })
    .map(({ one, two }) => ({
      domains: { [DOMAINS[0]]: prefixed(one, 'One'), [DOMAINS[1]]: prefixed(two, 'Two') },
      linked: linked.filter((domain) => needsLinked(domain === DOMAINS[0] ? one : two)),
      ...(broken !== null && { broken }),
    })))
    .chain((version) => fc.subarray(operationIds(version)).map((long) => ({ ...version, long })));
}

/** The construct ids of a version's operations, the failing dictionary's included. */
function operationIds(version: Omit<StackVersion, 'long'>): string[] {
  const broken = version.broken ? [brokenId(version.broken)] : [];
  return [...DOMAINS.flatMap((domain) => version.domains[domain].map((group) => group.id)), ...broken];
}

function brokenId(domainName: string): string {
  return `Broken${domainName.replace('-', '')}`;
}

/** A long operation's timeout: above 55 minutes, a WaitCondition. */
const LONG_TIMEOUT = Duration.hours(2);

/** Both linked dictionaries are on the domain. */
function needsLinked(groups: readonly Group[]): boolean {
  const ids = groups.flatMap((group) => group.packages);
  return ids.includes(LINKED) && ids.includes(LINKED_TO);
}

/**
 * The placements as operations: a package that needs another (a license its plugin; F333 F111 when
 * `linked`) follows it (into its set; a single association when it is one), and a license is
 * dropped without its plugin. Groups are chained by `order`.
 */
function groupsOf(placements: Placement[], order: number[], linked: boolean): Group[] {
  const leaderOf = (id: string) => placements.find((p) => p.packageId === (id === LICENSE ? PLUGIN : LINKED_TO));
  const placed = placements.flatMap((p): Placement[] => {
    const follows = p.packageId === LICENSE || (linked && p.packageId === LINKED);
    const leader = follows ? leaderOf(p.packageId) : undefined;
    if (!follows || (!leader && p.packageId !== LICENSE)) return [p];
    if (!leader) return [];
    return [{ ...p, slot: leader.slot, variant: leader.slot === 2 ? p.variant : leader.variant }];
  });
  const groups = new Map<string, { kind: 'set' | 'single'; id: string; packages: string[] }>();
  for (const p of placed) {
    const single = p.slot === 2;
    const id = single ? `Assoc${p.packageId.replace('-', '')}${p.variant}` : `Set${p.slot}${'ab'[p.variant]}`;
    const group = groups.get(id) ?? { kind: single ? 'single' as const : 'set' as const, id, packages: [] };
    group.packages.push(p.packageId);
    groups.set(id, group);
  }
  // Two sets in the same slot under different names are one slot: keep each id once.
  const list = [...groups.values()];
  return list.map((group, i) => ({ group, key: order[i % order.length] * 10 + i })).sort((a, b) => a.key - b.key).map(({ group }) => group);
}

function prefixed(groups: Group[], prefix: string): Group[] {
  return groups.map((group) => ({ ...group, id: `${prefix}${group.id}` }));
}

/** What `version` declares on each domain (the failing dictionary excluded: it never stays). */
export function declared(version: StackVersion | undefined): Declared {
  const result = new Map<string, Map<string, Held>>();
  for (const domain of DOMAINS) {
    const held = new Map<string, Held>();
    for (const group of version?.domains[domain] ?? []) {
      group.packages.forEach((id) => held.set(id, {
        prerequisites: prerequisitesOf(version!, domain, id), holder: { kind: group.kind, id: group.id },
      }));
    }
    result.set(domain, held);
  }
  return result;
}

/** The packages `id` needs on `domain` in `version`. */
function prerequisitesOf(version: StackVersion, domain: string, id: string): string[] {
  if (id === LICENSE) return [PLUGIN];
  return id === LINKED && version.linked.includes(domain) ? [LINKED_TO] : [];
}

/** The version's template, synthesized with the library's constructs. */
export function synthesize(version: StackVersion): unknown {
  const stack = new Stack(new App(), STACK_NAME);
  // CloudFormation takes no template without resources: a version without packages still has one.
  new CfnWaitConditionHandle(stack, 'Anchor');
  for (const domainName of DOMAINS) {
    const domain = opensearch.Domain.fromDomainAttributes(stack, `Domain${domainName}`, {
      domainArn: `arn:aws:es:us-east-1:123456789012:domain/${domainName}`,
      domainEndpoint: `https://search-${domainName}-abc.us-east-1.es.amazonaws.com`,
    });
    const packages = new Map<string, OpenSearchPackage | ReturnType<typeof OpenSearchPackage.fromPackageId>>();
    const pkg = (id: string) => packages.get(id) ?? packages.set(id, OpenSearchPackage.fromPackageId(stack, `${domainName}-${id}`, id)).get(id)!;
    const singles = new Map<string, DomainPackageAssociation>();
    // A single association names its prerequisites' single associations: those are built first (the chain puts them first anyway).
    const follower = (group: Group) => Number(group.packages.some((id) => prerequisitesOf(version, domainName, id).length > 0));
    const groups = [...version.domains[domainName]].sort((a, b) => follower(a) - follower(b));
    const timeout = (id: string) => (version.long.includes(id) ? LONG_TIMEOUT : undefined);
    for (const group of groups) {
      if (group.kind === 'set') {
        const set = new DomainPackages(stack, group.id, { domain, timeout: timeout(group.id) });
        group.packages.forEach((id) => set.addPackage(pkg(id), { prerequisites: prerequisitesOf(version, domainName, id).map(pkg) }));
      } else {
        const [id] = group.packages;
        const prerequisites = prerequisitesOf(version, domainName, id).map((needed) => singles.get(needed)!);
        singles.set(id, new DomainPackageAssociation(stack, group.id, { domain, packageId: id, prerequisites, timeout: timeout(group.id) }));
      }
    }
    if (version.broken === domainName) {
      const id = brokenId(domainName);
      new DomainPackageAssociation(stack, id, { domain, packageId: BROKEN, timeout: timeout(id) });
    }
  }
  return Template.fromStack(stack).toJSON();
}

/** A version as a person reads it in a counterexample. */
export function describeVersion(version: StackVersion): string {
  const domains = DOMAINS.map((domain) => `${domain}: ${version.domains[domain].map((g) => `${g.id}[${g.packages.join(',')}]`).join(' > ') || '-'}`);
  const linked = version.linked.length > 0 ? `; F333 needs F111 on ${version.linked.join(', ')}` : '';
  const long = version.long.length > 0 ? `; long: ${version.long.join(', ')}` : '';
  return `${domains.join('; ')}${linked}${version.broken ? `; fails on ${version.broken}` : ''}${long}`;
}
