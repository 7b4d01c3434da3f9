/**
 * The closing summary of a local deploy: each stack operation's outcome and request counts (the
 * packages API, and the handler's reads of its stack), the stacks' outputs, the app's packages as
 * each emulated account and region lists them, what is associated on each emulated domain (named
 * with its environment when the app spans several), and the total time.
 */
import type { StackOutcome } from './cloudformation-player';
import { seconds } from './progress-table';
import type { AssociationView, BlueGreenDeployment, PackageRecord } from '../emulator/packages-api-emulator';

export interface OperationRecord {
  readonly stackName: string;
  /** create, update or destroy */
  readonly action: string;
  readonly outcome: StackOutcome;
  /** Resource operations the handler finished (completed or failed), rollback included. */
  readonly resourceOperations: number;
  /** Whether they were all of one kind (all association creates, all package deletes…): then requests per operation mean something. */
  readonly uniform: boolean;
  /** Requests the packages-API emulator received during the operation, by API operation. */
  readonly requests: Readonly<Record<string, number>>;
  /** Requests the CloudFormation emulator received for this stack (the handler reading it), by action. */
  readonly cloudFormationRequests: Readonly<Record<string, number>>;
  /** Blue/green deployments the operation started, by domain (domains with none left out). */
  readonly blueGreens: Readonly<Record<string, number>>;
  /**
   * Stacks of the same account and region whose operations ran at the same time: their emulator
   * cannot tell whose a request is, so `requests` counts theirs too.
   */
  readonly concurrentWith?: readonly string[];
}

/** One Step Functions execution of the run, once ended. */
export interface ExecutionSummary {
  readonly name: string;
  /** SUCCEEDED, FAILED, ABORTED (its state machine deleted), ... */
  readonly status: string;
  readonly durationMs: number;
  /** Task invocations: calls of the step function. */
  readonly stepCalls: number;
  /** Step Functions' error and cause, when it failed. */
  readonly error?: string;
}

/** A deployed stack's outputs at the end of the run, as `cdk deploy` prints them. */
export interface StackOutputsSummary {
  readonly stackName: string;
  readonly values: ReadonlyMap<string, string>;
}

export interface SummaryInput {
  readonly operations: readonly OperationRecord[];
  readonly domains: ReadonlyArray<{
    /** As the output names it: with its environment when the run has several. */
    readonly name: string;
    /** The key of its account and region in `packages`. */
    readonly environment: string;
    readonly associations: AssociationView[];
    /** The domain's blue/green deployments during the run; none listed when absent. */
    readonly blueGreens?: readonly BlueGreenDeployment[];
  }>;
  /**
   * Every package of each emulated account and region (DescribePackages), by environment
   * (`aws://<account>/<region>`): names the domains' packages; ids are unique within one only.
   */
  readonly packages: Readonly<Record<string, readonly PackageRecord[]>>;
  /** The names of the packages and AWS-owned plugins the app declares: listed with their status and version, per environment. */
  readonly appPackages?: readonly string[];
  readonly outputs?: readonly StackOutputsSummary[];
  /** Every request of the run, by operation (the records' counts may overlap). */
  readonly totalRequests: Readonly<Record<string, number>>;
  readonly totalCloudFormationRequests: Readonly<Record<string, number>>;
  /** The Step Functions executions of the run (long waits), in the order they started; none listed when absent or empty. */
  readonly executions?: readonly ExecutionSummary[];
  /** What the stacks removed but CloudFormation kept (DeletionPolicy Retain), as `<type> <logical id> (<stack>)`; none listed when empty. */
  readonly retained?: readonly string[];
  readonly totalMs: number;
  readonly synthMs?: number;
  readonly handlerLog?: string;
}

export function renderSummary(input: SummaryInput): string {
  return [
    '',
    'Summary',
    ...input.operations.flatMap(operationLines),
    ...outputLines(input.outputs ?? []),
    ...(input.appPackages?.length ? ['', 'Packages of the app (DescribePackages):', ...appPackageLines(input.appPackages, input.packages)] : []),
    '',
    'Packages on the emulated domains (ListPackagesForDomain):',
    ...input.domains.flatMap((domain) => domainLines(domain.name, domain.associations, input.packages[domain.environment] ?? [])),
    ...blueGreenLines(input.domains),
    '',
    `Requests to the packages API: ${requestsText(input.totalRequests)}`,
    `Requests to the CloudFormation API: ${requestsText(input.totalCloudFormationRequests)}`,
    ...executionLines(input.executions ?? []),
    ...(input.retained?.length ? [`Left in the account (DeletionPolicy Retain): ${input.retained.length}`, ...input.retained.map((line) => `  ${line}`)] : []),
    `Total time: ${seconds(input.totalMs)}${input.synthMs !== undefined ? ` (synthesis ${seconds(input.synthMs)})` : ''}`,
    ...(input.handlerLog ? [`Handler logs (CloudWatch Logs on AWS): ${input.handlerLog}`] : []),
    '',
  ].join('\n');
}

function operationLines(record: OperationRecord): string[] {
  const count = record.resourceOperations;
  const shared = record.concurrentWith?.length ? ` (${record.concurrentWith.join(', ')} ran at the same time: theirs included)` : '';
  const perResource = count > 0 && record.uniform && !shared
    ? `; per resource operation: ${Object.entries(record.requests).map(([op, n]) => `${(n / count).toFixed(1)} ${op}`).join(', ')}`
    : '';
  return [
    `  ${record.action.padEnd(8)} ${record.stackName}  ${record.outcome.status} in ${seconds(record.outcome.elapsedMs)}`,
    `           ${count} resource operation(s), requests${shared}: ${requestsText(record.requests)}${perResource}`,
    ...(Object.keys(record.cloudFormationRequests).length > 0 ? [`           reads of the stack: ${requestsText(record.cloudFormationRequests)}`] : []),
    ...(Object.keys(record.blueGreens).length > 0
      ? [`           blue/green deployments${shared}: ${Object.entries(record.blueGreens).map(([domain, n]) => `${domain} ${n}`).join(', ')}`]
      : []),
    ...record.outcome.failures.map((failure) => `           failed: ${failure.logicalId}: ${failure.reason}`),
  ];
}

/** The app's packages in each environment: under a line naming it when there are several. */
function appPackageLines(names: readonly string[], packages: SummaryInput['packages']): string[] {
  const environments = Object.entries(packages);
  if (environments.length === 1) {
    return packageLines(names, environments[0][1]);
  }
  return environments.flatMap(([environment, held]) => [`  ${environment}:`, ...packageLines(names, held).map((line) => `  ${line}`)]);
}

/** Each named package's id, name (type, owner), status and newest available version; a name nobody holds is gone. */
function packageLines(names: readonly string[], packages: readonly PackageRecord[]): string[] {
  const rows = names.map((name) => {
    const held = packages.find((pkg) => pkg.name === name);
    if (!held) {
      return ['-', name, 'none (deleted, or never created)', '', ''];
    }
    const owner = held.owner === 'AWS' ? ', AWS' : '';
    return [held.id, `${held.name} (${held.type}${owner})`, held.status, held.availableVersion ?? '-', held.errorDetails ? `${held.errorDetails.errorType}: ${held.errorDetails.errorMessage}` : ''];
  });
  return table(rows).map((line) => `  ${line}`.trimEnd());
}

function domainLines(domain: string, associations: AssociationView[], packages: readonly PackageRecord[]): string[] {
  if (associations.length === 0) {
    return [`  ${domain}  (no packages)`];
  }
  const rows = associations.map((association) => {
    const pkg = packages.find((candidate) => candidate.id === association.packageId);
    const prerequisites = association.prerequisites.length > 0 ? `needs ${association.prerequisites.join(', ')}` : '';
    const failure = association.errorDetails ? `${association.errorDetails.errorType}: ${association.errorDetails.errorMessage}` : '';
    return [association.packageId, `${pkg?.name ?? '?'} (${pkg?.type ?? '?'})`, association.status, association.version, prerequisites || failure];
  });
  return table(rows).map((line, i) => `  ${i === 0 ? domain : ''.padEnd(domain.length)}  ${line}`.trimEnd());
}

/**
 * Each domain's blue/green deployments over the run, e.g. for the example app: `search-example: 1 blue/green
 * deployment (association pkg-0a1b2c3d4e5f6a7b8 + pkg-1b2c3d4e5f6a7b8c9 + G84480727)`.
 */
function blueGreenLines(domains: SummaryInput['domains']): string[] {
  const counted = domains.filter((domain) => domain.blueGreens !== undefined);
  if (counted.length === 0) {
    return [];
  }
  return [
    '',
    'Blue/green deployments (each operation that (dis)associates a plugin, license or configuration):',
    ...counted.map(({ name, blueGreens = [] }) => {
      const operations = blueGreens.map((deployment) => `${deployment.kind} ${deployment.packageIds.join(' + ')}`);
      const count = `${blueGreens.length} blue/green deployment${blueGreens.length === 1 ? '' : 's'}`;
      return `  ${name}: ${count}${operations.length > 0 ? ` (${operations.join('; ')})` : ''}`;
    }),
  ];
}

/** A count of the run's executions and step calls, then one line per execution: name, status, duration. */
function executionLines(executions: readonly ExecutionSummary[]): string[] {
  if (executions.length === 0) {
    return [];
  }
  const calls = executions.reduce((total, execution) => total + execution.stepCalls, 0);
  const rows = executions.map((execution) => [execution.name, execution.status, seconds(execution.durationMs), `${execution.stepCalls} step call(s)`]);
  return [
    `Step Functions executions: ${executions.length}, step calls: ${calls}`,
    ...table(rows).map((line, i) => `  ${line}${executions[i].error ? `  ${executions[i].error}` : ''}`.trimEnd()),
  ];
}

/** Rows of cells, each column padded to its widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, j) => cell.padEnd(widths[j])).join('  '));
}

function outputLines(outputs: readonly StackOutputsSummary[]): string[] {
  const lines = outputs.flatMap((stack) => [...stack.values].map(([name, value]) => `  ${stack.stackName}.${name} = ${value}`));
  return lines.length > 0 ? ['', 'Outputs:', ...lines] : [];
}

function requestsText(requests: Readonly<Record<string, number>>): string {
  const entries = Object.entries(requests).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return total === 0 ? 'none' : `${total} (${entries.map(([op, n]) => `${op} ${n}`).join(', ')})`;
}

/** How many times each name occurs: requests by operation. */
export function countByName(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  names.forEach((name) => (counts[name] = (counts[name] ?? 0) + 1));
  return counts;
}
