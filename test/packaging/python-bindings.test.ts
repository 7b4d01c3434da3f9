/**
 * The Python binding that `npm run package` generates defines every public construct class and compiles.
 * The list comes from the `.jsii` assembly (`npm test` builds first) and is checked against lib/index's runtime
 * exports, so a construct added to the API is covered without touching this file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import * as api from '../../lib';
import { constructClassNames, pacmakCodeOnly, pyCompile, pythonClassNames, pythonExampleProblems, pythonExports, pythonModuleFile, readAssembly, typeNames } from '../../scripts/bindings';
import { readmeBlocks } from '../../scripts/readme-example';

jest.setTimeout(90_000);

const assembly = readAssembly();
let outdir: string;
let moduleSource: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'python-bindings-'));
  pacmakCodeOnly(['python'], outdir);
  moduleSource = fs.readFileSync(pythonModuleFile(path.join(outdir, 'python')), 'utf8');
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the assembly holds every construct class that lib/index exports', () => {
  const exportedConstructs = Object.entries(api)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
    .map(([name]) => name)
    .sort();
  expect(exportedConstructs).toEqual(expect.arrayContaining(['DomainPackageAssociation', 'OpenSearchPackage']));
  expect(constructClassNames(assembly)).toEqual(exportedConstructs);
});

test('the Python module defines every public construct class, and exports every type', () => {
  const classes = pythonClassNames(moduleSource);
  expect(classes).toEqual(expect.arrayContaining(constructClassNames(assembly)));
  expect(pythonExports(moduleSource).sort()).toEqual(typeNames(assembly));
  for (const name of constructClassNames(assembly)) {
    expect(moduleSource).toContain(`jsii_type="${assembly.name}.${name}"`);
  }
});

test('the Python package compiles (python3 -m py_compile)', () => {
  const files = pyCompile(path.join(outdir, 'python', 'src'));
  expect(files.map((file) => path.basename(file))).toContain('__init__.py');
});

test("the docs' Python example parses and fits the generated binding (imports, keyword arguments)", () => {
  const associations = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'associations.md'), 'utf8');
  const [example] = readmeBlocks('python', '## In Python', associations);
  expect(example).toContain('DomainPackageAssociation(');
  expect(pythonExampleProblems(pythonModuleFile(path.join(outdir, 'python')), example)).toEqual([]);
});
