import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as cr from 'aws-cdk-lib/custom-resources';

/** The ids aws-cdk-lib gives the provider framework's own functions (every release of the peer range). */
export const FRAMEWORK_FUNCTION_IDS = ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout'];

/**
 * The provider framework's functions of these ids that exist. Found by id: one a future aws-cdk-lib renames is
 * skipped, and what it raises then (a cdk-nag finding) fails synthesis and shows what to do.
 */
export function frameworkFunctions(provider: cr.Provider, ids: readonly string[] = FRAMEWORK_FUNCTION_IDS): lambda.IFunction[] {
  return ids.flatMap((id) => (provider.node.tryFindChild(id) as lambda.IFunction | undefined) ?? []);
}

/**
 * Runs the framework's functions on `runtime` as well, for `Provider` has no runtime option. aws-cdk-lib gives
 * them the runtime of its region facts, which lag behind the runtimes it knows (nodejs24.x in 2.278.0, which knows
 * nodejs26.x: an AwsSolutions-L1 finding) and in old releases are deprecated ones that Lambda no longer creates
 * (nodejs18.x and nodejs20.x in 2.195.0, through a Fn::FindInMap). Their code needs only Node.js built-ins and the
 * AWS SDK v3 clients every Node.js runtime since nodejs18.x carries (`@aws-sdk/client-lambda`, `client-sfn`).
 */
export function runFrameworkOn(provider: cr.Provider, runtime: lambda.Runtime): void {
  for (const fn of frameworkFunctions(provider)) {
    const resource = fn.node.defaultChild;
    if (resource instanceof lambda.CfnFunction) {
      resource.runtime = runtime.name;
    }
  }
}
