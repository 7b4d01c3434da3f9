/**
 * `npm run deploy:local`: deploys a CDK app's OpenSearch packages, plugin lookups and package
 * associations on the local packages-API emulator, running the bundled handler from the cloud assembly as Lambda would, with
 * CloudFormation's order, concurrency and rollback. The handler reads its stack from a
 * CloudFormation emulator serving the players' live views. See USAGE in cli-options.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import { AssociationView, PackageRecord, PackagesApiEmulator } from '../emulator/packages-api-emulator';
import { AssemblyStack, playedStacks, readCloudAssembly } from './cloud-assembly';
import { CliOptions, parseCliOptions, USAGE } from './cli-options';
import { CloudFormationPlayer, CustomResourceHandlers, ProgressEvent, StackOutcome } from './cloudformation-player';
import { BusyDomain, EmulatorFixture, fixtureFromStacks, readFixture } from './emulator-fixture';
import { withLambdaEnvironment } from './lambda-environment';
import { findHandlerFunctions, loadHandlers } from './lambda-loader';
import { Output, PlannedRow, ProgressTable } from './progress-table';
import { isStackEvent } from './resource-operations';
import { OperationRecord, renderSummary } from './run-summary';
import { PlannedResources, ResourcePlanner } from './planned-resources';
import { ensureHandlerBundle, synthesizeApp } from './synthesize-app';
import { waiterTiming } from './waiter-timing';
import { messageOf } from './error-message';

const SUCCESS: ReadonlySet<string> = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE']);

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
  readonly operations: readonly OperationRecord[];
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], out: Output = process.stdout, mainOptions: MainOptions = {}): Promise<number> {
  return (await deployLocal(argv, out, mainOptions)).exitCode;
}

export async function deployLocal(argv: string[], out: Output, mainOptions: MainOptions = {}): Promise<RunResult> {
  const failed = (exitCode: number): RunResult => ({ exitCode, associations: {}, packages: [], operations: [] });
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

/** A run's emulators, and the players whose stacks the CloudFormation emulator serves. */
interface RunEmulators {
  readonly packages: PackagesApiEmulator;
  readonly cloudFormation: CloudFormationApiEmulator;
  readonly players: CloudFormationPlayer[];
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
  const emulator = await startEmulator(fixture, options, planner.planAll());
  const handlerLog = path.join(workDir, 'handler.log');
  const records: OperationRecord[] = [];
  // Every stack of the run, as CloudFormation shows it to the handler at this moment.
  const players: CloudFormationPlayer[] = [];
  let cloudFormation: CloudFormationApiEmulator | undefined;
  try {
    cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => players.map((player) => player.stackView()) });
    out.write(`Packages-API emulator on ${emulator.endpoint}: ${fixtureText(fixture)}\n`
      + `CloudFormation emulator on ${cloudFormation.endpoint}: the stacks below, as ListStackResources and DescribeStacks show them\n`);
    const emulators: RunEmulators = { packages: emulator, cloudFormation, players };
    await withLambdaEnvironment({ opensearch: emulator.endpoint, cloudFormation: cloudFormation.endpoint }, handlerLog, async () => {
      for (const stack of assemblies.create) {
        const update = assemblies.update?.find((candidate) => candidate.name === stack.name);
        records.push(...await playStack(stack, update, options, emulators, planner, out));
      }
    });
  } finally {
    await Promise.all([emulator.close(), cloudFormation?.close()]);
  }
  const domains = fixture.domains.map((name) => ({ name, associations: emulator.associations(name) }));
  out.write(renderSummary({
    operations: records,
    domains,
    packages: emulator.packages(),
    appPackages: appPackageNames(planner.planAll()),
    totalMs: Date.now() - started,
    synthMs: assemblies.synthMs,
    handlerLog: path.relative(process.cwd(), handlerLog) || handlerLog,
  }));
  return writeResult(options, {
    exitCode: records.every((record) => SUCCESS.has(record.outcome.status)) ? 0 : 1,
    associations: Object.fromEntries(domains.map((domain) => [domain.name, domain.associations])),
    packages: emulator.packages(),
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
    const domains = new Set(planned.associations.filter((pair) => pair.packageId === target).map((pair) => pair.domain));
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

/**
 * Create, then the update and --destroy when asked; a create that rolled back ends the stack's run.
 * The stack's player joins the players whose views the CloudFormation emulator serves.
 */
async function playStack(
  stack: AssemblyStack,
  update: AssemblyStack | undefined,
  options: CliOptions,
  emulators: RunEmulators,
  planner: ResourcePlanner,
  out: Output,
): Promise<OperationRecord[]> {
  const table = new ProgressTable(out);
  let handlers = loadStackHandlers(stack);
  const timing = waiterTiming(stack.template); // scaled by --scale
  // Resource operations by kind (verb and resource type): requests per operation only mean something for one kind.
  const kinds = new Map<string, number>();
  const player = new CloudFormationPlayer({
    // The update deploys the new assembly's handler code, as CloudFormation updates the functions first.
    handlers: { onEvent: (event) => handlers.onEvent(event), isComplete: (event) => handlers.isComplete(event) },
    queryIntervalMs: timing.queryIntervalMs * options.scale,
    totalTimeoutMs: timing.totalTimeoutMs * options.scale,
    // The handler's own limit on the same scale, so that it still gives up before the waiter.
    timeoutScale: options.timeoutScale,
    stackName: stack.name,
    onProgress: (event) => {
      if (isResourceOutcome(event, stack.name)) {
        const kind = `${event.status.split('_')[0]} ${event.packageName === undefined ? 'association' : 'package'}`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      table.onProgress(event);
    },
  });
  emulators.players.push(player);
  const play = async (action: string, templates: AssemblyStack[], run: () => Promise<StackOutcome>): Promise<OperationRecord> => {
    const { packages, cloudFormation } = emulators;
    const before = { packages: packages.requests.length, cloudFormation: cloudFormation.requests.length };
    kinds.clear();
    table.begin(stack.name, `${capitalize(action)} ${stack.name}`, plannedRows(planner, templates));
    const outcome = await run();
    table.end();
    return {
      stackName: stack.name,
      action,
      outcome,
      resourceOperations: sum(kinds.values()),
      uniform: kinds.size === 1,
      requests: countByName(packages.requests.slice(before.packages).map((request) => request.operation)),
      cloudFormationRequests: countByName(cloudFormation.requests.slice(before.cloudFormation).map((request) => request.action)),
    };
  };

  const records = [await play('create', [stack], () => player.deploy(stack.template))];
  let deployed = stack;
  if (records[0].outcome.status !== 'CREATE_COMPLETE') {
    return records;
  }
  if (update) {
    handlers = loadStackHandlers(update);
    const record = await play('update', [update, stack], () => player.deploy(update.template));
    records.push(record);
    deployed = record.outcome.status === 'UPDATE_COMPLETE' ? update : stack;
  }
  if (options.destroy) {
    records.push(await play('destroy', [deployed], () => player.destroy()));
  }
  return records;
}

function loadStackHandlers(stack: AssemblyStack): CustomResourceHandlers {
  return loadHandlers(findHandlerFunctions(stack.template, stack.assemblyDir));
}

/** A row per played resource of the templates (the new one's first), in template order. */
function plannedRows(planner: ResourcePlanner, templates: AssemblyStack[]): PlannedRow[] {
  const rows = new Map<string, PlannedRow>();
  for (const plan of templates.map((stack) => planner.plan(stack))) {
    const planned: PlannedRow[] = [
      ...plan.packages.map((pkg) => ({ logicalId: pkg.logicalId, domain: '', packageId: '', packageName: pkg.name })),
      ...plan.lookups.map((lookup) => ({ logicalId: lookup.logicalId, domain: '', packageId: '', packageName: lookup.name })),
      ...plan.associations.map((pair) => ({ logicalId: pair.logicalId, domain: pair.domain, packageId: pair.packageId ?? '' })),
    ];
    planned.forEach((row) => rows.has(row.logicalId) || rows.set(row.logicalId, row));
  }
  return [...rows.values()];
}

/** The names of the packages and AWS-owned plugins the stacks declare. */
function appPackageNames(planned: PlannedResources): string[] {
  return [...new Set([...planned.packages, ...planned.lookups].map((pkg) => pkg.name))];
}

function isResourceOutcome(event: ProgressEvent, stackName: string): boolean {
  return !isStackEvent(event, stackName) && /_(COMPLETE|FAILED)$/.test(event.status);
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

function countByName(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  names.forEach((name) => (counts[name] = (counts[name] ?? 0) + 1));
  return counts;
}

function sum(values: Iterable<number>): number {
  return [...values].reduce((total, value) => total + value, 0);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

if (require.main === module) {
  // The SDK's notice about future Node.js versions is not this tool's business.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => `${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning') || process.stderr.write(`${warning.name}: ${warning.message}\n`));
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
