/**
 * The integration tests of test/integ (integ-tests-alpha apps), run the way integ-runner runs them, with the
 * project's CDK CLI: the published integ-runner (2.197.x) reads cloud assembly schema 53 at most and
 * aws-cdk-lib 2.276 writes 55, so it fails on every test (see the notes of issue 18).
 *
 *   tsx scripts/integ.ts check  [test...]   each snapshot equals a fresh synthesis (offline, no credentials)
 *   tsx scripts/integ.ts update [test...]   rewrites the snapshots that differ (offline)
 *   tsx scripts/integ.ts deploy [--no-clean] [test...]
 *                                           deploys to AWS_REGION, checks the assertions, destroys
 *
 * Snapshots are `test/integ/integ.<name>.ts.snapshot/`, integ-runner's layout. They use the built library and
 * handler (lib/*.js, assets/): run `npm run build` first (`npm run integ:update` does).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deployAndAssert } from './integ/deploy';
import { IntegApp, integApps, offlineEnv, ROOT, synthesize } from './integ/integ-apps';
import { snapshotDifferences } from './integ/snapshot-diff';

function withTempDir<T>(action: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  try {
    return action(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Synthesizes `app` offline and returns its differences from the snapshot, keeping the synthesis in `outdir`. */
function differences(app: IntegApp, outdir: string): string[] {
  synthesize(app, outdir, offlineEnv());
  return snapshotDifferences(app.snapshotDir, outdir);
}

function check(apps: IntegApp[]): boolean {
  let failed = 0;
  for (const app of apps) {
    const found = withTempDir((dir) => differences(app, dir));
    console.log(`${found.length === 0 ? 'ok  ' : 'FAIL'} ${app.name}${found.length === 0 ? '' : `: the snapshot is stale (npm run integ:update)\n${found.join('\n')}`}`);
    failed += found.length === 0 ? 0 : 1;
  }
  console.log(`snapshots: ${apps.length - failed} passed, ${failed} failed`);
  return failed === 0;
}

function update(apps: IntegApp[]): void {
  for (const app of apps) {
    withTempDir((dir) => {
      const outdir = path.join(dir, 'out');
      if (differences(app, outdir).length === 0) {
        console.log(`unchanged ${path.relative(ROOT, app.snapshotDir)}`);
        return;
      }
      fs.rmSync(app.snapshotDir, { recursive: true, force: true });
      fs.cpSync(outdir, app.snapshotDir, { recursive: true });
      console.log(`updated   ${path.relative(ROOT, app.snapshotDir)}`);
    });
  }
}

function deploy(apps: IntegApp[], clean: boolean): void {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error('AWS_REGION is not set: set it to a region where custom plugins are supported (see test/integ)');
  }
  for (const app of apps) {
    withTempDir((dir) => {
      // The environment as it is: INTEG_* variables point the test at a real plugin.
      synthesize(app, dir, process.env);
      deployAndAssert(dir, region, clean);
    });
  }
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  const clean = !rest.includes('--no-clean');
  const apps = integApps(rest.filter((arg) => arg !== '--no-clean'));
  switch (command) {
    case 'check':
      if (!check(apps)) process.exitCode = 1;
      return;
    case 'update':
      return update(apps);
    case 'deploy':
      return deploy(apps, clean);
    default:
      throw new Error(`unknown command '${command}': check, update or deploy`);
  }
}

main(process.argv.slice(2));
