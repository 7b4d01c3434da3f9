/**
 * Synthesizes the project's CDK app (cdk.json "app") into a cloud assembly, as `cdk synth -o`
 * does: the app command runs with CDK_OUTDIR and CDK_CONTEXT_JSON set. Skipping the CDK CLI saves
 * its start-up time; synthesis stays offline for an environment-agnostic stack.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the CDK CLI adds by default: asset metadata tells where each function's code is. */
const CLI_DEFAULT_CONTEXT = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true };
const HANDLER_BUNDLE = path.join('assets', 'association-handler', 'index.js');

/** Asynchronous, so that two syntheses (create and update) can run at the same time. */
export async function synthesizeApp(projectDir: string, outDir: string, context: Record<string, string>): Promise<void> {
  const app = appCommand(projectDir);
  fs.rmSync(outDir, { recursive: true, force: true });
  const bin = path.join(projectDir, 'node_modules', '.bin');
  const child = spawn(app, {
    cwd: projectDir,
    shell: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Local binaries first: `npx tsx` then needs no npx round trip.
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      CDK_OUTDIR: outDir,
      // aws-cdk-lib's built-in CloudFormation rule check takes most of a synthesis (a WASM engine) and
      // its warnings are not shown here: skipped, unless the environment asks for it.
      CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false',
      CDK_CONTEXT_JSON: JSON.stringify({ ...CLI_DEFAULT_CONTEXT, ...projectContext(projectDir), ...context }),
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0 || !fs.existsSync(path.join(outDir, 'manifest.json'))) {
    throw new Error(`synthesis failed (${app}):\n${output}`);
  }
}

/**
 * The app bundles assets/association-handler at synth time: rebuild it when missing or older
 * than the handler's source, so the local deploy runs the code in lambda/.
 */
export function ensureHandlerBundle(projectDir: string): boolean {
  const bundle = path.join(projectDir, HANDLER_BUNDLE);
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const sources = [path.join(projectDir, 'lambda'), path.join(projectDir, 'lib')]
    .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => path.join(dir, file)) : []));
  if (sources.every((file) => fs.statSync(file).mtimeMs <= built)) {
    return false;
  }
  const result = spawnSync('npm run build:handler', { cwd: projectDir, shell: true, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`bundling the handler failed:\n${result.stderr || result.stdout}`);
  }
  return true;
}

function appCommand(projectDir: string): string {
  const config = readJson(path.join(projectDir, 'cdk.json')) as { app?: string } | undefined;
  if (!config?.app) {
    throw new Error(`no "app" in ${path.join(projectDir, 'cdk.json')}: pass --app <cloud assembly dir>`);
  }
  return config.app.replace(/^npx\s+/, '');
}

/** Context from cdk.json and cdk.context.json, as the CDK CLI passes it. */
function projectContext(projectDir: string): Record<string, unknown> {
  const fromConfig = (readJson(path.join(projectDir, 'cdk.json')) as { context?: Record<string, unknown> } | undefined)?.context;
  const cached = readJson(path.join(projectDir, 'cdk.context.json')) as Record<string, unknown> | undefined;
  return { ...cached, ...fromConfig };
}

function readJson(file: string): unknown {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}
