import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The oldest Node.js major the provider's functions run on: the handler bundle's esbuild target
 * (package.json `build:handler`, `--target=node22`), and the oldest Lambda Node.js runtime not deprecated.
 */
export const MIN_NODE_MAJOR = 22;

/** aws-cdk-lib's name for a fixed Node.js runtime: `Runtime.NODEJS_24_X` (not `NODEJS_LATEST`, nor `NODEJS_4_3`). */
const NODE_RUNTIME_KEY = /^NODEJS_(\d+)_X$/;

/** The Node.js major to run on, given the static names of `lambda.Runtime`: the newest one, at least `MIN_NODE_MAJOR`. */
export function newestNodeMajor(runtimeKeys: readonly string[]): number {
  const majors = runtimeKeys.flatMap((key) => {
    const match = NODE_RUNTIME_KEY.exec(key);
    return match ? [Number(match[1])] : [];
  });
  return Math.max(MIN_NODE_MAJOR, ...majors);
}

/**
 * The runtime of the provider's functions: the newest Node.js Lambda runtime the installed aws-cdk-lib (the app's,
 * a peer dependency) knows, never older than Node.js 22. It is what cdk-nag's AwsSolutions-L1 asks for, and it
 * moves with aws-cdk-lib upgrades as its own provider functions' runtime does (an in-place function update).
 * A literal (never `NODEJS_LATEST`'s lag nor a region map): the template says what runs.
 */
export function handlerRuntime(): lambda.Runtime {
  const major = newestNodeMajor(Object.keys(lambda.Runtime));
  const known = (lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>)[`NODEJS_${major}_X`];
  // Only below Node.js 22 (no aws-cdk-lib in the peer range) is the runtime built by name.
  return known ?? new lambda.Runtime(`nodejs${major}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
}
