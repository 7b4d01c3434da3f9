/**
 * What CloudFormation remembers about a deployed stack: the template, and for each
 * association its physical id, resolved properties and attributes (Data).
 */
import { isDeepStrictEqual } from 'node:util';
import { fakePhysicalId, fakeResourceArn, ResolveContext, resolveValue, stringifyScalars } from './intrinsics';
import { isAssociation, StackTemplate, TemplateResource } from './stack-template';

export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** As sent to the handler: resolved, every scalar a string. */
  readonly properties: Record<string, unknown>;
  readonly data: Record<string, string>;
}

export interface DeployedStack {
  readonly template: StackTemplate;
  /** Association resources only: every other type is created instantly and needs no state. */
  readonly resources: ReadonlyMap<string, DeployedResource>;
}

export interface StackIdentity {
  readonly stackName: string;
  readonly stackId: string;
}

/**
 * Resolves intrinsics against the template and the associations deployed so far:
 * Ref of an association is its physical id, GetAtt its Data; other resources get fake values.
 */
export function resolveContext(identity: StackIdentity, template: StackTemplate, live: ReadonlyMap<string, DeployedResource>): ResolveContext {
  const typeOf = (id: string) => template.resources.get(id)?.type;
  return {
    ...identity,
    resourceType: typeOf,
    parameter: (name) => template.parameters.get(name),
    ref: (id) => live.get(id)?.physicalId ?? instantPhysicalId(template.resources.get(id)!),
    attribute: (id, attribute) => {
      const type = typeOf(id);
      if (type === undefined) {
        throw new Error(`Fn::GetAtt of unknown resource ${id}`);
      }
      if (isAssociation(template.resources.get(id))) {
        return associationAttribute(live.get(id), id, attribute);
      }
      return attribute === 'Arn' ? fakeResourceArn(type, id) : `${id}.${attribute}`;
    },
  };
}

/** The physical id of a resource the player "creates" instantly (not an association): what its Ref gives. */
export function instantPhysicalId(resource: TemplateResource): string {
  return fakePhysicalId(resource.type, resource.logicalId, resource.properties);
}

/** The properties CloudFormation would send for `resource` now. */
export function resolvedProperties(resource: TemplateResource, context: ResolveContext): Record<string, unknown> {
  return stringifyScalars(resolveValue(resource.properties, context) ?? {}) as Record<string, unknown>;
}

export function sameProperties(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return isDeepStrictEqual(a, b);
}

function associationAttribute(resource: DeployedResource | undefined, id: string, attribute: string): string {
  const value = resource?.data[attribute];
  if (value === undefined) {
    // CloudFormation's wording when a custom resource's response lacks the attribute.
    throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object of ${id}`);
  }
  return value;
}
