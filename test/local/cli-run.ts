/**
 * Runs `npm run deploy:local` as a user does, in its own Node.js process (the handler bundle's
 * dynamic `import()` cannot run in jest's module sandbox), and reads back its --result-json.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunResult } from '../../local/deploy-local';

export const ROOT = path.join(__dirname, '..', '..');
export const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = path.join(ROOT, 'local', 'deploy-local.ts');

/** 50 ms polls, 100 ms associations: a run of the example takes well under a second. */
const FAST = ['--scale', '0.005', '--association-ms', '100', '--dissociation-ms', '60'];

export interface Captured {
  readonly result: RunResult;
  /** stdout and stderr: the progress lines and the summary. */
  readonly text: string;
}

/** Runs the CLI in `workDir` (where .deploy-local/ goes, and cdk.json is read from), fast. */
export async function runCli(workDir: string, args: string[]): Promise<Captured> {
  const resultFile = path.join(workDir, 'result.json');
  fs.rmSync(resultFile, { force: true });
  const text = await new Promise<string>((resolve) => {
    execFile(process.execPath, [TSX, CLI, ...args, ...FAST, '--result-json', resultFile], { cwd: workDir }, (_error, stdout, stderr) => resolve(stdout + stderr));
  });
  if (!fs.existsSync(resultFile)) {
    throw new Error(`the CLI wrote no result:\n${text}`);
  }
  return { result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as RunResult, text };
}
