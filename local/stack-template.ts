/**
 * A CloudFormation template reduced to what the player needs: resources, their types,
 * raw properties and dependencies (DependsOn plus Ref / Fn::GetAtt / Fn::Sub references).
 */
import { referencedIds } from './intrinsics';

/** The resource type the player runs through the handlers; every other type is created instantly. */
export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';

export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** Logical ids of resources this one must wait for. */
  readonly dependsOn: ReadonlySet<string>;
  /** The construct path CDK writes in `Metadata['aws:cdk:path']`, when present. */
  readonly cdkPath?: string;
}

export interface StackTemplate {
  readonly resources: ReadonlyMap<string, TemplateResource>;
  /** Parameter defaults by name. */
  readonly parameters: ReadonlyMap<string, string>;
}

export function parseTemplate(template: unknown): StackTemplate {
  const body = asRecord(template, 'template');
  const rawResources = asRecord(body.Resources ?? {}, 'Resources');
  const ids = new Set(Object.keys(rawResources));
  const resources = new Map<string, TemplateResource>();
  for (const [logicalId, raw] of Object.entries(rawResources)) {
    const definition = asRecord(raw, `resource ${logicalId}`);
    const properties = asRecord(definition.Properties ?? {}, `${logicalId}.Properties`);
    const explicit = typeof definition.DependsOn === 'string' ? [definition.DependsOn] : (definition.DependsOn as string[] | undefined) ?? [];
    // Sub variables and parameters are not resources: keep only references to resources.
    const implicit = referencedIds(properties).filter((id) => ids.has(id));
    resources.set(logicalId, {
      logicalId,
      type: String(definition.Type),
      properties,
      dependsOn: new Set([...explicit, ...implicit]),
      cdkPath: (definition.Metadata as Record<string, unknown> | undefined)?.['aws:cdk:path'] as string | undefined,
    });
  }
  return { resources, parameters: parameterDefaults(body.Parameters) };
}

export function isAssociation(resource: TemplateResource | undefined): boolean {
  return resource?.type === ASSOCIATION_TYPE;
}

/**
 * Every resource that `logicalId` depends on, directly or through others: a delete must
 * wait for the deletion of everything that transitively depends on the resource.
 */
export function transitiveDependencies(template: StackTemplate, logicalId: string): Set<string> {
  const found = new Set<string>();
  const visit = (id: string): void => {
    for (const dependency of template.resources.get(id)?.dependsOn ?? []) {
      if (!found.has(dependency)) {
        found.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(logicalId);
  return found;
}

function parameterDefaults(parameters: unknown): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const [name, definition] of Object.entries(asRecord(parameters ?? {}, 'Parameters'))) {
    const value = (definition as { Default?: unknown } | undefined)?.Default;
    if (value !== undefined) {
      defaults.set(name, String(value));
    }
  }
  return defaults;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`invalid template: ${what} must be an object`);
  }
  return value as Record<string, unknown>;
}
