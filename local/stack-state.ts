/**
 * What CloudFormation remembers about a deployed stack: the template, and for each resource the
 * handlers play (association, package, lookup) its physical id, resolved properties and
 * attributes (Data).
 */
import { isDeepStrictEqual } from 'node:util';
import { importedNames, StackOutputValues } from './cross-stack';
import { fakeArn, fakePhysicalId, fakeResourceArn, ResolveContext, resolveValue, StackOutputs, stringifyScalars } from './intrinsics';
import { environmentOfStackId } from './stack-environment';
import { isScheduled, StackTemplate, TemplateResource } from './stack-template';

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
  /** Played resources only: every other type is created instantly and needs no state. */
  readonly resources: ReadonlyMap<string, DeployedResource>;
}

export interface StackIdentity {
  readonly stackName: string;
  readonly stackId: string;
}

/**
 * Resolves intrinsics against the template and the played resources deployed so far: Ref of one
 * is its physical id, GetAtt its Data (a package's PackageID, an association's ReferencePath...);
 * other resources get fake values. `outputs`: other stacks' (imports are fake without them).
 */
export function resolveContext(
  identity: StackIdentity,
  template: StackTemplate,
  live: ReadonlyMap<string, DeployedResource>,
  outputs?: StackOutputs,
): ResolveContext {
  const typeOf = (id: string) => template.resources.get(id)?.type;
  const context: ResolveContext = {
    ...identity,
    ...(outputs && { outputs }),
    resourceType: typeOf,
    parameter: (name) => template.parameters.get(name),
    ref: (id) => live.get(id)?.physicalId ?? instantPhysicalId(template.resources.get(id)!, context),
    attribute: (id, attribute) => {
      const type = typeOf(id);
      if (type === undefined) {
        throw new Error(`Fn::GetAtt of unknown resource ${id}`);
      }
      if (isScheduled(template.resources.get(id))) {
        return handlerAttribute(live.get(id), id, attribute);
      }
      return attribute === 'Arn' ? instantArn(template.resources.get(id)!, context) : `${id}.${attribute}`;
    },
  };
  return context;
}

/**
 * The stack's outputs and exports resolved against `live`, and the exports its template imports.
 * An output that cannot be resolved (an attribute a handler did not report) is left out.
 */
export function outputValues(
  identity: StackIdentity,
  template: StackTemplate,
  live: ReadonlyMap<string, DeployedResource>,
  outputs?: StackOutputs,
): StackOutputValues {
  const context = resolveContext(identity, template, live, outputs);
  const resolve = (value: unknown): string | undefined => {
    try {
      return String(resolveValue(value, context));
    } catch {
      return undefined;
    }
  };
  const values = new Map<string, string>();
  const exports = new Map<string, string>();
  for (const [name, output] of template.outputs) {
    const value = resolve(output.value);
    const exportName = output.exportName === undefined ? undefined : resolve(output.exportName);
    if (value !== undefined) {
      values.set(name, value);
      if (exportName !== undefined) {
        exports.set(exportName, value);
      }
    }
  }
  const sources = [
    ...[...template.resources.values()].map((resource) => resource.properties),
    ...[...template.outputs.values()].map((output) => output.value),
  ];
  const imports = new Set(sources.flatMap((source) => importedNames(source, resolve)));
  return { stackName: identity.stackName, values, exports, imports };
}

/**
 * The physical id of a resource the player "creates" instantly (not scheduled): what its Ref gives.
 * A state machine's Ref is its ARN (what the handler starts executions of).
 */
export function instantPhysicalId(resource: TemplateResource, context: ResolveContext): string {
  return resource.type === STATE_MACHINE_TYPE
    ? instantArn(resource, context)
    : fakePhysicalId(resource.type, resource.logicalId, resource.properties);
}

/**
 * The ARN of a resource the player creates instantly. A state machine with a `StateMachineName`
 * has the ARN Step Functions gives that name, so that an ARN a template builds from the same name
 * (the long waiter's, lib/long-waiter.ts) is the one its Ref gives; without one, a fake name.
 */
export function instantArn(resource: TemplateResource, context: ResolveContext): string {
  const environment = environmentOfStackId(context.stackId);
  const name = resource.type === STATE_MACHINE_TYPE ? resource.properties.StateMachineName : undefined;
  return name === undefined
    ? fakeResourceArn(resource.type, resource.logicalId, environment)
    : fakeArn('states', `stateMachine:${String(resolveValue(name, context))}`, environment);
}

const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

/** The properties CloudFormation would send for `resource` now. */
export function resolvedProperties(resource: TemplateResource, context: ResolveContext): Record<string, unknown> {
  return stringifyScalars(resolveValue(resource.properties, context) ?? {}) as Record<string, unknown>;
}

export function sameProperties(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return isDeepStrictEqual(a, b);
}

function handlerAttribute(resource: DeployedResource | undefined, id: string, attribute: string): string {
  const value = resource?.data[attribute];
  if (value === undefined) {
    // CloudFormation's wording when a custom resource's response lacks the attribute.
    throw new Error(`CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object of ${id}`);
  }
  return value;
}
