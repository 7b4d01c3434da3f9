/**
 * deploy:local on a two-stack app, a package stack and an association stack that reads the
 * package's id across stacks, as aws-cdk-lib 2.276 writes the reference: strong (`Fn::ImportValue`
 * of an export) or weak (`Fn::GetStackOutput`), and follows its versions by revision.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CrossStackReferences, ReferenceStrength, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { newApp, synthesize } from './assemblies';
import { runCli } from './cli-run';
import { EXAMPLE_SYNONYMS_FILE } from '../../bin/example-stack';
import { DomainPackageAssociation, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import type { RunResult } from '../../local/deploy-local';

jest.setTimeout(30_000);

const DOMAIN = 'search-example';
/** The first dictionary the emulator creates. */
const PACKAGE_ID = 'F100000001';

let workDir: string;
let editedFile: string;

/** The package in `Packages`, its association in `Associations`; the synonyms from `file`. */
function twoStackApp(name: string, file: string, strength: ReferenceStrength, packageName?: string): string {
  const app = newApp(path.join(workDir, name));
  const packages = new Stack(app, 'Packages');
  const synonyms = new OpenSearchPackage(packages, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(file), packageName });
  const associations = new Stack(app, 'Associations');
  CrossStackReferences.of(associations).consume(strength);
  const domain = opensearch.Domain.fromDomainAttributes(associations, 'Domain', {
    domainArn: associations.formatArn({ service: 'es', resource: 'domain', resourceName: DOMAIN }),
    domainEndpoint: `https://search-${DOMAIN}.example.com`,
  });
  new DomainPackageAssociation(associations, 'Synonyms', { domain, packageId: synonyms.packageId, packageVersion: synonyms.availablePackageVersion });
  return synthesize(app).directory;
}

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-stack-'));
  editedFile = path.join(workDir, 'synonyms-edited.txt');
  fs.writeFileSync(editedFile, `${fs.readFileSync(EXAMPLE_SYNONYMS_FILE, 'utf8')}fridge, refrigerator\n`);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const operations = (result: RunResult) => result.operations.map((op) => `${op.action} ${op.stackName} ${op.outcome.status}`);
const entry = (result: RunResult) => result.associations[DOMAIN].map((a) => `${a.packageId}:${a.status}:${a.version}`);
const lineOf = (text: string, pattern: RegExp) => text.split('\n').findIndex((line) => pattern.test(line));

test('strong references: the package stack first, the association imports its id (Fn::ImportValue), destroy in reverse', async () => {
  const app = twoStackApp('strong.out', EXAMPLE_SYNONYMS_FILE, ReferenceStrength.STRONG);
  const template = JSON.parse(fs.readFileSync(path.join(app, 'Associations.template.json'), 'utf8'));
  expect(JSON.stringify(template)).toMatch(/"PackageID":\{"Fn::ImportValue":"Packages:ExportsOutputFnGetAttSynonyms[0-9A-F]{8}PackageID[0-9A-F]{8}"\}/);

  const { result, text } = await runCli(workDir, ['--app', app, '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(operations(result)).toEqual([
    'create Packages CREATE_COMPLETE',
    'create Associations CREATE_COMPLETE',
    'destroy Associations DELETE_COMPLETE',
    'destroy Packages DELETE_COMPLETE',
  ]);
  expect(text).toMatch(/^Create Packages, Associations$/m);
  // Several stacks in one operation: each resource line names its stack.
  expect(text).toMatch(new RegExp(`CREATE_COMPLETE\\s+Associations\\s+Synonyms[0-9A-F]{8}\\s+${DOMAIN}\\s+${PACKAGE_ID} v1`));
  expect(lineOf(text, /CREATE_COMPLETE\s+Packages$/)).toBeLessThan(lineOf(text, /CREATE_IN_PROGRESS\s+Associations$/));
  expect(lineOf(text, /DELETE_COMPLETE\s+Associations$/)).toBeLessThan(lineOf(text, /DELETE_IN_PROGRESS\s+Packages$/));
  expect(result.operations[3].requests).toMatchObject({ DeletePackage: 1 });
  expect(entry(result)).toEqual([]);
});

test('independent stacks run at the same time; their operations say so, and the totals count each request once', async () => {
  const app = newApp(path.join(workDir, 'independent.out'));
  for (const name of ['Left', 'Right']) {
    const stack = new Stack(app, name);
    const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
      domainArn: stack.formatArn({ service: 'es', resource: 'domain', resourceName: `search-${name.toLowerCase()}` }),
      domainEndpoint: `https://search-${name.toLowerCase()}.example.com`,
    });
    new OpenSearchPackage(stack, 'Synonyms', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset(EXAMPLE_SYNONYMS_FILE) }).associateWith(domain);
  }

  const { result, text } = await runCli(workDir, ['--app', synthesize(app).directory]);

  expect(result.exitCode).toBe(0);
  expect(text).toMatch(/^Create Left, Right$/m);
  expect(lineOf(text, /CREATE_IN_PROGRESS\s+Right$/)).toBeLessThan(lineOf(text, /CREATE_COMPLETE\s+Left$/));
  expect(result.operations.map((op) => `${op.stackName} ${op.outcome.status} ${op.concurrentWith}`).sort())
    .toEqual(['Left CREATE_COMPLETE Right', 'Right CREATE_COMPLETE Left']);
  expect(text).toMatch(/requests \(Right ran at the same time: theirs included\)/);
  expect(text).toMatch(/Requests to the packages API: \d+ \(AssociatePackage 2, CreatePackage 2,/);
  expect(Object.keys(result.associations).sort()).toEqual(['search-left', 'search-right']);
});

test.each([ReferenceStrength.STRONG, ReferenceStrength.WEAK])('%s references: new content moves the association stack\'s domain to v2: it follows the package by revision', async (strength) => {
  const v1 = twoStackApp(`${strength}-v1.out`, EXAMPLE_SYNONYMS_FILE, strength);
  const v2 = twoStackApp(`${strength}-v2.out`, editedFile, strength);
  // The version is never exported: the association names the package's revision, a literal that changes with the content.
  const outputs = Object.keys(JSON.parse(fs.readFileSync(path.join(v1, 'Packages.template.json'), 'utf8')).Outputs ?? {});
  expect(outputs.filter((name) => name.includes('PackageID'))).toHaveLength(1);
  expect(outputs.filter((name) => name.includes('AvailablePackageVersion'))).toEqual([]);
  const revision = (app: string) => JSON.parse(fs.readFileSync(path.join(app, 'Associations.template.json'), 'utf8')).Resources;
  const [before] = Object.values(revision(v1)).filter((r: any) => r.Type === 'Custom::OpenSearchPackageAssociation') as any[];
  const [after] = Object.values(revision(v2)).filter((r: any) => r.Type === 'Custom::OpenSearchPackageAssociation') as any[];
  expect(before.Properties.PackageRevision).toMatch(/^[0-9a-f]{16}$/);
  expect(after.Properties.PackageRevision).not.toBe(before.Properties.PackageRevision);

  const { result, text } = await runCli(workDir, ['--app', v1, '--update', v2, '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(operations(result)).toEqual([
    'create Packages CREATE_COMPLETE',
    'create Associations CREATE_COMPLETE',
    'update Packages UPDATE_COMPLETE',
    'update Associations UPDATE_COMPLETE',
    'destroy Associations DELETE_COMPLETE',
    'destroy Packages DELETE_COMPLETE',
  ]);
  expect(text).toMatch(/UPDATE_COMPLETE\s+Packages\s+Synonyms[0-9A-F]{8}\s+-\s+packages-synonyms-[0-9a-f]{8} v1 → v2/);
  expect(text).toMatch(new RegExp(`UPDATE_COMPLETE\\s+Associations\\s+Synonyms[0-9A-F]{8}\\s+${DOMAIN}\\s+${PACKAGE_ID} v1 → v2`));
  expect(result.operations[3].requests).toMatchObject({ AssociatePackage: 1 });
});

test('strong references: a renamed package (a new id) is refused while the association stack imports the id, as CloudFormation refuses it', async () => {
  const v1 = twoStackApp('rename-v1.out', EXAMPLE_SYNONYMS_FILE, ReferenceStrength.STRONG);
  const v2 = twoStackApp('rename-v2.out', EXAMPLE_SYNONYMS_FILE, ReferenceStrength.STRONG, 'renamed-synonyms');

  const { result } = await runCli(workDir, ['--app', v1, '--update', v2]);

  expect(result.exitCode).toBe(1);
  expect(operations(result)).toEqual(['create Packages CREATE_COMPLETE', 'create Associations CREATE_COMPLETE', 'update Packages UPDATE_ROLLBACK_COMPLETE']);
  expect(result.operations[2].outcome.failures).toEqual([{
    logicalId: 'Packages',
    reason: expect.stringMatching(/^Export Packages:ExportsOutputFnGetAttSynonyms[0-9A-F]{8}PackageID[0-9A-F]{8} cannot be updated as it is in use by Associations$/),
  }]);
  expect(entry(result)).toEqual([`${PACKAGE_ID}:ACTIVE:v1`]);
});
