/**
 * `npm run deploy:local`: deploys a CDK app's OpenSearch packages, plugin lookups and package
 * associations on the local packages-API emulator, running the bundled handler from the cloud
 * assembly as Lambda would, with CloudFormation's order, concurrency and rollback, stack after
 * stack in dependency order (stack-phases.ts), cross-stack references resolved (cross-stack.ts).
 * The handler reads its stack from a CloudFormation emulator serving the players' live views.
 * See USAGE in cli-options.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import { AssociationView, BlueGreenDeployment, PackageRecord, PackagesApiEmulator } from '../emulator/packages-api-emulator';
import { AssemblyStack, playedStacks, readCloudAssembly } from './cloud-assembly';
import { CliOptions, parseCliOptions, USAGE } from './cli-options';
import { crossStackReferences } from './cross-stack';
import { BusyDomain, EmulatorFixture, fixtureFromStacks, readFixture } from './emulator-fixture';
import { messageOf } from './error-message';
import { withLambdaEnvironment } from './lambda-environment';
import { plannedPlacements, PlannedResources, ResourcePlanner } from './planned-resources';
import type { Output } from './progress-table';
import { countByName, OperationRecord, renderSummary } from './run-summary';
import { playPhases, SUCCESS } from './stack-phases';
import { StackRun } from './stack-run';
import { ensureHandlerBundle, synthesizeApp } from './synthesize-app';

export interface MainOptions {
  /** Where cdk.json is, and where .deploy-local/ goes. Default: the current directory. */
  readonly projectDir?: string;
}

/** What a run leaves behind, for tests: the emulator's final state and each stack operation. */
export interface RunResult {
  readonly exitCode: number;
  /** Settled associations per emulated domain at the end of the run. */
  readonly associations: Readonly<Record<string, AssociationView[]>>;
  /** Every package of the emulated account at the end of the run, as DescribePackages lists it. */
  readonly packages: readonly PackageRecord[];
  /** The blue/green deployments of each emulated domain during the run, in the order they started. */
  readonly blueGreens: Readonly<Record<string, BlueGreenDeployment[]>>;
  readonly operations: readonly OperationRecord[];
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], out: Output = process.stdout, mainOptions: MainOptions = {}): Promise<number> {
  return (await deployLocal(argv, out, mainOptions)).exitCode;
}

export async function deployLocal(argv: string[], out: Output, mainOptions: MainOptions = {}): Promise<RunResult> {
  const failed = (exitCode: number): RunResult => ({ exitCode, associations: {}, packages: [], blueGreens: {}, operations: [] });
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    out.write(`${messageOf(error)}\n\n${USAGE}`);
    return failed(2);
  }
  if (options.help) {
    out.write(USAGE);
    return failed(0);
  }
  try {
    return await deployLocally(options, out, path.resolve(mainOptions.projectDir ?? process.cwd()));
  } catch (error) {
    out.write(`\ndeploy:local failed: ${messageOf(error)}\n`);
    return failed(1);
  }
}

interface Assemblies {
  readonly create: AssemblyStack[];
  readonly update?: AssemblyStack[];
  readonly synthMs?: number;
}

async function deployLocally(options: CliOptions, out: Output, projectDir: string): Promise<RunResult> {
  const started = Date.now();
  const workDir = path.join(projectDir, '.deploy-local');
  fs.mkdirSync(workDir, { recursive: true });
  const assemblies = await prepareAssemblies(options, projectDir, workDir, out);
  const stacks = [...assemblies.create, ...(assemblies.update ?? [])];
  const planner = new ResourcePlanner(stacks);
  const fixture = options.fixture ? readFixture(options.fixture) : fixtureFromStacks(stacks);
  const packages = await startEmulator(fixture, options, planner.planAll());
  const handlerLog = path.join(workDir, 'handler.log');
  const records: OperationRecord[] = [];
  // Every stack of the run: CloudFormation shows each to the handler as it is at this moment, and each reads the others' outputs.
  const runs = new Map<string, StackRun>();
  let cloudFormation: CloudFormationApiEmulator | undefined;
  try {
    cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [...runs.values()].map((run) => run.player.stackView()) });
    out.write(`Packages-API emulator on ${packages.endpoint}: ${fixtureText(fixture)}\n`
      + `CloudFormation emulator on ${cloudFormation.endpoint}: the stacks below, as ListStackResources and DescribeStacks show them\n`);
    const crossStack = crossStackReferences(() => [...runs.values()].map((run) => run.player.outputs()));
    for (const stack of stacks) {
      if (!runs.has(stack.name)) {
        runs.set(stack.name, new StackRun(stack, {
          scale: options.scale, timeoutScale: options.timeoutScale, crossStack, packages, cloudFormation, domains: fixture.domains, assembly: stacks,
        }));
      }
    }
    await withLambdaEnvironment({ opensearch: packages.endpoint, cloudFormation: cloudFormation.endpoint }, handlerLog, async () => {
      records.push(...await playPhases(assemblies, options.destroy, { runs, planner, out }));
    });
  } finally {
    await Promise.all([packages.close(), cloudFormation?.close()]);
  }
  const domains = fixture.domains.map((name) => ({ name, associations: packages.associations(name), blueGreens: packages.blueGreenDeployments(name) }));
  out.write(renderSummary({
    operations: records,
    outputs: [...runs.values()].flatMap((run) => run.player.outputs() ?? []),
    domains,
    packages: packages.packages(),
    appPackages: appPackageNames(planner.planAll()),
    totalRequests: countByName(packages.requests.map((request) => request.operation)),
    totalCloudFormationRequests: countByName(cloudFormation?.requests.map((request) => request.action) ?? []),
    totalMs: Date.now() - started,
    synthMs: assemblies.synthMs,
    handlerLog: path.relative(process.cwd(), handlerLog) || handlerLog,
  }));
  return writeResult(options, {
    exitCode: records.every((record) => SUCCESS.has(record.outcome.status)) ? 0 : 1,
    associations: Object.fromEntries(domains.map((domain) => [domain.name, domain.associations])),
    packages: packages.packages(),
    blueGreens: Object.fromEntries(domains.map((domain) => [domain.name, domain.blueGreens])),
    operations: records,
  });
}

function writeResult(options: CliOptions, result: RunResult): RunResult {
  if (options.resultJson) {
    fs.writeFileSync(options.resultJson, `${JSON.stringify(result, undefined, 2)}\n`);
  }
  return result;
}

/** The cloud assemblies to deploy: given with --app / --update, or synthesized from cdk.json (both at once). */
async function prepareAssemblies(options: CliOptions, projectDir: string, workDir: string, out: Output): Promise<Assemblies> {
  const started = Date.now();
  const wanted = [
    options.app === undefined && { name: 'cdk.out', context: options.context },
    options.updateContext && { name: 'cdk.update.out', context: { ...options.context, ...options.updateContext } },
  ].filter((item): item is { name: string; context: Record<string, string> } => Boolean(item));
  if (wanted.length > 0) {
    if (ensureHandlerBundle(projectDir)) {
      out.write('Bundled the handler: lambda/ changed since the last build\n');
    }
    const dirs = wanted.map((item) => path.relative(process.cwd(), path.join(workDir, item.name)));
    out.write(`Synthesizing the cdk.json app into ${dirs.join(' and ')}\n`);
    await Promise.all(wanted.map((item) => synthesizeApp(projectDir, path.join(workDir, item.name), item.context)));
  }
  const createDir = options.app ?? path.join(workDir, 'cdk.out');
  const updateDir = options.update ?? (options.updateContext && path.join(workDir, 'cdk.update.out'));
  return {
    create: stacksToPlay(createDir),
    update: updateDir ? stacksToPlay(updateDir) : undefined,
    synthMs: wanted.length > 0 ? Date.now() - started : undefined,
  };
}

function stacksToPlay(dir: string): AssemblyStack[] {
  const stacks = playedStacks(readCloudAssembly(dir));
  if (stacks.length === 0) {
    throw new Error(`no stack in ${dir} has a Custom::OpenSearch… resource (an association, package or package lookup)`);
  }
  return stacks;
}

async function startEmulator(fixture: EmulatorFixture, options: CliOptions, planned: PlannedResources): Promise<PackagesApiEmulator> {
  const emulator = await PackagesApiEmulator.start({
    domains: fixture.domains,
    packages: fixture.packages,
    awsPackages: fixture.awsPackages,
    s3Objects: fixture.s3Objects,
    // COPYING, then VALIDATING: each half of --package-ms.
    copyMs: fixture.copyMs ?? options.packageMs / 2,
    validationMs: fixture.validationMs ?? options.packageMs / 2,
    associationMs: fixture.associationMs ?? options.associationMs,
    dissociationMs: fixture.dissociationMs ?? options.dissociationMs,
    blueGreenMs: fixture.blueGreenMs ?? options.blueGreenMs,
    listLagMs: fixture.listLagMs ?? 0,
  });
  try {
    fixture.associations?.forEach((seed) => emulator.seedAssociation(seed.domain, seed.packageId, seed));
    armFailures(emulator, options.fail, planned);
    keepBusy(emulator, [...(fixture.busy ?? []), ...options.busy], fixture.domains);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return emulator;
}

/**
 * `--fail`: for a package id, its first association fails on every domain the templates associate
 * it with; for the name of a package of the templates, its first validation (create or update) fails.
 */
function armFailures(emulator: PackagesApiEmulator, targets: string[], planned: PlannedResources): void {
  for (const target of targets) {
    const domains = new Set(plannedPlacements(planned).filter((placement) => placement.packageId === target).map((placement) => placement.domain));
    const isPackageName = planned.packages.some((pkg) => pkg.name === target);
    if (domains.size === 0 && !isPackageName) {
      throw new Error(`--fail ${target}: no association of that package id, and no package of that name, in the template`);
    }
    domains.forEach((domain) => emulator.failNextAssociation(domain, target, 'SimulatedFailure', `association failed on purpose (--fail ${target})`));
    if (isPackageName) {
      emulator.failNextValidation(target, 'SimulatedFailure', `validation failed on purpose (--fail ${target})`);
    }
  }
}

/** `--busy` and the fixture's `busy`: a configuration change on each domain, from now. */
function keepBusy(emulator: PackagesApiEmulator, busy: BusyDomain[], domains: string[]): void {
  for (const { domain, ms } of busy) {
    if (!domains.includes(domain)) {
      throw new Error(`cannot keep ${domain} busy: the emulator has no such domain (domains: ${domains.join(', ')})`);
    }
    emulator.startConfigurationChange(domain, ms);
  }
}

/** The names of the packages and AWS-owned plugins the stacks declare. */
function appPackageNames(planned: PlannedResources): string[] {
  return [...new Set([...planned.packages, ...planned.lookups].map((pkg) => pkg.name))];
}

/** What the emulator starts with. */
function fixtureText(fixture: EmulatorFixture): string {
  const aws = fixture.awsPackages ?? [];
  const objects = fixture.s3Objects ?? [];
  return [
    `domains ${fixture.domains.join(', ') || 'none'}`,
    `packages ${fixture.packages.map((pkg) => `${pkg.id} (${pkg.type})`).join(', ') || 'none'}`,
    ...(aws.length > 0 ? [`AWS-owned plugins ${aws.map((pkg) => `${pkg.name} (${pkg.engineVersion})`).join(', ')}`] : []),
    ...(objects.length > 0 ? [`S3 objects ${objects.map((object) => `s3://${object.bucket}/${object.key}`).join(', ')}`] : []),
  ].join('; ');
}


if (require.main === module) {
  // The SDK's notice about future Node.js versions is not this tool's business.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => `${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning') || process.stderr.write(`${warning.name}: ${warning.message}\n`));
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
