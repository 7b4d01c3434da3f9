/**
 * Writes bench/results.json (every figure, with the machine) and the summary
 * tables of BENCHMARKS.md. Nothing here is a measurement: it only arranges them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BlueGreenResult, PHASES, SET_BLUE_GREENS, SET_CREATE_LIMIT } from './blue-green-benchmark';
import { BLUE_GREEN_LABELS, BLUE_GREEN_VARIANTS } from './blue-green-stack';
import type { ColdDeploy, DeployResult } from './deploy-benchmark';
import type { HandlerRow } from './handler-benchmark';
import type { MachineInfo } from './machine';
import { OPERATIONS, RequestsResult } from './requests-benchmark';
import { round, Summary } from './stats';
import { SynthResults, WARMUP_ROUNDS } from './synth-benchmark';
import { VARIANT_LABELS, VARIANTS } from './synthesize';
import { BYTES_PER_ASSOCIATION_LIMIT, TemplateResults } from './template-benchmark';

export interface TargetCheck {
  readonly metric: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface DeployResults {
  /** The issue's scenario, handler warm. */
  readonly headline: DeployResult;
  /** The first deploy after the handler module was loaded. */
  readonly cold: ColdDeploy;
  /** T moved across one query interval. */
  readonly phaseSweep: DeployResult[];
}

export interface BenchResults {
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  /** Other work on the machine skews timings: the 1-minute load average when the run started and ended. */
  readonly loadAverage1m: { readonly start: number; readonly end: number };
  readonly repeats: { readonly deploy: number; readonly synth: number; readonly handler: number };
  readonly durationSeconds: number;
  readonly deploy: DeployResults;
  readonly requestsPerAssociation: RequestsResult;
  readonly blueGreen: BlueGreenResult;
  readonly template: TemplateResults;
  readonly synth: SynthResults;
  readonly handler: HandlerRow[];
  readonly targets: TargetCheck[];
}

const ROOT = path.join(__dirname, '..');
export const RESULTS_FILE = path.join(__dirname, 'results.json');
export const BENCHMARKS_FILE = path.join(ROOT, 'BENCHMARKS.md');

export function checkTargets(deploy: DeployResult, requests: RequestsResult, template: TemplateResults, blueGreen: BlueGreenResult): TargetCheck[] {
  const construct = template.construct;
  const functionCounts = [...new Set(construct.rows.map((r) => r.lambdaFunctions))].join(', ');
  const perAssociation = (op: string) => requests.perAssociation[op].median;
  return [
    {
      metric: 'deploy ratio (wall / ideal)',
      target: `<= ${deploy.target.limit.toFixed(2)}`,
      measured: `${deploy.ratio.toFixed(3)} (${deploy.wallSeconds.median.toFixed(2)} s / ${deploy.idealSeconds.toFixed(2)} s, T = ${sec(deploy.scenario.associationMs)})`,
      met: deploy.target.met,
    },
    {
      metric: 'requests per association',
      target: '1 read before the call + 1 AssociatePackage + 1 list page per poll, no more',
      measured: `${perAssociation('AssociatePackage')} AssociatePackage + ${perAssociation('ListPackagesForDomain')} ListPackagesForDomain for ${requests.pollsPerAssociation.median} polls (median); `
        + `${requests.matchingTarget}/${requests.associations} associations exact, ${requests.wastedPolls} wasted polls`,
      met: requests.target.met,
    },
    {
      metric: 'Lambda functions, 1 -> 100 associations',
      target: 'constant',
      measured: `${construct.rows.map((r) => r.lambdaFunctions).join(' / ')} (${functionCounts === String(construct.rows[0].lambdaFunctions) ? 'constant' : 'grows'})`,
      met: construct.constantFunctionCount,
    },
    {
      metric: 'template bytes per extra association',
      target: `< ${BYTES_PER_ASSOCIATION_LIMIT} B`,
      measured: `${construct.bytesPerExtraAssociation} B`,
      met: construct.bytesPerExtraAssociation < BYTES_PER_ASSOCIATION_LIMIT,
    },
    ...blueGreenTargets(blueGreen),
  ];
}

/** (b) one blue/green per create, add and delete, in every run; its create within SET_CREATE_LIMIT blue/greens of its call; (a) reported. */
function blueGreenTargets(b: BlueGreenResult): TargetCheck[] {
  const set = b.variants.set.phases;
  const single = b.variants.associations.phases;
  const counts = (phases: typeof set) => PHASES.map((phase) => range(phases[phase].blueGreens)).join(' / ');
  const create = set.create.fromWriteInBlueGreens;
  return [
    {
      metric: 'blue/greens per create / add / delete, DomainPackages (b)',
      target: `${SET_BLUE_GREENS} / ${SET_BLUE_GREENS} / ${SET_BLUE_GREENS} (every run)`,
      measured: `${counts(set)} (single associations (a): ${counts(single)})`,
      met: PHASES.every((phase) => set[phase].blueGreens.min === SET_BLUE_GREENS && set[phase].blueGreens.max === SET_BLUE_GREENS),
    },
    {
      metric: '(b) create: accepted AssociatePackages to completed create',
      target: `<= ${SET_CREATE_LIMIT.toFixed(2)} x one blue/green (median)`,
      measured: `${range(create, 3)} x ${sec(b.scenario.blueGreenMs)}; handler start apart: ${range(set.create.handlerStartMs)} ms (cold module)`,
      met: create.median <= SET_CREATE_LIMIT,
    },
    {
      metric: '(a) create against (b) create, wall time',
      target: 'about 5 x (reported)',
      measured: `${b.createSpeedup} x (${single.create.wallSeconds.median.toFixed(2)} s / ${set.create.wallSeconds.median.toFixed(2)} s); `
        + `(a) from its first accepted AssociatePackage: ${single.create.fromWriteInBlueGreens.median.toFixed(3)} x one blue/green`,
      met: true,
    },
  ];
}

export function writeResults(results: BenchResults): void {
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(BENCHMARKS_FILE, renderMarkdown(results));
}

function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const headline = r.deploy.headline;
  const cold = r.deploy.cold;
  const deploys = [headline, ...r.deploy.phaseSweep];
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/report.ts) from bench/results.json: edit the generator, not this file. -->',
    '',
    `Measured ${r.generatedAt.slice(0, 10)} on ${m.os} (${m.arch}), ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, `
      + `Node ${m.node}, aws-cdk-lib ${m.awsCdkLib}, @aws-sdk/client-opensearch ${m.awsSdkClientOpenSearch}; `
      + `1-minute load average ${r.loadAverage1m.start} at the start, ${r.loadAverage1m.end} at the end. `
      + `Medians of ${r.repeats.deploy} deploys, ${r.repeats.synth} synths and ${r.repeats.handler} cold loads per case; `
      + `the whole run took ${Math.round(r.durationSeconds)} s. Every figure is in [bench/results.json](bench/results.json).`,
    '',
    'Run it with `npm run bench` (builds first; not part of `npm test`). Each deploy runs the handler bundle from the synthesized',
    'cloud assembly, loaded by the functions\' `Handler` names, through the CloudFormation player (`local/`: dependency order,',
    'independent resources at once, isComplete at once after onEvent and then every query interval, like the provider\'s waiter)',
    'against the packages-API emulator. The alternative is one `AwsCustomResource` per association calling associatePackage /',
    'dissociatePackage with a policy from the SDK calls (bench/alternative-stack.ts), built in the same run.',
    '',
    '## Targets',
    '',
    table(['metric', 'target', 'measured', 'met'], r.targets.map((t) => [t.metric, t.target, t.measured, t.met ? 'met' : '**not met**'])),
    '',
    '## deploy',
    '',
    `${headline.scenario.domains} domains x ${headline.scenario.associationsPerDomain} packages (a plugin, its license with the plugin as`
      + ' prerequisite, two dictionaries); each association takes T in the emulator. The provider\'s query interval'
      + ` (${headline.scenario.providerQueryIntervalSeconds} s, read from the waiter state machine) is divided by ${headline.scenario.timeScale}:`
      + ` ${headline.scenario.queryIntervalMs} ms. Ideal = for each domain, the sum over its associations of (T + one query interval);`
      + ' domains in parallel; the longest domain.',
    '',
    table(
      ['scenario', 'wall s', 'ideal s', 'ratio', 'detection lag ms', 'isComplete call ms', 'polls per association', 'domain start spread ms', 'one operation per domain at a time'],
      [
        ...deploys.map((d, i) => [
          i === 0 ? `**${d.scenario.name}**` : `${d.scenario.name} (phase sweep)`,
          range(d.wallSeconds, 2),
          d.idealSeconds.toFixed(2),
          d.ratio.toFixed(3),
          range(d.detectionLagMs),
          range(d.pollCallMs),
          range(d.pollsPerAssociation),
          range(d.domainStartSpreadMs),
          d.serialPerDomain ? 'yes' : 'no',
        ]),
        [`${sec(cold.associationMs)}, handler module freshly loaded`, range(cold.wallSeconds, 2), cold.idealSeconds.toFixed(2), cold.ratio.toFixed(3), '-', '-', '-', '-', '-'],
      ],
    ),
    '',
    'Where the last domain\'s time went (median ms over the runs; the columns add up to the wall time):',
    '',
    table(
      ['scenario', 'service (T per association)', 'detection (ACTIVE to the list request that saw it)', 'handler calls (onEvent to AssociatePackage, detecting poll)', 'scheduling and tail', 'sum', 'ideal'],
      deploys.map((d) => {
        const c = d.criticalPathMs;
        return [d.scenario.name, String(c.service), String(c.detection), String(c.handler), String(c.scheduling),
          String(c.service + c.detection + c.handler + c.scheduling), String(Math.round(d.idealSeconds * 1000))];
      }),
    ),
    '',
    ...blueGreenSection(r.blueGreen),
    '## requests per association',
    '',
    `${r.requestsPerAssociation.associations} associations over the ${headline.runs.length} runs of "${headline.scenario.name}"; median (min-max) per association.`,
    '',
    table(
      [...OPERATIONS, 'isComplete polls', 'polls after ACTIVE that missed it'],
      [[...OPERATIONS.map((op) => range(r.requestsPerAssociation.perAssociation[op])), range(r.requestsPerAssociation.pollsPerAssociation),
        String(r.requestsPerAssociation.wastedPolls)]],
    ),
    '',
    '## template',
    '',
    table(
      ['associations', ...VARIANTS.flatMap((v) => [`${short(v)} bytes`, 'functions', 'state machines', 'resources'])],
      r.template.construct.rows.map((row, i) => [
        String(row.associations),
        ...VARIANTS.flatMap((v) => {
          const x = r.template[v].rows[i];
          return [String(x.bytes), String(x.lambdaFunctions), String(x.stateMachines), String(x.resources)];
        }),
      ]),
    ),
    '',
    `Bytes per extra association (1 to ${r.template.construct.rows[r.template.construct.rows.length - 1].associations}): `
      + `${VARIANTS.map((v) => `${short(v)} ${r.template[v].bytesPerExtraAssociation} B`).join(', ')}.`,
    '',
    '## synth',
    '',
    `Median ms of \`app.synth()\` (new App to cloud assembly written) in a warm process: ${WARMUP_ROUNDS} untimed rounds over all cases, then per case ${WARMUP_ROUNDS} untimed synths before the timed ones; min-max in brackets.`,
    '',
    table(
      ['associations', ...VARIANTS.map(short)],
      r.synth.construct.map((row, i) => [String(row.associations), ...VARIANTS.map((v) => range(r.synth[v][i].ms))]),
    ),
    '',
    '## handler',
    '',
    'Bundle = the function\'s asset folder in the cloud assembly. Cold load = `require()` of the file the `Handler` names, in a fresh `node` process.',
    '',
    table(
      ['code', 'functions', 'bundle bytes', 'cold load ms', 'first call also requires (ms)', 'cold load + that, ms'],
      r.handler.map((h) => [
        h.name,
        String(h.functions.length),
        String(h.bundleBytes),
        h.coldLoadMs ? range(h.coldLoadMs) : 'not measured',
        h.firstCallRequire ? `${h.firstCallRequire.module} (${range(h.firstCallRequire.ms)})` : '-',
        h.coldLoadMs ? String(round(h.coldLoadMs.median + (h.firstCallRequire?.ms.median ?? 0))) : '-',
      ]),
    ),
    '',
    ...r.handler.filter((h) => h.note).map((h) => `- ${h.note}`),
    '',
    '## Findings',
    '',
    ...findings(r).map((f) => `- ${f}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The blue/green case: per variant and phase, what the domain went through. */
function blueGreenSection(b: BlueGreenResult): string[] {
  const s = b.scenario;
  const realMinutes = (seconds: number) => round((seconds * s.timeScale) / 60, 1);
  const set = b.variants.set;
  return [
    '## blue/green deployments: DomainPackages against single associations',
    '',
    `One domain with ${s.packages.join(', ')}; the update adds ${s.added}; then the stack is deleted. Every package operation that`
      + ' (dis)associates a plugin, license or configuration is one blue/green deployment of the domain in the emulator, taking'
      + ` ${sec(s.blueGreenMs)}; the query interval is ${s.providerQueryIntervalSeconds} s / ${s.timeScale} = ${s.queryIntervalMs} ms, so one blue/green`
      + ` stands for ${realMinutes(s.blueGreenMs / 1000)} min (a small domain takes 15 min or more) and lasts`
      + ` ${round(s.blueGreenMs / s.queryIntervalMs, 0)} query intervals. Each run starts with a freshly loaded handler module (a cold`
      + ` container); ${set.runs.length} runs per variant, median (min-max).`,
    '',
    table(
      ['variant', 'phase', 'blue/greens on the domain', 'wall s', 'at real scale, min', 'first accepted write to done, in blue/greens', 'accepted package writes', 'onEvent to first accepted write, ms'],
      BLUE_GREEN_VARIANTS.flatMap((variant) => PHASES.map((phase) => {
        const p = b.variants[variant].phases[phase];
        return [
          phase === 'create' ? BLUE_GREEN_LABELS[variant] : '',
          phase,
          range(p.blueGreens),
          range(p.wallSeconds, 2),
          String(realMinutes(p.wallSeconds.median)),
          range(p.fromWriteInBlueGreens, 3),
          Object.entries(p.writes).map(([op, n]) => `${op} ${n}`).join(', '),
          range(p.handlerStartMs),
        ];
      })),
    ),
    '',
    `Handler cold start, apart: require() of the bundle ${range(set.moduleLoadMs)} ms in this process; then the create's onEvent`
      + ` reached the service (its read of the domain, then AssociatePackages) ${range(set.phases.create.handlerStartMs)} ms after it started`
      + ` (cold), against ${range(set.phases.add.handlerStartMs)} ms for the warm update.`,
    '',
  ];
}

/** What the figures say, in sentences built from them. */
function findings(r: BenchResults): string[] {
  const h = r.deploy.headline;
  const sweep = [h, ...r.deploy.phaseSweep];
  const q = h.scenario.queryIntervalMs;
  const lags = sweep.map((d) => d.detectionLagMs);
  const worst = sweep.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const req = r.requestsPerAssociation;
  const c = r.template.construct;
  const a = r.template.alternative;
  const crossover = crossoverAssociations(r.template);
  const ours = r.handler.find((x) => x.variant === 'construct' && x.coldLoadMs);
  const theirs = r.handler.find((x) => x.variant === 'alternative');
  const cold = r.deploy.cold;
  const maxLag = Math.max(...lags.map((l) => l.max));
  const maxCall = Math.max(...sweep.map((d) => d.pollCallMs.max));
  const spread = h.domainStartSpreadMs.median;
  const providerIntervalMs = h.scenario.providerQueryIntervalSeconds * 1000;
  const out = [
    (h.serialPerDomain && spread < q ? 'No serialisation across domains' : 'Serialisation across domains')
      + `: the ${h.scenario.domains} domains' first onEvent calls start within ${spread} ms of each other (median),`
      + ` and within a domain ${h.serialPerDomain ? 'no operation overlaps the previous one' : 'operations overlapped'} (the`
      + ' DependsOn chain the construct writes, which the service needs: one package operation per domain at a time). All the gaps'
      + ` between one association completing and the next starting on the last domain add up to ${h.criticalPathMs.scheduling} ms (median).`,
    `Detection: the waiter waits the interval after each isComplete call returns, so the poll period is ${q} ms plus one call`
      + ` (${h.pollCallMs.median} ms median here); ACTIVE is seen ${lags.map((l) => l.median).join(' / ')} ms later (median) for T = `
      + `${sweep.map((d) => sec(d.scenario.associationMs)).join(' / ')}, at most ${maxLag} ms: `
      + (maxLag <= q + maxCall
        ? 'never more than one interval plus one call, which is what the ideal allows per association.'
        : `more than one interval plus one call (${q + maxCall} ms): polls were late.`)
      + ` The worst phase gives ratio ${worst.ratio.toFixed(3)} (${worst.scenario.name}); besides T and detection, the last domain spent`
      + ` ${worst.criticalPathMs.handler} ms in the handler's calls. At real scale (${h.scenario.providerQueryIntervalSeconds} s interval,`
      + ' associations of minutes) the same arithmetic bounds the overhead by one interval plus one call per association.',
    'Cold handler: with a freshly loaded module, each domain\'s first AssociatePackage reaches the service'
      + ` ${cold.firstCallLatencyMs.median} ms (median, ${cold.firstCallLatencyMs.max} ms at most) after onEvent starts (the module's first SDK calls:`
      + ` client set-up and first connections, ${h.scenario.domains} at once), against ${cold.warmCallLatencyMs.median} ms once warm;`
      + ` the deploy takes ${cold.wallSeconds.median.toFixed(2)} s (ratio ${cold.ratio.toFixed(3)}). That is`
      + ` ${round(cold.firstCallLatencyMs.median / q, 1)} scaled query intervals here; in AWS it is a once-per-container Lambda cold start`
      + ` (${round(cold.firstCallLatencyMs.median / providerIntervalMs, 3)} of a real ${h.scenario.providerQueryIntervalSeconds} s interval).`,
    `Requests: every association sent ${req.perAssociation.AssociatePackage.median} AssociatePackage (median), one`
      + ' ListPackagesForDomain read before it (the entry as it was, so that the result is told from the state before it)'
      + ` and one page per poll (${req.matchingTarget} of ${req.associations} associations exactly so), and`
      + ` ${req.wastedPolls} polls started after ACTIVE missed it. The first poll can never find ACTIVE: the provider framework calls`
      + ` isComplete at once after onEvent, so 1 of the ${req.pollsPerAssociation.median} list pages per association (median) is spent`
      + ' before the service could have finished; only the framework could avoid it.',
    `Template: ${c.constantFunctionCount ? 'a constant' : 'a growing'} ${c.rows.map((row) => row.lambdaFunctions).join(' / ')} Lambda functions and`
      + ` ${c.rows.map((row) => row.stateMachines).join(' / ')} state machines for ${c.rows.map((row) => row.associations).join(' / ')} associations,`
      + ` ${c.bytesPerExtraAssociation} B per extra association (one custom resource each with its DependsOn on the previous one of`
      + ` its domain; one policy ARN per domain). The AwsCustomResource stack starts smaller (${a.rows[0].lambdaFunctions} function,`
      + ` ${a.rows[0].stateMachines} state machines, ${a.rows[0].bytes} B) but adds ${a.bytesPerExtraAssociation} B per association (a custom`
      + ' resource holding both SDK calls, and an IAM policy, each)'
      + (crossover === undefined ? '.' : `, so its template is the larger one from ${crossover} associations on.`),
  ];
  out.push(blueGreenFinding(r.blueGreen));
  if (ours?.coldLoadMs && theirs?.coldLoadMs) {
    const theirsTotal = round(theirs.coldLoadMs.median + (theirs.firstCallRequire?.ms.median ?? 0));
    out.push(`Handler: this library's bundle carries the OpenSearch client (${ours.bundleBytes} B) and loads in`
      + ` ${ours.coldLoadMs.median} ms; the AwsCustomResource handler (${theirs.bundleBytes} B) loads in ${theirs.coldLoadMs.median} ms and`
      + ` requires the runtime's client on its first call: ${theirsTotal} ms together. The construct's deploy path also runs the provider`
      + ` framework's functions (${r.handler.find((x) => x.name === 'provider framework')?.bundleBytes ?? '?'} B, not loadable here).`);
  }
  return out;
}

function blueGreenFinding(b: BlueGreenResult): string {
  const set = b.variants.set.phases;
  const single = b.variants.associations.phases;
  const counts = (phases: typeof set) => PHASES.map((phase) => `${phases[phase].blueGreens.median} ${phase === 'add' ? 'to add one' : `per ${phase}`}`).join(', ');
  const bg = b.scenario.blueGreenMs;
  const overheadMs = round((set.create.fromWriteInBlueGreens.median - 1) * bg, 0);
  return `Blue/green deployments: the domain's package set as one DomainPackages costs ${counts(set)}; as single associations`
    + ` ${counts(single)} (each association its own operation, chained on the domain), so the create takes ${b.createSpeedup} x as long`
    + ` (${single.create.wallSeconds.median.toFixed(2)} s against ${set.create.wallSeconds.median.toFixed(2)} s) and the delete`
    + ` ${round(single.delete.wallSeconds.median / set.delete.wallSeconds.median, 1)} x. From its accepted AssociatePackages, the set's create`
    + ` completes ${set.create.fromWriteInBlueGreens.median.toFixed(3)} blue/green times later: ${overheadMs} ms past the blue/green itself`
    + ` (${round(overheadMs / b.scenario.queryIntervalMs, 1)} query intervals: detection by the next poll, and the poll's own calls), which at real scale`
    + ` is about ${round((overheadMs / b.scenario.queryIntervalMs) * b.scenario.providerQueryIntervalSeconds, 0)} s on a deployment of 15 minutes or more.`;
}

/** The smallest association count from which the alternative's template is larger, on the measured lines. */
function crossoverAssociations(t: TemplateResults): number | undefined {
  const c = t.construct.rows[0];
  const a = t.alternative.rows[0];
  const slope = t.alternative.bytesPerExtraAssociation - t.construct.bytesPerExtraAssociation;
  if (slope <= 0) {
    return undefined;
  }
  return Math.max(1, Math.ceil(c.associations + (c.bytes - a.bytes) / slope));
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function range(s: Summary, digits?: number): string {
  const f = (x: number) => (digits === undefined ? String(x) : x.toFixed(digits));
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}-${f(s.max)})`;
}

function sec(ms: number): string {
  return `${ms / 1000} s`;
}

function short(variant: keyof typeof VARIANT_LABELS): string {
  return variant === 'construct' ? 'construct' : 'AwsCustomResource';
}
