import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { EXAMPLE_DEFAULTS, ExampleStack } from '../../bin/example-stack';
import { PROVIDER_ID } from '../../lib/association-provider';

export const RESOURCE_TYPE = 'Custom::OpenSearchPackageAssociation';

/** A DomainPackages' resource type. */
export const SET_RESOURCE_TYPE = 'Custom::OpenSearchDomainPackages';

export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App(), id);
}

/** An imported domain with a literal name, as most users have. */
export function importedDomain(stack: Stack, name: string, id = `Domain-${name}`): opensearch.IDomain {
  return opensearch.Domain.fromDomainAttributes(stack, id, {
    domainArn: `arn:aws:es:us-east-1:123456789012:domain/${name}`,
    domainEndpoint: `https://search-${name}-abc123.us-east-1.es.amazonaws.com`,
  });
}

/** The associations' resources, by logical id. */
export function associations(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources(RESOURCE_TYPE);
}

/** The package sets' (DomainPackages) resources, by logical id. */
export function packageSets(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources(SET_RESOURCE_TYPE);
}

/** The one association resource whose PackageID is `packageId` (a string, or an intrinsic such as `{ Ref }`), with its logical id. */
export function associationOf(stack: Stack, packageId: unknown): { logicalId: string; resource: any } {
  const wanted = JSON.stringify(packageId);
  const found = Object.entries(associations(stack)).filter(([, r]) => JSON.stringify(r.Properties.PackageID) === wanted);
  if (found.length !== 1) {
    throw new Error(`expected one association of ${wanted}, found ${found.length}`);
  }
  const [logicalId, resource] = found[0];
  return { logicalId, resource };
}

/** The stack-wide provider's construct, found by the id `AssociationProvider.getOrCreate` gives it. */
export function providerOf(stack: Stack): IConstruct {
  return stack.node.findChild(PROVIDER_ID);
}

/** How many resources of `type` the stack's template holds. */
export function countOf(stack: Stack, type: string): number {
  return Object.keys(Template.fromStack(stack).findResources(type)).length;
}

/** A Domain defined in `stack`: its name and ARN are tokens until deploy time. */
export function definedDomain(stack: Stack, id = 'Search'): opensearch.Domain {
  return new opensearch.Domain(stack, id, { version: opensearch.EngineVersion.OPENSEARCH_2_19 });
}

/** The example stack as bin/example-app.ts builds it when no context overrides its defaults. */
export function exampleStack(app = new App()): ExampleStack {
  return new ExampleStack(app, 'OpenSearchPackagesExample', EXAMPLE_DEFAULTS);
}

/** One cdk-nag finding: the rule (with its finding id) and the path of the construct it is on, below the stack. */
export interface NagFinding {
  readonly rule: string;
  readonly path: string;
}

/** An acknowledged finding, with where the acknowledgement was made and why. */
export interface AcknowledgedFinding extends NagFinding {
  readonly acknowledgedAt: string;
  readonly reason: string;
}

export interface NagReport {
  /** Whether `app.synth()` threw, as it does on any open finding. */
  readonly synthFailed: boolean;
  /** Findings nothing acknowledges. */
  readonly open: NagFinding[];
  /** Findings an acknowledgement suppresses. */
  readonly acknowledged: AcknowledgedFinding[];
}

/**
 * Synthesizes `stack`'s app with cdk-nag's AwsSolutions checks registered as
 * cdk-nag v3 expects (a validation plugin, not an aspect) and returns the
 * AwsSolutions part of the cloud assembly's validation report.
 */
export function awsSolutionsReport(stack: Stack): NagReport {
  const app = stack.node.root as App;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) {
    throw synthError ?? new Error(`no validation report in ${app.outdir}`);
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const nag = report.pluginReports.find((plugin: any) => plugin.pluginName === 'AwsSolutions');
  const below = (constructPath: string) => constructPath.slice(stack.node.path.length + 1);
  const findings = (violations: any[]) => violations.flatMap((violation) => violation.violatingConstructs
    .map((c: any) => ({ violation, rule: violation.ruleName, path: below(c.constructPath) })));
  return {
    synthFailed: synthError !== undefined,
    open: findings(nag.violations).map(({ rule, path: at }) => ({ rule, path: at })),
    acknowledged: findings(nag.suppressedViolations ?? []).map(({ violation, rule, path: at }) => ({
      rule, path: at, acknowledgedAt: below(violation.acknowledgedAt), reason: violation.reason,
    })),
  };
}

/** The message `action` throws; fails the test when it throws nothing. */
export function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, got none');
}
