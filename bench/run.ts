/**
 * `npm run bench`: every measurement in one run, then bench/results.json and BENCHMARKS.md.
 *
 *   tsx bench/run.ts [--repeats N] [--only template,synth,handler,deploy,blue-green]
 *
 * --repeats sets the deploy, synth and cold-load repeats (default 5, 7, 7); the blue/green case
 * runs half the deploy repeats, rounded up.
 * --only runs a subset and prints its figures without writing any file.
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { BlueGreenResult, runBlueGreenBenchmark } from './blue-green-benchmark';
import { DeployResult, DeployScenario, prepareDeployBench, runColdDeploy, runDeployBenchmark } from './deploy-benchmark';
import { runHandlerBenchmark } from './handler-benchmark';
import { describeMachine } from './machine';
import { checkTargets, DeployResults, RESULTS_FILE, BENCHMARKS_FILE, writeResults } from './report';
import { requestsPerAssociation } from './requests-benchmark';
import { round } from './stats';
import { runSynthBenchmark } from './synth-benchmark';
import { removeScratch } from './synthesize';
import { runTemplateBenchmark } from './template-benchmark';

const PARTS = ['template', 'handler', 'synth', 'deploy', 'blue-green'] as const;
type Part = typeof PARTS[number];

/** The scenario: each association takes T = 1 s in the emulator. */
export const HEADLINE: DeployScenario = { name: 'T = 1 s', description: 'each association takes 1 s in the emulator', associationMs: 1000 };

/**
 * Where T ends between two polls decides how long the waiter takes to see it:
 * T moved across one query interval, in quarters.
 */
export const PHASE_SWEEP: DeployScenario[] = [1025, 1050, 1075].map((associationMs) => ({
  name: `T = ${associationMs / 1000} s`,
  description: `phase sweep: T moved ${associationMs - HEADLINE.associationMs} ms off the headline's`,
  associationMs,
}));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  const selected = (part: Part) => args.only.includes(part);
  const output: Record<string, unknown> = {};

  log(`bench: ${args.only.join(', ')}; repeats deploy ${args.repeats.deploy}, synth ${args.repeats.synth}, handler ${args.repeats.handler}`);
  try {
    let templates: ReturnType<typeof runTemplateBenchmark> | undefined;
    if (selected('template') || selected('handler')) {
      log('template: synthesizing 1, 10 and 100 associations with each construct');
      templates = runTemplateBenchmark();
      output.template = templates.results;
    }
    if (selected('handler')) {
      log('handler: cold module loads in fresh node processes');
      output.handler = runHandlerBenchmark(templates!.smallest, args.repeats.handler);
    }
    if (selected('synth')) {
      log('synth: timing app.synth() for 1 and 100 associations');
      output.synth = runSynthBenchmark(args.repeats.synth);
    }
    if (selected('deploy')) {
      const bench = prepareDeployBench();
      const coldRepeats = Math.max(1, Math.ceil(args.repeats.deploy / 2));
      log(`deploy: ${HEADLINE.name} with a freshly loaded handler module, ${coldRepeats} runs`);
      const cold = await runColdDeploy(bench, HEADLINE.associationMs, coldRepeats);
      log(`  cold: ${cold.wallSeconds.median.toFixed(2)} s (ideal ${cold.idealSeconds.toFixed(2)} s)`);
      log(`deploy: ${HEADLINE.name}, ${args.repeats.deploy} runs`);
      const headline = await runDeployBenchmark(bench, HEADLINE, args.repeats.deploy, log);
      const sweepRepeats = Math.max(1, Math.ceil(args.repeats.deploy / 2));
      const phaseSweep: DeployResult[] = [];
      for (const scenario of PHASE_SWEEP) {
        log(`deploy: ${scenario.name}, ${sweepRepeats} runs`);
        phaseSweep.push(await runDeployBenchmark(bench, scenario, sweepRepeats, log));
      }
      output.deploy = { headline, cold, phaseSweep };
      output.requestsPerAssociation = requestsPerAssociation(headline);
    }
    if (selected('blue-green')) {
      const repeats = Math.max(1, Math.ceil(args.repeats.deploy / 2));
      log(`blue-green: 5 single associations against one DomainPackages (create, add a plugin, delete), ${repeats} runs each`);
      output.blueGreen = await runBlueGreenBenchmark(repeats, log);
    }
  } finally {
    removeScratch();
  }

  const durationSeconds = (performance.now() - started) / 1000;
  if (PARTS.some((part) => !selected(part))) {
    log(JSON.stringify(output, (key, value) => (key === 'runs' ? `[${(value as unknown[]).length} runs]` : value), 2));
    return;
  }
  const deploy = output.deploy as DeployResults;
  const requests = output.requestsPerAssociation as ReturnType<typeof requestsPerAssociation>;
  const template = output.template as ReturnType<typeof runTemplateBenchmark>['results'];
  const blueGreen = output.blueGreen as BlueGreenResult;
  const targets = checkTargets(deploy.headline, requests, template, blueGreen);
  writeResults({
    generatedAt: new Date().toISOString(),
    machine: describeMachine(),
    loadAverage1m: { start: round(loadAtStart, 2), end: round(os.loadavg()[0], 2) },
    repeats: args.repeats,
    durationSeconds: Math.round(durationSeconds),
    deploy,
    requestsPerAssociation: requests,
    blueGreen,
    template,
    synth: output.synth as any,
    handler: output.handler as any,
    targets,
  });
  for (const t of targets) {
    log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.metric}: ${t.measured} (target ${t.target})`);
  }
  log(`wrote ${RESULTS_FILE} and ${BENCHMARKS_FILE} in ${durationSeconds.toFixed(0)} s`);
}

function parseArgs(argv: string[]): { repeats: { deploy: number; synth: number; handler: number }; only: Part[] } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const repeats = value('--repeats');
  const n = repeats === undefined ? undefined : Number(repeats);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
    throw new Error(`--repeats: '${repeats}' must be a whole number >= 1`);
  }
  const only = (value('--only')?.split(',') ?? [...PARTS]) as Part[];
  const unknown = only.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  }
  return { repeats: { deploy: n ?? 5, synth: n ?? 7, handler: n ?? 7 }, only };
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
