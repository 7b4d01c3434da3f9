/**
 * The stack operations of a run over an app's stacks, in the order `cdk deploy --all` and
 * `cdk destroy --all` give them: the create, then the update (a second assembly), then the
 * deletion (--destroy). In each phase a stack starts once the stacks it depends on are done (a
 * deletion: once the stacks that depend on it are gone), independent stacks at the same time; after
 * a failure no other stack starts. A stack whose create failed takes no part in later phases, and
 * the update skips a stack whose template did not change, as `cdk deploy` does ("no changes"):
 * a value it reads from another stack may have changed, but CloudFormation is not asked to look.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AssemblyStack } from './cloud-assembly';
import { runScheduled } from './dependency-scheduler';
import type { PlannedResources, ResourcePlanner } from './planned-resources';
import { Output, PlannedRow, ProgressTable } from './progress-table';
import type { OperationRecord } from './run-summary';
import type { StackAction, StackRun } from './stack-run';

export const SUCCESS: ReadonlySet<string> = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE']);

export interface PhaseContext {
  /** Every stack of the run (of both assemblies), by name. */
  readonly runs: ReadonlyMap<string, StackRun>;
  readonly planner: ResourcePlanner;
  readonly out: Output;
}

/** One stack's operation in a phase. */
interface Job {
  readonly run: StackRun;
  readonly action: StackAction;
  /** The stack to deploy; none for a deletion. */
  readonly stack?: AssemblyStack;
  /** Names of the stacks that must be done first. */
  readonly after: readonly string[];
  /** Where the table's planned rows come from: the template deployed first, then the one it replaces. */
  readonly templates: readonly AssemblyStack[];
  /** An update of an unchanged template: reported, not played. */
  readonly unchanged?: boolean;
}

/** The create, the update when there is a second assembly, and the deletion when asked. */
export async function playPhases(
  assemblies: { readonly create: readonly AssemblyStack[]; readonly update?: readonly AssemblyStack[] },
  destroy: boolean,
  context: PhaseContext,
): Promise<OperationRecord[]> {
  const records = await playPhase('Create', createJobs(assemblies.create, context.runs), context);
  if (assemblies.update) {
    const created = new Set(assemblies.create.map((stack) => stack.name));
    records.push(...await playPhase('Update', updateJobs(assemblies.update, created, context.runs), context));
  }
  if (destroy) {
    records.push(...await playPhase('Destroy', destroyJobs(context.runs), context));
  }
  return records;
}

function createJobs(stacks: readonly AssemblyStack[], runs: ReadonlyMap<string, StackRun>): Job[] {
  return stacks.map((stack) => ({ run: runs.get(stack.name)!, action: 'create', stack, after: stack.dependsOn, templates: [stack] }));
}

/** Stacks deployed by the create are updated; stacks new in the second assembly are created. */
function updateJobs(stacks: readonly AssemblyStack[], created: ReadonlySet<string>, runs: ReadonlyMap<string, StackRun>): Job[] {
  return stacks.flatMap((stack): Job[] => {
    const run = runs.get(stack.name)!;
    if (run.deployed) {
      const unchanged = isDeepStrictEqual(stack.template, run.deployed.template);
      return [{ run, action: 'update', stack, after: stack.dependsOn, templates: [stack, run.deployed], unchanged }];
    }
    return created.has(stack.name) ? [] : [{ run, action: 'create', stack, after: stack.dependsOn, templates: [stack] }];
  });
}

/** Every deployed stack, after the deployed stacks that depend on it. */
function destroyJobs(runs: ReadonlyMap<string, StackRun>): Job[] {
  const deployed = [...runs.values()].filter((run) => run.deployed);
  return deployed.map((run) => ({
    run,
    action: 'destroy',
    after: deployed.filter((other) => other.deployed!.dependsOn.includes(run.name)).map((other) => other.name),
    templates: [run.deployed!],
  }));
}

async function playPhase(verb: string, all: readonly Job[], context: PhaseContext): Promise<OperationRecord[]> {
  all.filter((job) => job.unchanged).forEach((job) => context.out.write(`\n${job.run.name}: no changes (cdk deploy skips an unchanged template)\n`));
  const jobs = all.filter((job) => !job.unchanged);
  if (jobs.length === 0) {
    return [];
  }
  const table = new ProgressTable(context.out);
  table.beginStacks(`${verb} ${jobs.map((job) => job.run.title).join(', ')}`, jobs.map((job) => ({
    stackName: job.run.name,
    planned: plannedRows(job.templates.map((stack) => context.planner.plan(stack))),
  })));
  const played: TimedRecord[] = [];
  const result = await runScheduled(jobs.map((job) => ({
    id: job.run.name,
    after: new Set(job.after),
    run: async () => {
      const startedAt = Date.now();
      const record = await job.run.play(job.action, job.stack, table.stackStarted(job.run.name));
      played.push({ record, environment: job.run.environment, startedAt, endedAt: Date.now() });
      if (!SUCCESS.has(record.outcome.status)) {
        throw new Error(`${job.run.name}: ${record.outcome.status}`);
      }
    },
  })));
  table.end();
  result.skipped.forEach((name) => context.out.write(`${name}: not started, another stack's operation failed\n`));
  return played.map((entry) => withConcurrent(entry, played));
}

interface TimedRecord {
  readonly record: OperationRecord;
  /** The stack's account and region: only stacks of one environment share an emulator, and so request counts. */
  readonly environment: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * The record, with the stacks of its environment whose operations overlapped it: their packages-API
 * requests are counted in both (another environment's go to another emulator).
 */
function withConcurrent(entry: TimedRecord, played: readonly TimedRecord[]): OperationRecord {
  const concurrentWith = played
    .filter((other) => other !== entry && other.environment === entry.environment)
    .filter((other) => other.startedAt < entry.endedAt && entry.startedAt < other.endedAt)
    .map((other) => other.record.stackName);
  return concurrentWith.length > 0 ? { ...entry.record, concurrentWith } : entry.record;
}

/** A row per played resource of the templates (the first template's first), in template order. */
function plannedRows(plans: readonly PlannedResources[]): PlannedRow[] {
  const rows = new Map<string, PlannedRow>();
  for (const plan of plans) {
    const planned: PlannedRow[] = [
      ...plan.packages.map((pkg) => ({ logicalId: pkg.logicalId, domain: '', packageId: '', packageName: pkg.name })),
      ...plan.lookups.map((lookup) => ({ logicalId: lookup.logicalId, domain: '', packageId: '', packageName: lookup.name })),
      ...plan.associations.map((pair) => ({ logicalId: pair.logicalId, domain: pair.domain, packageId: pair.packageId ?? '' })),
      // Complete only when every id is known before the deploy: else the first event's label fills it in.
      ...plan.packageSets.map((set) => ({
        logicalId: set.logicalId,
        domain: set.domain,
        packageId: set.entries.every((entry) => entry.packageId !== undefined) ? set.entries.map((entry) => entry.packageId).join(' + ') : '',
      })),
    ];
    planned.forEach((row) => rows.has(row.logicalId) || rows.set(row.logicalId, row));
  }
  return [...rows.values()];
}
