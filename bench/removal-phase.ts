/**
 * When a DomainPackages update removes packages: what it costs, measured on the emulator with the
 * bundled handler and the CloudFormation player (plugin blue/greens of BLUE_GREEN_MS, the provider's
 * query interval divided by 200).
 *
 *   tsx bench/removal-phase.ts
 *
 * One domain holds a set of two plugins (a, b). Cases:
 * - swap: b replaced by c;
 * - swap, failing after it: the same update, and a dictionary after the set fails, so it rolls back;
 * - removal: b removed;
 * - removal of a package in use: b removed while an index uses it.
 * Each prints the stack's outcome, the blue/greens, the wall time (in blue/green times), the failed
 * resource operations (and whether the stack operation failed with them), and the gap: how long a
 * package the stack wanted both before and after was not ACTIVE.
 *
 * This measured the removal's phase for the lifecycle design (README, Reliability): the same
 * script ran on the handler of commit 29babb0 (removal in the update phase) and on today's
 * (removal in the cleanup phase).
 */
import { App, Stack } from 'aws-cdk-lib';
import { CloudFormationApiEmulator } from '../emulator/cloudformation-api-emulator';
import { PackagesApiEmulator } from '../emulator/packages-api-emulator';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage } from '../lib';
import { importedDomain } from './construct-stack';
import { loadHandlers, withHandlerEnvironment } from './deploy-benchmark';
import { synthesizeStack } from './synthesize';
import { CloudFormationPlayer, StackOutcome } from '../local/cloudformation-player';

const DOMAIN = 'bench-removal';
const BLUE_GREEN_MS = 1000;
const QUERY_INTERVAL_MS = 50;
const PLUGINS = { a: 'pkg-0a0a0a0a', b: 'pkg-0b0b0b0b', c: 'pkg-0c0c0c0c' };
const BROKEN = 'F999999';

interface Version {
  readonly plugins: ReadonlyArray<keyof typeof PLUGINS>;
  readonly failing?: boolean;
}

function template(version: Version): unknown {
  return synthesizeStack('removal', (app: App) => {
    const stack = new Stack(app, 'Removal');
    const domain = importedDomain(stack, DOMAIN);
    const set = new DomainPackages(stack, 'Plugins', { domain });
    version.plugins.forEach((name) => set.addPackage(OpenSearchPackage.fromPackageId(stack, `Plugin-${name}`, PLUGINS[name])));
    if (version.failing) {
      new DomainPackageAssociation(stack, 'Broken', { domain, packageId: BROKEN });
    }
    return stack;
  }).template;
}

interface CaseResult {
  readonly outcome: StackOutcome;
  readonly blueGreens: number;
  readonly blueGreenTimes: number;
  readonly gapMs: number;
}

async function measure(
  name: string, to: Version, prepare: (emulator: PackagesApiEmulator) => void, keep: ReadonlyArray<keyof typeof PLUGINS>,
): Promise<void> {
  const from = template({ plugins: ['a', 'b'] });
  const handlers = loadHandlers(synthesizeStack('removal-handlers', (app) => {
    const stack = new Stack(app, 'Handlers');
    new DomainPackages(stack, 'Plugins', { domain: importedDomain(stack, DOMAIN) }).addPackage(OpenSearchPackage.fromPackageId(stack, 'P', PLUGINS.a));
    return stack;
  }));
  const emulator = await PackagesApiEmulator.start({
    domains: [DOMAIN],
    blueGreenMs: BLUE_GREEN_MS,
    associationMs: 200,
    dissociationMs: 200,
    packages: [...Object.entries(PLUGINS).map(([n, id]) => ({ id, name: `plugin-${n}`, type: 'ZIP-PLUGIN' as const })), { id: BROKEN, name: 'broken', type: 'TXT-DICTIONARY' }],
  });
  let player: CloudFormationPlayer | undefined;
  const cloudFormation = await CloudFormationApiEmulator.start({ stacks: () => (player ? [player.stackView()] : []) });
  try {
    const result = await withHandlerEnvironment({ opensearch: emulator.endpoint, cloudFormation: cloudFormation.endpoint }, async () => {
      player = new CloudFormationPlayer({ handlers, queryIntervalMs: QUERY_INTERVAL_MS, totalTimeoutMs: 60_000, stackName: 'Removal' });
      await player.deploy(from);
      prepare(emulator);
      const blueGreensBefore = emulator.blueGreens(DOMAIN);
      let gapMs = 0;
      let last = Date.now();
      const watch = setInterval(() => {
        const now = Date.now();
        const active = new Set(emulator.associations(DOMAIN).filter((a) => a.status === 'ACTIVE').map((a) => a.packageId));
        if (keep.some((n) => !active.has(PLUGINS[n]))) gapMs += now - last;
        last = now;
      }, 10);
      const started = Date.now();
      const outcome = await player.deploy(template(to));
      clearInterval(watch);
      return { outcome, blueGreens: emulator.blueGreens(DOMAIN) - blueGreensBefore, blueGreenTimes: (Date.now() - started) / BLUE_GREEN_MS, gapMs };
    });
    report(name, result, emulator);
  } finally {
    await Promise.all([emulator.close(), cloudFormation.close()]);
  }
}

function report(name: string, result: CaseResult, emulator: PackagesApiEmulator): void {
  const failures = result.outcome.failures.map((f) => `${f.logicalId}: ${f.reason.slice(0, 90)}`).join(' | ') || 'none';
  const held = emulator.associations(DOMAIN).map((a) => `${Object.entries(PLUGINS).find(([, id]) => id === a.packageId)?.[0] ?? a.packageId}:${a.status}`).join(' ');
  process.stdout.write(`${name}\n  ${result.outcome.status}; blue/greens ${result.blueGreens}; ${result.blueGreenTimes.toFixed(2)} blue/green times; `
    + `gap ${(result.gapMs / BLUE_GREEN_MS).toFixed(2)} blue/green times\n  domain holds: ${held}\n  failed operations: ${failures}\n`);
}

async function main(): Promise<void> {
  await measure('swap (b -> c)', { plugins: ['a', 'c'] }, () => undefined, ['a']);
  await measure('swap (b -> c), failing after it', { plugins: ['a', 'c'], failing: true }, (e) => e.failNextAssociation(DOMAIN, BROKEN, 'Invalid', 'bad'), ['a', 'b']);
  await measure('removal of b', { plugins: ['a'] }, () => undefined, ['a']);
  await measure('removal of b, in use by an index', { plugins: ['a'] }, (e) => e.markInUse(DOMAIN, PLUGINS.b, true), ['a']);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
