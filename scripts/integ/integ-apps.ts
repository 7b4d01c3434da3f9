import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const INTEG_DIR = path.join(ROOT, 'test', 'integ');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** An integration test app (`test/integ/integ.<name>.ts`) and its snapshot, laid out as integ-runner lays it out. */
export interface IntegApp {
  readonly name: string;
  readonly file: string;
  readonly snapshotDir: string;
}

/** The integration test apps, or those of `names` (`integ.x.ts` or `x`); throws on a name that matches none. */
export function integApps(names: readonly string[] = []): IntegApp[] {
  const all = fs.readdirSync(INTEG_DIR).filter((file) => /^integ\..+(?<!\.d)\.ts$/.test(file)).sort().map((file) => ({
    name: file.replace(/^integ\.|\.ts$/g, ''),
    file: path.join(INTEG_DIR, file),
    snapshotDir: path.join(INTEG_DIR, `${file}.snapshot`),
  }));
  const unknown = names.filter((name) => !all.some((app) => [app.name, path.basename(app.file)].includes(name)));
  if (unknown.length > 0) {
    throw new Error(`no integration test named ${unknown.map((name) => `'${name}'`).join(', ')} in ${path.relative(ROOT, INTEG_DIR)}`);
  }
  return names.length === 0 ? all : all.filter((app) => names.some((name) => [app.name, path.basename(app.file)].includes(name)));
}

/**
 * The environment of an offline synthesis: no INTEG_* variable (a real plugin's path would change the snapshot)
 * and no AWS credentials, so that a synthesis that tried to reach AWS would fail here rather than pass on a
 * machine that has them.
 */
export function offlineEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([key]) => !/^INTEG_/.test(key)
    && !['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'].includes(key));
  return { ...Object.fromEntries(kept), AWS_EC2_METADATA_DISABLED: 'true' };
}

/**
 * Runs the app with tsx into `outdir` (a fresh cloud assembly). Its *.metadata.json keeps construct stack traces
 * (this machine's paths): the check does not compare them.
 */
export function synthesize(app: IntegApp, outdir: string, env: NodeJS.ProcessEnv): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(path.join(BIN, 'tsx'), [app.file], { cwd: ROOT, stdio: 'inherit', env: { ...env, CDK_OUTDIR: outdir } });
}

/** Runs the project's CDK CLI (it reads the cloud assembly schema of the installed aws-cdk-lib). */
export function cdk(args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(path.join(BIN, 'cdk'), [...args, '--no-notices'], { cwd: ROOT, stdio: 'inherit', env });
}
