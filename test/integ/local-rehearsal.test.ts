/**
 * The checked-in integration test snapshot played on the local emulators (`npm run deploy:local -- --app <snapshot>`),
 * with the handler bundle the snapshot holds: what a real run would do, minus the service. It pins the shape that
 * keeps a real run cheap: one domain, the dictionary on its own, every plugin in one call (one blue/green deployment
 * to associate, one to dissociate).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { awsPackageId } from '../../emulator/package-ids';
import { integApps } from '../../scripts/integ/integ-apps';
import { runCli } from '../local/cli-run';

jest.setTimeout(30_000);

const SNAPSHOT = integApps(['domain-packages'])[0].snapshotDir;
const NORI_ID = awsPackageId('analysis-nori', 'OpenSearch_2.19');

let workDir: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-rehearsal-'));
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test('create: the five packages ACTIVE on the one domain; the plugins in one AssociatePackages call, one blue/green', async () => {
  const { result } = await runCli(workDir, ['--app', SNAPSHOT]);

  expect(result.exitCode).toBe(0);
  const domains = Object.keys(result.associations);
  expect(domains).toHaveLength(1);
  const associations = result.associations[domains[0]];
  expect(associations.map((association) => association.status)).toEqual(Array(5).fill('ACTIVE'));
  expect(associations.map((association) => association.packageId)).toContain(NORI_ID);
  expect(result.operations[0].requests).toMatchObject({ CreatePackage: 4, AssociatePackage: 1, AssociatePackages: 1 });
  expect(result.blueGreens[domains[0]].map((deployment) => `${deployment.kind} ${deployment.packageIds.length}`)).toEqual(['association 4']);
});

test('destroy: one DissociatePackages call (one more blue/green), the dictionary dissociated, every package deleted', async () => {
  const { result } = await runCli(workDir, ['--app', SNAPSHOT, '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((operation) => `${operation.action} ${operation.outcome.status}`)).toEqual(['create CREATE_COMPLETE', 'destroy DELETE_COMPLETE']);
  expect(result.operations[1].requests).toMatchObject({ DissociatePackages: 1, DissociatePackage: 1, DeletePackage: 4 });
  const [domain] = Object.keys(result.blueGreens);
  expect(result.blueGreens[domain].map((deployment) => deployment.kind)).toEqual(['association', 'dissociation']);
  expect(result.associations[domain] ?? []).toEqual([]);
});
