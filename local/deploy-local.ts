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
import { CliOptions, parseCliOptions, USAGE } from './cli-options';
import { AssemblyStack, playedStacks, readCloudAssembly } from './cloud-assembly';
import { crossStackReferences } from './cross-stack';
import { closeEnvironments, domainLabel, EmulatedEnvironment, startEnvironments } from './emulated-environments';
import type { EmulatorFixture } from './emulator-fixture';
import { messageOf } from './error-message';
import { withLambdaEnvironment } from './lambda-environment';
import { PlannedResources, ResourcePlanner } from './planned-resources';
import type { Output } from './progress-table';
import { countByName, OperationRecord, renderSummary } from './run-summary';
import { environmentName } from './stack-environment';
import { playPhases, SUCCESS } from './stack-phases';
import { StackRun } from './stack-run';
import { ensureHandlerBundle, synthesizeApp } from './synthesize-app';
import { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import type { AssociationView, BlueGreenDeployment, PackageRecord } from '../emulator/packages-api-emulator';
import { RetainedResource, RetainedResources } from '../emulator/retained-resources';
import { StepFunctionsApiEmulator } from '../emulator/step-functions-api-emulator';

export interface MainOptions {
  /** Where cdk.json is, and where .deploy-local/ goes. Default: the current directory. */
  readonly projectDir?: string;
}

/** What a run leaves behind, for tests: the emulator's final state and each stack operation. */
export interface RunResult {
  readonly exitCode: number;
  /**
   * Settled associations per emulated domain at the end of the run, by domain name, or by
   * `aws://<account>/<region>/<domain>` when the stacks deploy to more than one environment.
   */
  readonly associations: Readonly<Record<string, AssociationView[]>>;
  /** Every package of the emulated accounts at the end of the run, as DescribePackages lists them (every environment's). */
  readonly packages: readonly PackageRecord[];
  /** The same, per environment (`aws://<account>/<region>`): package ids are unique within one only. */
  readonly packagesByEnvironment: Readonly<Record<string, readonly PackageRecord[]>>;
  /** The blue/green deployments of each emulated domain during the run, in the order they started. */
  readonly blueGreens: Readonly<Record<string, BlueGreenDeployment[]>>;
  readonly operations: readonly OperationRecord[];
  /**
   * What the stacks removed but CloudFormation kept (DeletionPolicy Retain) at the end of the run,
   * once every Step Functions execution ended: the long waiter's clean-up deletes most of its own.
   */
  readonly retained: readonly RetainedResource[];
  /** The state machines left in the Step Functions emulator at the end of the run, by ARN. */
  readonly stateMachines: readonly string[];
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], out: Output = process.stdout, mainOptions: MainOptions = {}): Promise<number> {
  return (await deployLocal(argv, out, mainOptions)).exitCode;
}

export async function deployLocal(argv: string[], out: Output, mainOptions: MainOptions = {}): Promise<RunResult> {
  const failed = (exitCode: number): RunResult => ({
    exitCode, associations: {}, packages: [], packagesByEnvironment: {}, blueGreens: {}, operations: [], retained: [], stateMachines: [],
  });
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
  assertOneEnvironmentPerName(stacks);
  const planner = new ResourcePlanner(stacks);
  const environments = await startEnvironments(stacks, options, planner);
  const label = (environment: EmulatedEnvironment) => (domain: string) => domainLabel(environment, domain, environments);
  const handlerLog = path.join(workDir, 'handler.log');
  const records: OperationRecord[] = [];
  // Every stack of the run: CloudFormation shows each to the handler as it is at this moment, and each reads the others' outputs.
  const runs = new Map<string, StackRun>();
  let cloudFormation: CloudFormationApiEmulator | undefined;
  let stepFunctions: StepFunctionsApiEmulator | undefined;
  const retained = new RetainedResources();
  try {
    cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => [...runs.values()].map((run) => run.player.stackView()) });
    stepFunctions = await StepFunctionsApiEmulator.start();
    out.write(environments.map((environment) => `Packages-API emulator on ${environment.packages.endpoint}`
      + `${environments.length > 1 ? ` for ${environment.name}` : ''}: ${fixtureText(environment.fixture)}\n`).join('')
      + `CloudFormation emulator on ${cloudFormation.endpoint}: the stacks below, as ListStackResources and DescribeStacks show them\n`
      + `Step Functions emulator on ${stepFunctions.endpoint}: the stacks' state machines (long waits)\n`);
    const crossStack = crossStackReferences(() => [...runs.values()].map((run) => run.player.outputs()));
    for (const stack of stacks) {
      if (!runs.has(stack.name)) {
        const environment = environments.find((candidate) => candidate.name === environmentName(stack.environment))!;
        const title = environments.length > 1 ? `${stack.name} (${environment.name})` : stack.name;
        runs.set(stack.name, new StackRun(stack, {
          scale: options.scale,
          timeoutScale: options.timeoutScale,
          crossStack,
          environment,
          domainLabel: label(environment),
          title,
          cloudFormation,
          stepFunctions,
          assembly: stacks,
          retained,
        }));
      }
    }
    // The run-wide endpoint is the first environment's: each stack's functions get their own (StackRun).
    const endpoints = {
      opensearch: environments[0].packages.endpoint, cloudFormation: cloudFormation.endpoint, stepFunctions: stepFunctions.endpoint,
    };
    await withLambdaEnvironment(endpoints, handlerLog, async () => {
      records.push(...await playPhases(assemblies, options.destroy, { runs, planner, out }));
      // Executions outlive the stack operations that started them: the summary reports them ended.
      if (stepFunctions!.executions.all().some((execution) => execution.status === 'RUNNING')) {
        out.write('\nWaiting for the Step Functions executions still running\n');
      }
      await stepFunctions!.settled();
    });
  } finally {
    await Promise.all([closeEnvironments(environments), cloudFormation?.close(), stepFunctions?.close()]);
  }
  const domains = environments.flatMap((environment) => environment.fixture.domains.map((name) => ({
    name: label(environment)(name),
    associations: environment.packages.associations(name),
    blueGreens: environment.packages.blueGreenDeployments(name),
    environment: environment.name,
  })));
  const packages = Object.fromEntries(environments.map((environment) => [environment.name, environment.packages.packages()]));
  out.write(renderSummary({
    operations: records,
    outputs: [...runs.values()].flatMap((run) => run.player.outputs() ?? []),
    domains,
    packages,
    appPackages: appPackageNames(planner.planAll()),
    totalRequests: countByName(environments.flatMap((environment) => environment.packages.requests.map((request) => request.operation))),
    totalCloudFormationRequests: countByName(cloudFormation?.requests.map((request) => request.action) ?? []),
    executions: stepFunctions?.executions.all().map((execution) => ({
      name: execution.name,
      status: execution.status,
      durationMs: (execution.stopDate ?? Date.now()) - execution.startDate,
      stepCalls: execution.taskCalls,
      ...(execution.error && { error: `${execution.error}: ${execution.cause ?? ''}` }),
    })),
    retained: retained.list().map((entry) => `${entry.type} ${entry.logicalId} (${entry.stackName})`),
    totalMs: Date.now() - started,
    synthMs: assemblies.synthMs,
    handlerLog: path.relative(process.cwd(), handlerLog) || handlerLog,
  }));
  return writeResult(options, {
    exitCode: records.every((record) => SUCCESS.has(record.outcome.status)) ? 0 : 1,
    associations: Object.fromEntries(domains.map((domain) => [domain.name, domain.associations])),
    packages: Object.values(packages).flat(),
    packagesByEnvironment: packages,
    blueGreens: Object.fromEntries(domains.map((domain) => [domain.name, domain.blueGreens])),
    operations: records,
    retained: [...retained.list()],
    stateMachines: stepFunctions?.executions.stateMachines() ?? [],
  });
}

/**
 * The run names stacks by stack name, as the CloudFormation emulator and cross-stack references
 * do: two stacks of one name in two environments (possible on AWS) are refused rather than merged.
 */
function assertOneEnvironmentPerName(stacks: readonly AssemblyStack[]): void {
  for (const stack of stacks) {
    const other = stacks.find((candidate) =>
      candidate.name === stack.name && environmentName(candidate.environment) !== environmentName(stack.environment));
    if (other) {
      throw new Error(`stacks named ${stack.name} deploy to ${environmentName(stack.environment)} and ${environmentName(other.environment)}: deploy:local needs a stack name per stack (give one a stackName)`);
    }
  }
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
  // A rejection ends the process with its stack trace (Node's default), which is what a failed run should show.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
