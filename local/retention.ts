/**
 * `DeletionPolicy` of the resources the player creates instantly: at the end of a stack operation,
 * those the stack no longer holds (a stack delete, an update's cleanup, a rollback) are deleted,
 * except those with `Retain`, which stay in the account (emulator/retained-resources.ts), and
 * those with `RetainExceptOnCreate` that an earlier operation created.
 */
import { fakePhysicalId, resolveValue } from './intrinsics';
import { instantArn, instantPhysicalId, resolveContext, StackIdentity } from './stack-state';
import { isScheduled, StackTemplate, TemplateResource } from './stack-template';
import type { RetainedResource, RetainedResources } from '../emulator/retained-resources';

/** The templates of one stack operation: what the stack held before (if anything), what it tried, and what it is left with. */
export interface OperationTemplates {
  readonly before?: StackTemplate;
  readonly attempted?: StackTemplate;
  readonly after?: StackTemplate;
}

/** Records in `registry` the retained resources the operation removed; returns their logical ids. */
export function retainRemoved(registry: RetainedResources, identity: StackIdentity, templates: OperationTemplates): Set<string> {
  const retained = new Set<string>();
  for (const template of [templates.before, templates.attempted]) {
    for (const resource of template?.resources.values() ?? []) {
      const kept = templates.after?.resources.get(resource.logicalId)?.type === resource.type;
      if (!kept && !isScheduled(resource) && !retained.has(resource.logicalId) && isRetained(resource, templates.before)) {
        registry.retain(retainedEntry(identity, template!, resource));
        retained.add(resource.logicalId);
      }
    }
  }
  return retained;
}

function isRetained(resource: TemplateResource, before: StackTemplate | undefined): boolean {
  return resource.deletionPolicy === 'Retain'
    || (resource.deletionPolicy === 'RetainExceptOnCreate' && before?.resources.get(resource.logicalId)?.type === resource.type);
}

function retainedEntry(identity: StackIdentity, template: StackTemplate, resource: TemplateResource): RetainedResource {
  const context = resolveContext(identity, template, new Map());
  const resolved = (key: string): unknown => {
    try {
      return resolveValue(resource.properties[key], context);
    } catch {
      return undefined; // an attribute of a played resource: nothing the registry needs
    }
  };
  const base = {
    type: resource.type,
    logicalId: resource.logicalId,
    stackName: identity.stackName,
    stackId: identity.stackId,
    physicalId: safely(() => instantPhysicalId(resource, context), fakePhysicalId(resource.type, resource.logicalId, resource.properties)),
  };
  if (resource.type === 'AWS::IAM::Policy') {
    const roles = resolved('Roles');
    return { ...base, policyName: String(resolved('PolicyName') ?? base.physicalId), roles: Array.isArray(roles) ? roles.map(String) : [] };
  }
  return { ...base, arn: safely(() => instantArn(resource, context), undefined) };
}

function safely<T>(compute: () => T, fallback: T): T {
  try {
    return compute();
  } catch {
    return fallback;
  }
}
