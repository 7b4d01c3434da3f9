import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { EXAMPLE_DEFAULTS, ExampleStack } from '../../bin/example-stack';
import { PROVIDER_ID } from '../../lib/association-provider';
import { NAG_METADATA_KEY, supportsScopedAcknowledge } from '../../lib/provider-acknowledgements';

/*
 * Version gates. The lock file installs the newest aws-cdk-lib and cdk-nag 3; scripts/check-cdk-range.sh runs
 * test/construct and test/example again on the peer range's floor (aws-cdk-lib 2.195.0) with cdk-nag 2.x, which
 * is what apps on such a release use (cdk-nag 3 needs aws-cdk-lib 2.257.0). The cdk-nag tests run on both
 * (`awsSolutionsReport` drives either major); the few assertions about `Validations` metadata run only where
 * the library writes it (`itIfScopedAcknowledge`). A test in provider-acknowledgements.test.ts fails if the
 * lock file's versions would skip anything.
 */

/** Whether the installed aws-cdk-lib scopes `Validations.acknowledge` (2.271.0+): the library acknowledges with it there. */
export const SCOPED_ACKNOWLEDGE = supportsScopedAcknowledge();

/** The installed cdk-nag's major version: 3 from the lock file, 2 where check-cdk-range.sh installs it for the floor. */
export const CDK_NAG_MAJOR = Number((require('cdk-nag/package.json') as { version: string }).version.split('.')[0]);

/** `test`, or `test.skip` where the installed aws-cdk-lib has no scoped `Validations.acknowledge` (below 2.271.0). */
export const itIfScopedAcknowledge: jest.It = SCOPED_ACKNOWLEDGE ? test : test.skip;

/**
 * aws-cdk-lib's `Validations` (2.2xx; aws-cdk-lib 2.220.0 has none), typed here so the tests compile on the floor.
 * Only defined where the library uses it.
 */
export interface ValidationsApi {
  readonly ACKNOWLEDGED_RULES_METADATA_KEY: string;
  of(scope: IConstruct): { addPlugins(...plugins: unknown[]): void };
}
export const Validations: ValidationsApi | undefined = (cdk as unknown as { Validations?: ValidationsApi }).Validations;

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
 * Synthesizes `stack`'s app with cdk-nag's AwsSolutions checks and reports its findings: with cdk-nag 3
 * registered as a validation plugin (the AwsSolutions part of the cloud assembly's validation report), with
 * cdk-nag 2 as an aspect (what its loggers report; it suppresses from the resources' `cdk_nag` metadata).
 */
export function awsSolutionsReport(stack: Stack): NagReport {
  return CDK_NAG_MAJOR >= 3 ? awsSolutionsReportV3(stack) : awsSolutionsReportV2(stack);
}

/** cdk-nag's `AwsSolutionsChecks` constructor as either major declares it (v3: `(scope, props)`, v2: `(props)`). */
const AwsSolutionsChecks = (cdkNag as unknown as { AwsSolutionsChecks: new (...args: unknown[]) => unknown }).AwsSolutionsChecks;

function awsSolutionsReportV3(stack: Stack): NagReport {
  const app = stack.node.root as App;
  if (!Validations || !SCOPED_ACKNOWLEDGE) {
    throw new Error('cdk-nag 3 runs here on an aws-cdk-lib without scoped Validations.acknowledge: use cdk-nag 2.x (check-cdk-range.sh does)');
  }
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

/** One finding as cdk-nag 2.x's loggers report it. */
interface NagLoggerData {
  readonly resource: CfnResource;
  readonly ruleId: string;
  readonly findingId?: string;
  readonly suppressionReason?: string;
  readonly ruleLevel: string;
}

function awsSolutionsReportV2(stack: Stack): NagReport {
  const app = stack.node.root as App;
  const open: NagFinding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const below = (c: IConstruct) => c.node.path.slice(stack.node.path.length + 1);
  const rule = (data: NagLoggerData) => (data.findingId ? `${data.ruleId}[${data.findingId}]` : data.ruleId);
  const ignore = () => undefined;
  const collector = {
    onNonCompliance: (data: NagLoggerData) => open.push({ rule: rule(data), path: below(data.resource) }),
    onSuppressed: (data: NagLoggerData) => acknowledged.push({
      rule: rule(data),
      path: below(data.resource),
      // cdk-nag 2.x reads suppressions from the resource itself only.
      acknowledgedAt: below(data.resource),
      // A granular suppression's reason comes prefixed with its finding: `[Resource::*] reason`.
      reason: (data.suppressionReason ?? '').replace(/^\[[^\]]*\] /, ''),
    }),
    // A rule that could not read the resource (e.g. a runtime that is a Fn::FindInMap): open unless suppressed as
    // `CdkNagValidationFailure` applying to that rule.
    onError: (data: NagLoggerData) => open.push({ rule: data.ruleId, path: below(data.resource) }),
    onSuppressedError: (data: NagLoggerData & { errorSuppressionReason: string }) => acknowledged.push({
      rule: `CdkNagValidationFailure[${data.ruleId}]`,
      path: below(data.resource),
      acknowledgedAt: below(data.resource),
      reason: data.errorSuppressionReason.replace(/^\[[^\]]*\] /, ''),
    }),
    onCompliance: ignore,
    onNotApplicable: ignore,
  };
  Aspects.of(app).add(new AwsSolutionsChecks({ additionalLoggers: [collector] }) as cdk.IAspect);
  const assembly = app.synth();
  // cdk-nag 2.x reports an open error finding as an error annotation, which fails `cdk synth`.
  const synthFailed = assembly.stacks.some((s) => s.messages.some((m) => m.level === 'error'));
  const sorted = <T extends NagFinding>(findings: T[]) => [...findings].sort((a, b) => `${a.path} ${a.rule}`.localeCompare(`${b.path} ${b.rule}`));
  return { synthFailed, open: sorted(open), acknowledged: sorted(acknowledged) };
}

/**
 * The cdk-nag 2.x suppressions the library wrote on `scope`'s CloudFormation resources (`cdk_nag` metadata), as
 * rule ids with their finding (`AwsSolutions-IAM5[Resource::*]`), each once.
 */
export function nagSuppressionsUnder(scope: IConstruct): string[] {
  const rules = scope.node.findAll().filter(CfnResource.isCfnResource)
    .flatMap((resource) => (resource.getMetadata(NAG_METADATA_KEY)?.rules_to_suppress ?? []) as { id: string; applies_to?: string[] }[])
    .flatMap(({ id, applies_to: appliesTo }) => (appliesTo ? appliesTo.map((finding) => `${id}[${finding}]`) : [id]));
  return [...new Set(rules)];
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

/** The handler may pass the stack's `KeyRole…` role to OpenSearch Service, and to no other service. */
export function expectKeyRolePassedToOpenSearch(template: Template): void {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([{
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeyRole'), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'es.amazonaws.com' } },
      }]),
    },
  });
}
