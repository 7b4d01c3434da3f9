import { Template } from 'aws-cdk-lib/assertions';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { importedDomain, newStack, RESOURCE_TYPE, SET_RESOURCE_TYPE as SET_TYPE } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage } from '../../lib';

/*
 * CloudFormation updates a stack in two phases. The update phase creates new
 * resources and applies changed ones, IAM policies included. The cleanup phase
 * then deletes the resources B no longer has and the old physical ids of
 * replaced resources, in reverse dependency order of the OLD template: a
 * resource is deleted before the resources it depended on. An association's
 * Delete (DissociatePackage, then ListPackagesForDomain until it is gone) runs
 * in the cleanup phase, so its permissions must survive the update phase.
 */

interface CfnResource {
  readonly Type: string;
  readonly Properties?: any;
  readonly DependsOn?: string | string[];
}
type CfnTemplate = { readonly Resources: Record<string, CfnResource> };

/** Construct id -> the association's domain and package. */
type Layout = Record<string, { domain: string; packageId: string }>;

/** Construct id -> a set's (DomainPackages) domain and packages. */
type SetLayout = Record<string, { domain: string; packageIds: string[] }>;

const ARN_PREFIX = 'arn:aws:es:us-east-1:123456789012:domain/';

/** Synthesizes `layout` and `sets` in an app of their own, under one stack name: one deploy of the same stack. */
function synth(layout: Layout, sets: SetLayout = {}): CfnTemplate {
  const stack = newStack('PackagesStack');
  const domains = new Map<string, opensearch.IDomain>();
  const domainOf = (name: string) => {
    if (!domains.has(name)) {
      domains.set(name, importedDomain(stack, name));
    }
    return domains.get(name)!;
  };
  for (const [id, { domain, packageId }] of Object.entries(layout)) {
    new DomainPackageAssociation(stack, id, { domain: domainOf(domain), packageId });
  }
  for (const [id, { domain, packageIds }] of Object.entries(sets)) {
    const set = new DomainPackages(stack, id, { domain: domainOf(domain) });
    packageIds.forEach((packageId) => set.addPackage(OpenSearchPackage.fromPackageId(stack, `${id}-${packageId}`, packageId)));
  }
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The resources `logicalId` names by DependsOn, Ref or Fn::GetAtt: what CloudFormation orders it after. */
function directDependencies(template: CfnTemplate, logicalId: string): string[] {
  const found = new Set(asList(template.Resources[logicalId].DependsOn));
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, argument] of Object.entries(value)) {
        if (key === 'Ref' && typeof argument === 'string') found.add(argument);
        if (key === 'Fn::GetAtt') found.add(asList(argument as string[])[0].split('.')[0]);
        visit(argument);
      }
    }
  };
  visit(template.Resources[logicalId].Properties);
  return [...found].filter((id) => id in template.Resources);
}

/** Every resource `logicalId` transitively depends on in `template`. */
function dependenciesOf(template: CfnTemplate, logicalId: string): Set<string> {
  const seen = new Set<string>();
  const pending = [logicalId];
  while (pending.length > 0) {
    for (const dependency of directDependencies(template, pending.pop()!)) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        pending.push(dependency);
      }
    }
  }
  return seen;
}

/** The role of the function that runs the association handler. */
function handlerRoleOf(template: CfnTemplate): string {
  const handlers = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.onEvent');
  expect(handlers).toHaveLength(1);
  return handlers[0].Properties.Role['Fn::GetAtt'][0];
}

/** The logical ids of the policies attached to `role`. */
function policiesOf(template: CfnTemplate, role: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === role))
    .map(([id]) => id);
}

/** `action on resource` for each pair a policy allows. */
function grantsOf(policy: CfnResource): string[] {
  return policy.Properties.PolicyDocument.Statement.flatMap((s: any) => asList(s.Action).flatMap((action) =>
    asList(s.Resource).map((resource) => `${action} on ${typeof resource === 'string' ? resource : JSON.stringify(resource)}`)));
}

/**
 * A custom resource whose domain/package pair changes (a set's domain or packages) gets a new physical id: the
 * handler's Update returns one.
 */
function replacesPair(before: CfnResource, after: CfnResource): boolean {
  const pair = (r: CfnResource) => JSON.stringify([r.Properties.DomainName,
    r.Properties.PackageID ?? r.Properties.PackageList.map((entry: any) => entry.PackageID).sort()]);
  return before.Type === after.Type && [RESOURCE_TYPE, SET_TYPE].includes(before.Type) && pair(before) !== pair(after);
}

/** What the update from `before` to `after` deletes in its cleanup phase: removed resources and replaced ones' old physical ids. */
function cleanupDeletes(before: CfnTemplate, after: CfnTemplate): string[] {
  return Object.keys(before.Resources).filter((id) => !(id in after.Resources)
    || replacesPair(before.Resources[id], after.Resources[id]));
}

/**
 * What the handler role may do during the cleanup phase until the Delete of
 * `deleted` (a logical id of `before`) has run: every policy of `after`
 * (applied in the update phase), plus the policies `after` removes that
 * `deleted` depended on in `before` (deleted after it). A removed policy it
 * did not depend on may already be gone, so it is not counted.
 */
function heldUntilDelete(before: CfnTemplate, after: CfnTemplate, deleted: string): Set<string> {
  const role = handlerRoleOf(after);
  expect(handlerRoleOf(before)).toBe(role);
  const outliving = dependenciesOf(before, deleted);
  const removedLater = policiesOf(before, role).filter((id) => !(id in after.Resources) && outliving.has(id));
  return new Set([
    ...policiesOf(after, role).flatMap((id) => grantsOf(after.Resources[id])),
    ...removedLater.flatMap((id) => grantsOf(before.Resources[id])),
  ]);
}

/** The association's (or with `type`, the set's) logical id, by construct id (its resource is `<id>/Resource`). */
function associationId(template: CfnTemplate, constructId: string, type = RESOURCE_TYPE): string {
  const ids = Object.keys(template.Resources)
    .filter((id) => template.Resources[id].Type === type && id.startsWith(constructId));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/**
 * The same stack as it would be if the domain permissions were statements of
 * the handler role's default policy (the earlier design): every other policy
 * of the role is merged into it and removed, with the DependsOn that named it.
 */
function withSharedDefaultPolicy(template: CfnTemplate): CfnTemplate {
  const resources: Record<string, any> = structuredClone(template.Resources);
  const role = handlerRoleOf(template);
  const handler = Object.values(resources).find((r) => r.Properties?.Handler === 'index.onEvent');
  // The function depends on its role's default policy, and on no domain policy.
  const defaultPolicy = policiesOf(template, role).find((id) => asList(handler.DependsOn).includes(id))!;
  const domainPolicies = policiesOf(template, role).filter((id) => id !== defaultPolicy);
  for (const id of domainPolicies) {
    resources[defaultPolicy].Properties.PolicyDocument.Statement.push(...resources[id].Properties.PolicyDocument.Statement);
    delete resources[id];
  }
  for (const resource of Object.values(resources)) {
    if (resource.DependsOn) {
      resource.DependsOn = asList<string>(resource.DependsOn).filter((id) => !domainPolicies.includes(id));
    }
  }
  return { Resources: resources };
}

const SEARCH_TWO_DELETE_GRANTS = [
  `es:DissociatePackage on ${ARN_PREFIX}search-two`,
  `es:ListPackagesForDomain on ${ARN_PREFIX}search-two`,
];

const A: Layout = {
  Dictionary: { domain: 'search-one', packageId: 'F1' },
  Stopwords: { domain: 'search-one', packageId: 'F2' },
  Synonyms: { domain: 'search-two', packageId: 'F3' },
};
const { Synonyms: _removed, ...REMOVED } = A;
const MOVED: Layout = { ...A, Synonyms: { domain: 'search-three', packageId: 'F3' } };

describe.each([
  ['B removes the last association of search-two', REMOVED],
  ['B moves the search-two association (same construct id) to a new domain, search-three', MOVED],
])('%s', (_title, layoutB: Layout) => {
  const before = synth(A);
  const after = synth(layoutB);
  const synonyms = associationId(before, 'Synonyms');

  test('the association (or its old physical id) is the only association deleted in cleanup', () => {
    const deleted = cleanupDeletes(before, after);
    expect(deleted).toContain(synonyms);
    expect(deleted.filter((id) => before.Resources[id].Type === RESOURCE_TYPE)).toEqual([synonyms]);
  });

  test("its Delete still holds the search-two permissions it needs, which B's policies no longer grant", () => {
    const held = heldUntilDelete(before, after, synonyms);
    expect([...held]).toEqual(expect.arrayContaining(SEARCH_TWO_DELETE_GRANTS));
    // A Delete first reads its own stack (another resource may hold the pair).
    expect(held).toContain('cloudformation:ListStackResources on {"Ref":"AWS::StackId"}');

    // They come from the old template's search-two policy, not from B.
    const inB = policiesOf(after, handlerRoleOf(after)).flatMap((id) => grantsOf(after.Resources[id]));
    for (const grant of SEARCH_TWO_DELETE_GRANTS) {
      expect(inB).not.toContain(grant);
    }
  });

  test('negative control: in the shared default policy, the permissions are gone before the Delete', () => {
    const [sharedBefore, sharedAfter] = [withSharedDefaultPolicy(before), withSharedDefaultPolicy(after)];
    const role = handlerRoleOf(sharedBefore);
    // The control template did grant them before the update...
    expect(policiesOf(sharedBefore, role).flatMap((id) => grantsOf(sharedBefore.Resources[id])))
      .toEqual(expect.arrayContaining(SEARCH_TWO_DELETE_GRANTS));
    // ...and B's update phase replaced that policy, so the cleanup phase runs without them.
    const held = heldUntilDelete(sharedBefore, sharedAfter, synonyms);
    for (const grant of SEARCH_TWO_DELETE_GRANTS) {
      expect(held).not.toContain(grant);
    }
  });
});

test('the moved association is updated with the new domain\'s permissions, created before it in the update phase', () => {
  const after = synth(MOVED);
  const synonyms = associationId(after, 'Synonyms');
  const dependencies = dependenciesOf(after, synonyms);
  const grants = policiesOf(after, handlerRoleOf(after)).filter((id) => dependencies.has(id)).flatMap((id) => grantsOf(after.Resources[id]));
  expect(grants).toEqual(expect.arrayContaining([
    `es:AssociatePackage on ${ARN_PREFIX}search-three`,
    `es:ListPackagesForDomain on ${ARN_PREFIX}search-three`,
  ]));
});

test('each association depends on its own domain\'s policy only: no domain waits for another domain\'s policy', () => {
  const template = synth(A);
  const role = handlerRoleOf(template);
  const domainOf = (policy: string) => asList(template.Resources[policy].Properties.PolicyDocument.Statement)
    .flatMap((s: any) => asList(s.Resource))
    .filter((resource): resource is string => typeof resource === 'string' && resource.startsWith(ARN_PREFIX))
    .map((arn) => arn.slice(ARN_PREFIX.length));

  for (const [constructId, { domain }] of Object.entries(A)) {
    const dependencies = dependenciesOf(template, associationId(template, constructId));
    const domainsWaitedFor = policiesOf(template, role).filter((id) => dependencies.has(id)).flatMap(domainOf);
    expect({ constructId, domainsWaitedFor }).toEqual({ constructId, domainsWaitedFor: [domain] });
  }
});

describe('a set of packages (DomainPackages)', () => {
  const SET_DELETE_GRANTS = [
    `es:DissociatePackages on ${ARN_PREFIX}search-two`,
    `es:ListPackagesForDomain on ${ARN_PREFIX}search-two`,
  ];
  const SETS: SetLayout = {
    Plugins: { domain: 'search-one', packageIds: ['pkg-a1', 'pkg-a2'] },
    SearchTwoPlugins: { domain: 'search-two', packageIds: ['pkg-b1', 'pkg-b2'] },
  };
  const { SearchTwoPlugins: _set, ...SETS_REMOVED } = SETS;
  const SETS_MOVED: SetLayout = { ...SETS, SearchTwoPlugins: { domain: 'search-three', packageIds: ['pkg-b1', 'pkg-b2'] } };
  const SEARCH_TWO_SINGLE: Layout = { Stopwords: { domain: 'search-two', packageId: 'F2' } };

  /** The update from `before` to `after`, the set's logical id, and what the handler holds until its Delete has run. */
  const update = (singles: Layout, after: SetLayout) => {
    const [templateA, templateB] = [synth(singles, SETS), synth(singles, after)];
    const set = associationId(templateA, 'SearchTwoPlugins', SET_TYPE);
    const operationsDeleted = cleanupDeletes(templateA, templateB)
      .filter((id) => [RESOURCE_TYPE, SET_TYPE].includes(templateA.Resources[id].Type));
    const grantsInB = policiesOf(templateB, handlerRoleOf(templateB)).flatMap((id) => grantsOf(templateB.Resources[id]));
    return { set, operationsDeleted, held: heldUntilDelete(templateA, templateB, set), grantsInB };
  };

  test.each([
    ['B removes the last set of search-two, its only package operation', SETS_REMOVED],
    ['B moves the set (same construct id) to a new domain, search-three', SETS_MOVED],
  ])('%s: its Delete (the only one in cleanup) holds DissociatePackages on search-two until it has run', (_title, after) => {
    const { set, operationsDeleted, held, grantsInB } = update({}, after);

    expect(operationsDeleted).toEqual([set]);
    expect([...held]).toEqual(expect.arrayContaining(SET_DELETE_GRANTS));
    expect(held).toContain('cloudformation:ListStackResources on {"Ref":"AWS::StackId"}');
    // They come from the old template's search-two policy, not from B.
    SET_DELETE_GRANTS.forEach((grant) => expect(grantsInB).not.toContain(grant));
  });

  // The batch actions live in a policy of their own, which leaves with the domain's last set; the domain's policy
  // stays for the single association (and changes in B's update phase).
  test('B removes the last set of search-two, which keeps a single association: DissociatePackages is held until the set\'s Delete', () => {
    const { set, operationsDeleted, held } = update(SEARCH_TWO_SINGLE, SETS_REMOVED);

    expect(operationsDeleted).toEqual([set]);
    expect([...held]).toEqual(expect.arrayContaining(SET_DELETE_GRANTS));
  });
});
