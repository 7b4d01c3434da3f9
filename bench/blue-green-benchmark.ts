/**
 * Blue/green deployments per domain: the case of bench/blue-green-stack.ts played through the
 * CloudFormation player against the packages-API emulator, where every package operation that
 * (dis)associates a plugin, license or configuration is one blue/green deployment of
 * BLUE_GREEN_MS. Each run creates the stack, updates it with one more plugin, then deletes it,
 * with a freshly loaded handler module (a cold Lambda container) at the start of the run.
 *
 * The provider's query interval is divided by TIME_SCALE as in the deploy benchmark, so that
 * BLUE_GREEN_MS stands for BLUE_GREEN_MS x TIME_SCALE of real time.
 */
import { performance } from 'perf_hooks';
import { ADDED_PACKAGE, BLUE_GREEN_DOMAIN, BLUE_GREEN_VARIANTS, BlueGreenPackage, blueGreenStack, BlueGreenVariant, CREATE_PACKAGES } from './blue-green-stack';
import { loadHandlers, TIME_SCALE, withHandlerEnvironment } from './deploy-benchmark';
import { round, summarize, Summary } from './stats';
import { synthesizeStack, SynthesizedStack } from './synthesize';
import { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import { PackagesApiEmulator } from '../emulator/packages-api-emulator';
import { CloudFormationPlayer, CustomResourceHandlers, StackOutcome, StackStatus } from '../local/cloudformation-player';
import { waiterTiming } from '../local/waiter-timing';

/** 3 s stands for 5 minutes at TIME_SCALE 100 (a small domain's blue/green takes 15 minutes or more): 30 query intervals. */
export const BLUE_GREEN_MS = 3000;
/** Target: (b)'s create, from its accepted AssociatePackages to the completed create, in blue/green times. */
export const SET_CREATE_LIMIT = 1.1;
/** Target: (b)'s blue/green deployments per create, add and delete. */
export const SET_BLUE_GREENS = 1;

export const PHASES = ['create', 'add', 'delete'] as const;
export type Phase = typeof PHASES[number];

/** The package writes: each accepted one started an operation on the domain. */
const WRITES = ['AssociatePackage', 'AssociatePackages', 'DissociatePackage', 'DissociatePackages'];

/**
 * What a phase measures: the domain's blue/green deployments; its wall time; from its first
 * accepted package write to its end, over one blue/green time; from its first onEvent to that
 * write (the handler's start: its first SDK calls, and the read before the write).
 */
type Measure = 'blueGreens' | 'wallSeconds' | 'fromWriteInBlueGreens' | 'handlerStartMs';

/** Accepted package writes, by operation. */
interface Writes {
  readonly writes: Record<string, number>;
}

export type PhaseRun = { readonly [K in Measure]: number } & Writes;
export type PhaseResult = { readonly [K in Measure]: Summary } & Writes;

export interface BlueGreenRun {
  /** require() of the handler bundle, fresh, in this process. */
  readonly moduleLoadMs: number;
  readonly phases: Record<Phase, PhaseRun>;
}

export interface VariantResult {
  readonly variant: BlueGreenVariant;
  readonly phases: Record<Phase, PhaseResult>;
  readonly moduleLoadMs: Summary;
  readonly runs: BlueGreenRun[];
}

export interface BlueGreenResult {
  readonly scenario: {
    readonly domain: string;
    readonly packages: readonly string[];
    readonly added: string;
    readonly blueGreenMs: number;
    readonly queryIntervalMs: number;
    readonly providerQueryIntervalSeconds: number;
    readonly timeScale: number;
  };
  readonly variants: Record<BlueGreenVariant, VariantResult>;
  /** (a)'s create wall time over (b)'s (medians). */
  readonly createSpeedup: number;
}

interface Assemblies {
  readonly create: SynthesizedStack;
  readonly update: SynthesizedStack;
}

export async function runBlueGreenBenchmark(repeats: number, log: (line: string) => void): Promise<BlueGreenResult> {
  const assemblies = new Map(BLUE_GREEN_VARIANTS.map((variant): [BlueGreenVariant, Assemblies] => [variant, {
    create: synthesizeStack(`blue-green-${variant}`, (app) => blueGreenStack(app, variant, CREATE_PACKAGES)),
    update: synthesizeStack(`blue-green-${variant}-added`, (app) => blueGreenStack(app, variant, [...CREATE_PACKAGES, ADDED_PACKAGE])),
  }]));
  const waiter = waiterTiming(assemblies.get('set')!.create.template as unknown as Record<string, unknown>);
  const queryIntervalMs = waiter.queryIntervalMs / TIME_SCALE;
  const totalTimeoutMs = waiter.totalTimeoutMs / TIME_SCALE;

  const runs = new Map<BlueGreenVariant, BlueGreenRun[]>(BLUE_GREEN_VARIANTS.map((variant) => [variant, []]));
  for (let i = 0; i < repeats; i++) {
    for (const variant of BLUE_GREEN_VARIANTS) {
      const run = await runOnce(assemblies.get(variant)!, { queryIntervalMs, totalTimeoutMs, stackName: `BlueGreen-${variant}` });
      runs.get(variant)!.push(run);
      log(`  ${variant} run ${i + 1}/${repeats}: ${PHASES.map((phase) => `${phase} ${run.phases[phase].blueGreens} blue/green, `
        + `${run.phases[phase].wallSeconds.toFixed(2)} s`).join('; ')}`);
    }
  }

  const variants = Object.fromEntries(
    BLUE_GREEN_VARIANTS.map((variant) => [variant, summarizeVariant(variant, runs.get(variant)!)]),
  ) as Record<BlueGreenVariant, VariantResult>;
  return {
    scenario: {
      domain: BLUE_GREEN_DOMAIN,
      packages: CREATE_PACKAGES.map(describe),
      added: describe(ADDED_PACKAGE),
      blueGreenMs: BLUE_GREEN_MS,
      queryIntervalMs,
      providerQueryIntervalSeconds: waiter.queryIntervalMs / 1000,
      timeScale: TIME_SCALE,
    },
    variants,
    createSpeedup: round(variants.associations.phases.create.wallSeconds.median / variants.set.phases.create.wallSeconds.median, 2),
  };
}

interface PlayerTiming {
  readonly queryIntervalMs: number;
  readonly totalTimeoutMs: number;
  readonly stackName: string;
}

/** Create, add one plugin, delete: one emulator, one player, a freshly loaded handler module. */
async function runOnce(assemblies: Assemblies, timing: PlayerTiming): Promise<BlueGreenRun> {
  const loadStarted = performance.now();
  const handlers = loadHandlers(assemblies.create, true);
  const moduleLoadMs = performance.now() - loadStarted;
  const emulator = await PackagesApiEmulator.start({
    domains: [BLUE_GREEN_DOMAIN],
    packages: [...CREATE_PACKAGES, ADDED_PACKAGE],
    blueGreenMs: BLUE_GREEN_MS,
  });
  let player: CloudFormationPlayer | undefined;
  // A Delete reads its stack (is the pair still wanted?): CloudFormation shows the player's view of it.
  const cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => (player ? [player.stackView()] : []) });
  try {
    return await withHandlerEnvironment({ opensearch: emulator.endpoint, cloudFormation: cloudFormation.endpoint }, async () => {
      const phase = new PhaseClock(handlers, emulator);
      player = new CloudFormationPlayer({ ...timing, handlers: phase.handlers });
      const stack = player;
      const create = await phase.measure(() => stack.deploy(assemblies.create.template), 'CREATE_COMPLETE', CREATE_PACKAGES.length);
      const add = await phase.measure(() => stack.deploy(assemblies.update.template), 'UPDATE_COMPLETE', CREATE_PACKAGES.length + 1);
      const remove = await phase.measure(() => stack.destroy(), 'DELETE_COMPLETE', 0);
      return { moduleLoadMs, phases: { create, add, delete: remove } };
    });
  } finally {
    await Promise.all([emulator.close(), cloudFormation.close()]);
  }
}

/** Times one stack operation at a time: its first onEvent, its accepted writes, its blue/green deployments. */
class PhaseClock {
  readonly handlers: CustomResourceHandlers;
  private firstOnEvent?: number;

  constructor(inner: CustomResourceHandlers, private readonly emulator: PackagesApiEmulator) {
    this.handlers = {
      onEvent: (event) => {
        this.firstOnEvent ??= Date.now();
        return inner.onEvent(event);
      },
      isComplete: (event) => inner.isComplete(event),
    };
  }

  async measure(operation: () => Promise<StackOutcome>, expected: StackStatus, activePackages: number): Promise<PhaseRun> {
    const requestsBefore = this.emulator.requests.length;
    const blueGreensBefore = this.emulator.blueGreens(BLUE_GREEN_DOMAIN);
    this.firstOnEvent = undefined;
    const started = performance.now();
    const outcome = await operation();
    const wallMs = performance.now() - started;
    const ended = Date.now();
    if (outcome.status !== expected) {
      throw new Error(`expected ${expected}, got ${outcome.status}: ${JSON.stringify(outcome.failures)}`);
    }
    const states = this.emulator.associations(BLUE_GREEN_DOMAIN).map((a) => a.status);
    if (states.length !== activePackages || !states.every((status) => status === 'ACTIVE')) {
      throw new Error(`after ${expected}, ${BLUE_GREEN_DOMAIN} holds ${states.join(', ') || 'nothing'}; expected ${activePackages} ACTIVE`);
    }
    const writes = this.emulator.requests.slice(requestsBefore).filter((r) => WRITES.includes(r.operation) && r.status === 200);
    if (writes.length === 0 || this.firstOnEvent === undefined) {
      throw new Error(`${expected}: no accepted package write`);
    }
    const counts: Record<string, number> = {};
    writes.forEach((r) => { counts[r.operation] = (counts[r.operation] ?? 0) + 1; });
    return {
      blueGreens: this.emulator.blueGreens(BLUE_GREEN_DOMAIN) - blueGreensBefore,
      wallSeconds: wallMs / 1000,
      fromWriteInBlueGreens: (ended - writes[0].time) / BLUE_GREEN_MS,
      handlerStartMs: writes[0].time - this.firstOnEvent,
      writes: counts,
    };
  }
}

function summarizeVariant(variant: BlueGreenVariant, runs: BlueGreenRun[]): VariantResult {
  const phaseResult = (phase: Phase): PhaseResult => {
    const of = (pick: (p: PhaseRun) => number, digits: number) => summarize(runs.map((run) => pick(run.phases[phase])), digits);
    return {
      blueGreens: of((p) => p.blueGreens, 0),
      wallSeconds: of((p) => p.wallSeconds, 2),
      fromWriteInBlueGreens: of((p) => p.fromWriteInBlueGreens, 3),
      handlerStartMs: of((p) => p.handlerStartMs, 0),
      writes: runs[0].phases[phase].writes,
    };
  };
  return {
    variant,
    phases: Object.fromEntries(PHASES.map((phase) => [phase, phaseResult(phase)])) as Record<Phase, PhaseResult>,
    moduleLoadMs: summarize(runs.map((run) => run.moduleLoadMs), 1),
    runs,
  };
}

function describe(pkg: BlueGreenPackage): string {
  return `${pkg.constructId} (${pkg.type}${pkg.prerequisite ? `, needs ${pkg.prerequisite}` : ''})`;
}
