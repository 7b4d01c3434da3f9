/**
 * Deploys the scenario of the issue (3 domains x 4 packages: a plugin, its
 * license listing the plugin as prerequisite, two dictionaries) with the
 * CloudFormation player, against the packages-API emulator where each
 * association takes T, and compares the wall time with the critical path.
 *
 * The handler is the bundle from the synthesized cloud assembly, loaded by the
 * functions' `Handler` names, as Lambda loads it. The query interval is the
 * provider's (read from the waiter state machine in the template) divided by
 * TIME_SCALE, so that T stands for T x TIME_SCALE of real time.
 */
import { performance } from 'perf_hooks';
import { AssociationTrace, HandlerTracer } from './deploy-trace';
import { DOMAIN_PACKAGES, domainsOf, planAssociations, PlannedAssociation, REGION } from './scenario';
import { median, round, summarize, Summary } from './stats';
import { lambdaCode, synthesize, Synthesized, SynthesizedStack } from './synthesize';
import { PackagesApiEmulator, RecordedRequest } from '../emulator/packages-api-emulator';
import { CloudFormationPlayer, CustomResourceHandlers } from '../local/cloudformation-player';
import { waiterTiming } from '../local/waiter-timing';

export const DEPLOY_DOMAINS = 3;
/** The provider's 10 s interval becomes 100 ms: T = 1 s stands for 100 s, a small dictionary. */
export const TIME_SCALE = 100;
export const RATIO_LIMIT = 1.1;

export interface DeployScenario {
  readonly name: string;
  readonly description: string;
  readonly associationMs: number;
}

/** What one association looked like in one run, in milliseconds from the deploy's start unless said otherwise. */
export interface AssociationTimeline {
  readonly logicalId: string;
  readonly domain: string;
  readonly packageId: string;
  readonly onEventStart: number;
  readonly associateArrival: number;
  /** When the emulator turns the association ACTIVE: arrival + T. */
  readonly activeAt: number;
  /** When the list request of the poll that saw ACTIVE reached the emulator. */
  readonly detectArrival: number;
  /** When that poll returned to the waiter. */
  readonly detectEnd: number;
  readonly polls: number;
  /** Median duration of one isComplete call: each adds to the poll period, since the waiter waits the interval after a call ends. */
  readonly pollCallMs: number;
  /** Polls that started after the association was ACTIVE and still answered "not complete". */
  readonly wastedPolls: number;
  readonly requests: Record<string, number>;
}

export interface DeployRun {
  readonly wallMs: number;
  readonly status: string;
  readonly associations: AssociationTimeline[];
  /** Latest minus earliest first-onEvent start over the domains: ~0 when domains start together. */
  readonly domainStartSpreadMs: number;
  /** Whether no two operations of one domain overlapped. */
  readonly serialPerDomain: boolean;
  /** The domain that finished last, its time split into what it was spent on. */
  readonly criticalPath: CriticalPath;
}

export interface CriticalPath {
  readonly domain: string;
  /** Service time: T per association. */
  readonly serviceMs: number;
  /** From ACTIVE to the poll that saw it, summed. */
  readonly detectionMs: number;
  /** onEvent start to AssociatePackage arrival, plus the detecting poll's own duration, summed. */
  readonly handlerMs: number;
  /** From one association's completion to the next one's onEvent (the player's scheduling), plus the tail. */
  readonly schedulingMs: number;
}

export interface DeployResult {
  readonly scenario: DeployScenario & {
    readonly domains: number;
    readonly associationsPerDomain: number;
    readonly queryIntervalMs: number;
    readonly providerQueryIntervalSeconds: number;
    readonly timeScale: number;
  };
  readonly wallSeconds: Summary;
  readonly idealSeconds: number;
  readonly ratio: number;
  readonly target: { readonly limit: number; readonly met: boolean };
  readonly criticalPathMs: { readonly service: number; readonly detection: number; readonly handler: number; readonly scheduling: number };
  /** From ACTIVE to the arrival of the list request that saw it, per association. */
  readonly detectionLagMs: Summary;
  readonly pollCallMs: Summary;
  readonly domainStartSpreadMs: Summary;
  readonly serialPerDomain: boolean;
  readonly pollsPerAssociation: Summary;
  readonly wastedPolls: number;
  readonly runs: DeployRun[];
}

/** The synthesized scenario stack and its handler module, shared by every deploy of the process. */
export interface DeployBench {
  readonly synthesized: Synthesized;
  readonly handlers: CustomResourceHandlers;
  readonly providerQueryIntervalSeconds: number;
  readonly queryIntervalMs: number;
  readonly maxAttempts: number;
  /** Associations per domain. */
  readonly perDomain: ReadonlyMap<string, number>;
}

/** The first deploy after the handler module was loaded: what a cold Lambda adds. */
export interface ColdDeploy {
  readonly associationMs: number;
  readonly wallSeconds: Summary;
  readonly idealSeconds: number;
  readonly ratio: number;
  /** onEvent start to AssociatePackage arrival, first association of each domain (the module's first SDK calls). */
  readonly firstCallLatencyMs: Summary;
  /** The same for every later association of that deploy. */
  readonly warmCallLatencyMs: Summary;
}

export function prepareDeployBench(): DeployBench {
  const associations = DEPLOY_DOMAINS * DOMAIN_PACKAGES.length;
  const synthesized = synthesize('construct', associations);
  const waiter = waiterTiming(synthesized.template as unknown as Record<string, unknown>);
  const perDomain = new Map<string, number>();
  planAssociations(associations).forEach((a) => perDomain.set(a.domainName, (perDomain.get(a.domainName) ?? 0) + 1));
  return {
    synthesized,
    handlers: loadHandlers(synthesized),
    providerQueryIntervalSeconds: waiter.queryIntervalMs / 1000,
    queryIntervalMs: waiter.queryIntervalMs / TIME_SCALE,
    maxAttempts: waiter.totalTimeoutMs / waiter.queryIntervalMs,
    perDomain,
  };
}

/**
 * The critical path: each domain's operations one after another, domains side
 * by side, each association costing T plus one query interval to be seen.
 */
export function idealMs(bench: DeployBench, associationMs: number): number {
  return Math.max(...[...bench.perDomain.values()].map((n) => n * (associationMs + bench.queryIntervalMs)));
}

/**
 * Deploys with a freshly loaded handler module each time (as a cold Lambda
 * container has): the first SDK calls of a module pay its lazy initialisation.
 */
export async function runColdDeploy(bench: DeployBench, associationMs: number, repeats: number): Promise<ColdDeploy> {
  const ideal = idealMs(bench, associationMs);
  const latency = (a: AssociationTimeline) => a.associateArrival - a.onEventStart;
  const walls: number[] = [];
  const first: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const run = await deployOnce({ ...bench, handlers: loadHandlers(bench.synthesized, true) }, associationMs);
    const firsts = new Set(domainChains(run.associations).map((chain) => chain[0]));
    walls.push(run.wallMs / 1000);
    first.push(...[...firsts].map(latency));
    warm.push(...run.associations.filter((a) => !firsts.has(a)).map(latency));
  }
  const wall = summarize(walls, 3);
  return {
    associationMs,
    wallSeconds: wall,
    idealSeconds: round(ideal / 1000, 3),
    ratio: round(wall.median / (ideal / 1000), 3),
    firstCallLatencyMs: summarize(first, 0),
    warmCallLatencyMs: summarize(warm, 0),
  };
}

export async function runDeployBenchmark(
  bench: DeployBench,
  scenario: DeployScenario,
  repeats: number,
  log: (line: string) => void,
): Promise<DeployResult> {
  const ideal = idealMs(bench, scenario.associationMs);
  const runs: DeployRun[] = [];
  for (let i = 0; i < repeats; i++) {
    const run = await deployOnce(bench, scenario.associationMs);
    runs.push(run);
    log(`  ${scenario.name} run ${i + 1}/${repeats}: ${(run.wallMs / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(2)} s)`);
  }

  const wall = summarize(runs.map((r) => r.wallMs / 1000), 3);
  const ratio = round(wall.median / (ideal / 1000), 3);
  const all = runs.flatMap((r) => r.associations);
  const medianOf = (pick: (c: CriticalPath) => number) => summarize(runs.map((r) => pick(r.criticalPath)), 0).median;
  return {
    scenario: {
      ...scenario,
      domains: bench.perDomain.size,
      associationsPerDomain: Math.max(...bench.perDomain.values()),
      queryIntervalMs: bench.queryIntervalMs,
      providerQueryIntervalSeconds: bench.providerQueryIntervalSeconds,
      timeScale: TIME_SCALE,
    },
    wallSeconds: wall,
    idealSeconds: round(ideal / 1000, 3),
    ratio,
    target: { limit: RATIO_LIMIT, met: ratio <= RATIO_LIMIT },
    criticalPathMs: {
      service: medianOf((c) => c.serviceMs),
      detection: medianOf((c) => c.detectionMs),
      handler: medianOf((c) => c.handlerMs),
      scheduling: medianOf((c) => c.schedulingMs),
    },
    detectionLagMs: summarize(all.map((a) => a.detectArrival - a.activeAt), 0),
    pollCallMs: summarize(all.map((a) => a.pollCallMs), 1),
    domainStartSpreadMs: summarize(runs.map((r) => r.domainStartSpreadMs), 0),
    serialPerDomain: runs.every((r) => r.serialPerDomain),
    pollsPerAssociation: summarize(all.map((a) => a.polls), 1),
    wastedPolls: all.reduce((total, a) => total + a.wastedPolls, 0),
    runs,
  };
}

async function deployOnce(bench: DeployBench, associationMs: number): Promise<DeployRun> {
  const plan = planAssociations(DEPLOY_DOMAINS * DOMAIN_PACKAGES.length);
  const emulator = await PackagesApiEmulator.start({
    domains: domainsOf(plan),
    packages: [...DOMAIN_PACKAGES],
    associationMs,
    dissociationMs: associationMs,
  });
  try {
    return await withHandlerEnvironment({ opensearch: emulator.endpoint }, () => playOnce(bench, plan, emulator, associationMs));
  } finally {
    await emulator.close();
  }
}

async function playOnce(
  bench: DeployBench, plan: readonly PlannedAssociation[], emulator: PackagesApiEmulator, associationMs: number,
): Promise<DeployRun> {
  const { synthesized, handlers, queryIntervalMs, maxAttempts } = bench;
  const tracer = new HandlerTracer();
  const player = new CloudFormationPlayer({
    handlers: tracer.wrap(handlers),
    queryIntervalMs,
    totalTimeoutMs: maxAttempts * queryIntervalMs,
    stackName: 'ConstructBench',
  });
  const started = Date.now();
  const t0 = performance.now();
  const outcome = await player.deploy(synthesized.template);
  const wallMs = performance.now() - t0;
  const ended = started + wallMs;
  if (outcome.status !== 'CREATE_COMPLETE') {
    throw new Error(`deploy ended ${outcome.status}: ${JSON.stringify(outcome.failures)}`);
  }
  for (const domain of domainsOf(plan)) {
    const states = emulator.associations(domain).map((a) => `${a.packageId}:${a.status}`);
    const expected = plan.filter((a) => a.domainName === domain).length;
    if (states.length !== expected || !states.every((s) => s.endsWith(':ACTIVE'))) {
      throw new Error(`domain ${domain} ended with ${states.join(', ')}; expected ${expected} ACTIVE associations`);
    }
  }
  return analyseRun([...tracer.associations.values()], emulator.requests, { started, ended, associationMs });
}

/**
 * Runs `run` with the environment the handler's SDK clients read pointed at the emulators (a
 * Delete reads its stack from CloudFormation), and the handler's log lines (one per service
 * call, as in CloudWatch) kept out of the report.
 */
export async function withHandlerEnvironment<T>(endpoints: { opensearch: string; cloudFormation?: string }, run: () => Promise<T>): Promise<T> {
  const restoreEnv = setEnv({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark-secret',
    AWS_ENDPOINT_URL_OPENSEARCH: endpoints.opensearch,
    ...(endpoints.cloudFormation && { AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation }),
    // The SDK warns once per process that its 2027 releases need Node 22 (Lambda runs 24): not a finding here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const consoleLog = console.log;
  console.log = () => undefined;
  try {
    return await run();
  } finally {
    console.log = consoleLog;
    restoreEnv();
  }
}

function analyseRun(
  traces: AssociationTrace[],
  requests: readonly RecordedRequest[],
  context: { started: number; ended: number; associationMs: number },
): DeployRun {
  const rel = (t: number) => t - context.started;
  const timelines = traces.map((trace): AssociationTimeline => {
    const onEventStart = trace.onEvent[0].start;
    const completing = trace.isComplete.find((p) => p.complete);
    if (!completing) {
      throw new Error(`${trace.logicalId}: no isComplete answered complete`);
    }
    const lastEnd = trace.isComplete[trace.isComplete.length - 1].end;
    const associate = requests.find((r) => r.operation === 'AssociatePackage' && r.status === 200
      && r.domain === trace.domain && r.packageId === trace.packageId);
    if (!associate) {
      throw new Error(`${trace.logicalId}: the emulator received no successful AssociatePackage`);
    }
    const activeAt = associate.time + context.associationMs;
    const seen = requests.filter((r) => r.operation === 'ListPackagesForDomain' && r.domain === trace.domain
      && r.time >= completing.start && r.time <= completing.end).pop();
    if (!seen) {
      throw new Error(`${trace.logicalId}: the poll that answered complete sent no ListPackagesForDomain`);
    }
    // Operations of one domain never overlap (checked below), so the domain's requests
    // between this association's onEvent and its last poll are this association's.
    const own = requests.filter((r) => r.time >= onEventStart && r.time <= lastEnd
      && r.domain === trace.domain && (r.packageId === undefined || r.packageId === trace.packageId));
    const counts: Record<string, number> = {};
    own.forEach((r) => { counts[r.operation] = (counts[r.operation] ?? 0) + 1; });
    return {
      logicalId: trace.logicalId,
      domain: trace.domain,
      packageId: trace.packageId,
      onEventStart: rel(onEventStart),
      associateArrival: rel(associate.time),
      activeAt: rel(activeAt),
      detectArrival: rel(seen.time),
      detectEnd: rel(completing.end),
      polls: trace.isComplete.length,
      pollCallMs: median(trace.isComplete.map((p) => p.end - p.start)),
      wastedPolls: trace.isComplete.filter((p) => p.start >= activeAt && !p.complete).length,
      requests: counts,
    };
  });

  const chains = domainChains(timelines);
  const serialPerDomain = chains.every((chain) => chain.every((t, i) => i === 0 || t.onEventStart >= chain[i - 1].detectEnd));
  const firstStarts = chains.map((chain) => chain[0].onEventStart);
  const [chain] = [...chains].sort((a, b) => b[b.length - 1].detectEnd - a[a.length - 1].detectEnd);
  const domain = chain[0].domain;
  let scheduling = rel(context.ended) - chain[chain.length - 1].detectEnd;
  let handler = 0;
  let detection = 0;
  chain.forEach((t, i) => {
    scheduling += t.onEventStart - (i === 0 ? 0 : chain[i - 1].detectEnd);
    handler += (t.associateArrival - t.onEventStart) + (t.detectEnd - t.detectArrival);
    detection += t.detectArrival - t.activeAt;
  });
  return {
    wallMs: rel(context.ended),
    status: 'CREATE_COMPLETE',
    associations: timelines,
    domainStartSpreadMs: Math.max(...firstStarts) - Math.min(...firstStarts),
    serialPerDomain,
    criticalPath: { domain, serviceMs: chain.length * context.associationMs, detectionMs: detection, handlerMs: handler, schedulingMs: scheduling },
  };
}

/** Each domain's associations in the order they started. */
function domainChains(timelines: readonly AssociationTimeline[]): AssociationTimeline[][] {
  const byDomain = new Map<string, AssociationTimeline[]>();
  for (const t of [...timelines].sort((a, b) => a.onEventStart - b.onEventStart)) {
    byDomain.set(t.domain, [...(byDomain.get(t.domain) ?? []), t]);
  }
  return [...byDomain.values()];
}

/** The functions' code from the cloud assembly, by their `Handler` names; `fresh`: loaded anew, as a cold Lambda container does. */
export function loadHandlers(synthesized: SynthesizedStack, fresh = false): CustomResourceHandlers {
  const find = (handler: string) => {
    const code = lambdaCode(synthesized).find((c) => c.handler === handler);
    if (!code) {
      throw new Error(`no function with Handler ${handler} in the template`);
    }
    if (fresh) {
      delete require.cache[code.moduleFile];
    }
    const fn = require(code.moduleFile)[code.exportName];
    if (typeof fn !== 'function') {
      throw new Error(`${code.moduleFile} does not export ${code.exportName}`);
    }
    return fn as (event: unknown) => Promise<unknown>;
  };
  return { onEvent: find('index.onEvent'), isComplete: find('index.isComplete') };
}

/** Sets environment variables for the handler's SDK client; returns what puts the old values back. */
function setEnv(values: Record<string, string>): () => void {
  const old = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(old)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  };
}
