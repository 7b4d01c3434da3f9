/**
 * A CloudFormation template reduced to what the player needs: resources, their types,
 * raw properties and dependencies (DependsOn plus Ref / Fn::GetAtt / Fn::Sub references),
 * parameter defaults, and outputs (what other stacks import).
 */
import { referencedIds } from './intrinsics';

export const ASSOCIATION_TYPE = 'Custom::OpenSearchPackageAssociation';
export const PACKAGE_TYPE = 'Custom::OpenSearchPackage';
export const LOOKUP_TYPE = 'Custom::OpenSearchPackageLookup';
export const PACKAGE_SET_TYPE = 'Custom::OpenSearchDomainPackages';
export const WAIT_HANDLE_TYPE = 'AWS::CloudFormation::WaitConditionHandle';
export const WAIT_CONDITION_TYPE = 'AWS::CloudFormation::WaitCondition';

/**
 * The types the player runs through the handlers: every `Custom::OpenSearch…` type, since one
 * provider serves them all and dispatches on the type (an unknown one reaches the handler, which
 * names it). Every other type is created instantly.
 */
const PLAYED_TYPE = /^Custom::OpenSearch/;

export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** Logical ids of resources this one must wait for. */
  readonly dependsOn: ReadonlySet<string>;
  /** The construct path CDK writes in `Metadata['aws:cdk:path']`, when present. */
  readonly cdkPath?: string;
  /** `DeletionPolicy` (Delete when absent): `Retain` keeps the resource in the account when its stack removes it. */
  readonly deletionPolicy?: string;
}

/** An entry of the template's Outputs, unresolved. */
export interface TemplateOutput {
  readonly value: unknown;
  /** `Export.Name`, when the output is exported (aws-cdk-lib's strong cross-stack references). */
  readonly exportName?: unknown;
}

export interface StackTemplate {
  readonly resources: ReadonlyMap<string, TemplateResource>;
  /** Parameter defaults by name. */
  readonly parameters: ReadonlyMap<string, string>;
  /** Outputs by logical name. */
  readonly outputs: ReadonlyMap<string, TemplateOutput>;
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
      ...(typeof definition.DeletionPolicy === 'string' && { deletionPolicy: definition.DeletionPolicy }),
    });
  }
  return { resources, parameters: parameterDefaults(body.Parameters), outputs: templateOutputs(body.Outputs) };
}

export function isAssociation(resource: TemplateResource | undefined): boolean {
  return resource?.type === ASSOCIATION_TYPE;
}

/** Whether the player runs resources of this type through the handlers. */
export function isPlayedType(type: string): boolean {
  return PLAYED_TYPE.test(type);
}

export function isPlayed(resource: TemplateResource | undefined): boolean {
  return resource !== undefined && isPlayedType(resource.type);
}

/** A WaitConditionHandle or WaitCondition: played by the player itself (wait-condition-resource.ts), not by a handler. */
export function isWaitType(type: string): boolean {
  return type === WAIT_HANDLE_TYPE || type === WAIT_CONDITION_TYPE;
}

/**
 * Whether the player schedules resources of this type and keeps their state (physical id,
 * properties, attributes): the handlers' types and the wait types. Every other type is created instantly.
 */
export function isScheduledType(type: string): boolean {
  return isPlayedType(type) || isWaitType(type);
}

export function isScheduled(resource: TemplateResource | undefined): boolean {
  return resource !== undefined && isScheduledType(resource.type);
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

function templateOutputs(outputs: unknown): Map<string, TemplateOutput> {
  return new Map(Object.entries(asRecord(outputs ?? {}, 'Outputs')).map(([name, raw]) => {
    const output = asRecord(raw, `output ${name}`);
    const exportName = (output.Export as { Name?: unknown } | undefined)?.Name;
    return [name, { value: output.Value, ...(exportName !== undefined && { exportName }) }];
  }));
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`invalid template: ${what} must be an object`);
  }
  return value as Record<string, unknown>;
}
