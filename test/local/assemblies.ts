/**
 * Cloud assemblies synthesized in process, as `cdk synth -o <dir>` would (asset and path
 * metadata on), but without aws-cdk-lib's built-in CloudFormation rule check: it takes most of a
 * synthesis and no test here reads its warnings (deploy:local skips it too).
 */
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { EXAMPLE_DEFAULTS, ExampleStack, ExampleStackProps } from '../../bin/example-stack';

export const EXAMPLE_STACK = 'OpenSearchPackagesExample';

/** An app whose assembly goes to `outdir` (default: a temporary directory). */
export function newApp(outdir?: string): App {
  return new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
}

export function synthesize(app: App): CloudAssembly {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return app.synth();
  } finally {
    if (saved === undefined) {
      delete process.env.CDK_VALIDATION;
    } else {
      process.env.CDK_VALIDATION = saved;
    }
  }
}

/** The example app's stack, with `props` over its defaults. */
export function synthesizeExample(props: Partial<ExampleStackProps> = {}, outdir?: string): CloudAssembly {
  const app = newApp(outdir);
  new ExampleStack(app, EXAMPLE_STACK, { ...EXAMPLE_DEFAULTS, ...props });
  return synthesize(app);
}
