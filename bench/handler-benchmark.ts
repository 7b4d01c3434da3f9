/**
 * The Lambda code each construct deploys: bundle bytes and the cold module-load
 * time, measured in a fresh `node` process that requires the asset file the
 * function's `Handler` names, as the Lambda runtime does on a cold start.
 *
 * The AwsCustomResource handler does not bundle the SDK: on its first call it
 * requires `@aws-sdk/client-opensearch` from the runtime. That require is timed
 * separately (from this project's copy of the package), since a cold
 * invocation pays it too. The provider framework's own functions (which this
 * library's Provider adds) require `@aws-sdk/client-lambda` and
 * `@aws-sdk/client-sfn` at load; those are not installed here, so only their
 * size is reported.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { summarize, Summary } from './stats';
import { folderBytes, lambdaCode, LambdaCode, Synthesized, Variant } from './synthesize';

export interface HandlerRow {
  readonly name: string;
  readonly variant: Variant;
  /** The functions (logical ids) that run this code. */
  readonly functions: string[];
  readonly handlers: string[];
  readonly bundleBytes: number;
  /** require() of the handler module in a fresh process; absent when it cannot load here. */
  readonly coldLoadMs?: Summary;
  /** What the first invocation requires on top (the SDK client the runtime provides). */
  readonly firstCallRequire?: { readonly module: string; readonly ms: Summary };
  readonly note?: string;
}

const PROJECT_ROOT = path.join(__dirname, '..');
const FRAMEWORK_NOTE = 'provider framework (framework-onEvent/isComplete/onTimeout): requires @aws-sdk/client-lambda and '
  + '@aws-sdk/client-sfn from the Lambda runtime at load, not installed here, so its load time is not measured';

/** Runs in the child: prints the require times as JSON. */
const CHILD_SCRIPT = `
const { performance } = require('perf_hooks');
const [file, exportName, extra] = process.argv.slice(1);
const t0 = performance.now();
const handlerModule = require(file);
const t1 = performance.now();
if (typeof handlerModule[exportName] !== 'function') throw new Error(file + ' does not export ' + exportName);
let extraMs;
if (extra) { require(require.resolve(extra, { paths: [process.cwd()] })); extraMs = performance.now() - t1; }
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, extraMs }));
`;

export function runHandlerBenchmark(assemblies: Record<Variant, Synthesized>, repeats: number): HandlerRow[] {
  const groups = [...groupByModule(assemblies.construct), ...groupByModule(assemblies.alternative)];
  const plans = groups.map((group) => ({ group, ...classify(group) }));
  const samples = new Map(plans.map((plan) => [plan, { load: [] as number[], extra: [] as number[] }]));
  for (let round = 0; round < repeats; round++) {
    for (const plan of plans) {
      if (!plan.loadable) continue;
      const { loadMs, extraMs } = coldLoad(plan.group.code.moduleFile, plan.group.code.exportName, plan.firstCallRequire);
      samples.get(plan)!.load.push(loadMs);
      if (extraMs !== undefined) samples.get(plan)!.extra.push(extraMs);
    }
  }
  return plans.map((plan) => {
    const measured = samples.get(plan)!;
    return {
      name: plan.name,
      variant: plan.group.variant,
      functions: plan.group.functions,
      handlers: plan.group.handlers,
      bundleBytes: folderBytes(plan.group.code.assetDir),
      ...(plan.loadable && { coldLoadMs: summarize(measured.load) }),
      ...(plan.firstCallRequire && { firstCallRequire: { module: plan.firstCallRequire, ms: summarize(measured.extra) } }),
      ...(plan.note && { note: plan.note }),
    };
  });
}

interface ModuleGroup {
  readonly variant: Variant;
  readonly code: LambdaCode;
  readonly functions: string[];
  readonly handlers: string[];
}

/** Functions that load the same file share one cold-start cost profile. */
function groupByModule(synthesized: Synthesized): ModuleGroup[] {
  const groups = new Map<string, ModuleGroup>();
  for (const code of lambdaCode(synthesized)) {
    const group = groups.get(code.moduleFile) ?? { variant: synthesized.variant, code, functions: [], handlers: [] };
    group.functions.push(code.logicalId);
    group.handlers.push(code.handler);
    groups.set(code.moduleFile, group);
  }
  return [...groups.values()];
}

function classify(group: ModuleGroup): { name: string; loadable: boolean; firstCallRequire?: string; note?: string } {
  if (group.variant === 'alternative') {
    return { name: 'AwsCustomResource handler', loadable: true, firstCallRequire: '@aws-sdk/client-opensearch' };
  }
  const source = fs.readFileSync(group.code.moduleFile, 'utf8');
  if (group.handlers.some((h) => h.startsWith('framework.')) || /require\("@aws-sdk\/client-sfn"\)/.test(source)) {
    return { name: 'provider framework', loadable: false, note: FRAMEWORK_NOTE };
  }
  return { name: 'association handler (this library)', loadable: true };
}

function coldLoad(file: string, exportName: string, extra: string | undefined): { loadMs: number; extraMs?: number } {
  const output = execFileSync(process.execPath, ['-e', CHILD_SCRIPT, file, exportName, ...(extra ? [extra] : [])], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(output) as { loadMs: number; extraMs?: number };
}
