/**
 * Runs jobs the way CloudFormation runs resource operations: each as soon as every job it
 * waits for has succeeded, independent ones at the same time; after the first failure no
 * new job starts, and the ones in flight are awaited.
 */

export interface Job {
  readonly id: string;
  /** Ids of jobs that must succeed first; ids that are not jobs are ignored. */
  readonly after: ReadonlySet<string>;
  run(): Promise<void>;
}

export interface ScheduleResult {
  readonly succeeded: ReadonlySet<string>;
  readonly failed: ReadonlyMap<string, Error>;
  /** Jobs never started, because of a failure. */
  readonly skipped: ReadonlySet<string>;
}

export interface ScheduleOptions {
  /** Keep starting independent jobs after a failure (CloudFormation's cleanup phase does). */
  readonly continueAfterFailure?: boolean;
  /** Called at each failure, while the jobs in flight still run (CloudFormation cancels its wait conditions then). */
  readonly onFailure?: (id: string) => void;
}

export async function runScheduled(jobs: readonly Job[], options: ScheduleOptions = {}): Promise<ScheduleResult> {
  const ids = new Set(jobs.map((job) => job.id));
  const pending = new Map(jobs.map((job) => [job.id, job]));
  const succeeded = new Set<string>();
  const failed = new Map<string, Error>();
  const running = new Map<string, Promise<void>>();

  const ready = (job: Job) => [...job.after].every((id) => !ids.has(id) || succeeded.has(id));
  const mayStart = () => failed.size === 0 || options.continueAfterFailure === true;

  for (;;) {
    if (mayStart()) {
      for (const job of [...pending.values()].filter(ready)) {
        pending.delete(job.id);
        running.set(job.id, start(job, succeeded, failed, running, options.onFailure));
      }
    }
    if (running.size === 0) {
      break;
    }
    await Promise.race(running.values());
  }
  assertNoCycle(pending, failed);
  return { succeeded, failed, skipped: new Set(pending.keys()) };
}

async function start(job: Job, succeeded: Set<string>, failed: Map<string, Error>, running: Map<string, Promise<void>>,
  onFailure?: (id: string) => void): Promise<void> {
  try {
    await job.run();
    succeeded.add(job.id);
  } catch (error) {
    failed.set(job.id, error instanceof Error ? error : new Error(String(error)));
    onFailure?.(job.id);
  } finally {
    running.delete(job.id);
  }
}

/** Jobs left over without any failure can only be waiting for each other. */
function assertNoCycle(pending: Map<string, Job>, failed: Map<string, Error>): void {
  if (pending.size > 0 && failed.size === 0) {
    throw new Error(`circular dependency between resources: ${[...pending.keys()].join(', ')}`);
  }
}
