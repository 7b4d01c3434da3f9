import { PROVIDER_ID } from '../../lib/association-provider';

/**
 * The provider's functions run on the newest Node.js runtime the installed aws-cdk-lib knows (lib/handler-runtime.ts):
 * their `Runtime` changes with aws-cdk-lib, not with this library. Snapshots mask it, as they mask asset hashes, so
 * that the same code has the same snapshot on every aws-cdk-lib; test/construct/handler-runtime.test.ts checks it.
 */
export const MASKED_RUNTIME = '[HANDLER RUNTIME]';

/** The provider is a direct child of its stack: its resources' logical ids start with its construct id's letters. */
const PROVIDER_LOGICAL_ID = PROVIDER_ID.replace(/[^A-Za-z0-9]/g, '');

/** Whether `value` looks like a CloudFormation template (what snapshots hold). */
export function isTemplate(value: unknown): value is { Resources: Record<string, any> } {
  const resources = (value as { Resources?: unknown } | null)?.Resources;
  return typeof resources === 'object' && resources !== null && !Array.isArray(resources);
}

/** A copy of `template` whose provider functions' `Runtime` is masked; every other function keeps its own. */
export function maskHandlerRuntimes<T>(template: T): T {
  const copy = JSON.parse(JSON.stringify(template)) as T;
  const resources: Record<string, any> = isTemplate(copy) ? copy.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (logicalId.startsWith(PROVIDER_LOGICAL_ID) && resource?.Type === 'AWS::Lambda::Function' && resource.Properties?.Runtime !== undefined) {
      resource.Properties.Runtime = MASKED_RUNTIME;
    }
  }
  return copy;
}
