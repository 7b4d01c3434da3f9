/**
 * Cloud assemblies synthesized in process, as `cdk synth -o <dir>` would (asset and path
 * metadata on), but without aws-cdk-lib's built-in CloudFormation rule check: it takes most of a
 * synthesis and no test here reads its warnings (deploy:local skips it too).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { EXAMPLE_DEFAULTS, ExampleStack, ExampleStackProps } from '../../bin/example-stack';
import { DomainPackageAssociation } from '../../lib';

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

/**
 * A stack as lib/ synthesizes a long association (`timeout` of 3 hours): `Long`, its handle and
 * condition, the long waiter's state machine and step function, and `After`, which depends on
 * `Long` (so on its condition). Returns the template.
 */
export function synthesizeLongStack(stackName = 'LongStack', outdir?: string): Record<string, any> {
  const app = newApp(outdir);
  const stack = new Stack(app, stackName, { env: { account: '123456789012', region: 'us-east-1' } });
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: 'arn:aws:es:us-east-1:123456789012:domain/search-one',
    domainEndpoint: 'https://search-one-abc123.us-east-1.es.amazonaws.com',
  });
  const long = new DomainPackageAssociation(stack, 'Long', { domain, packageId: 'F111111111', timeout: Duration.hours(3) });
  new DomainPackageAssociation(stack, 'After', { domain, packageId: 'F222222222' }).node.addDependency(long);
  return synthesize(app).getStackByName(stackName).template;
}
