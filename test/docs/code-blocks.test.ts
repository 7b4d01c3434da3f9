/**
 * Every code block of the README and docs/ is compiled or synthesized: `ts` blocks are type-checked against lib/
 * (one compiler program for all of them, 'cdk-opensearch-packages' mapped to lib/index.ts), `python` blocks are
 * parsed (test/packaging/python-bindings.test.ts checks the example against the generated binding), and the README's
 * quick start is synthesized as an adopter's stack runs it. Shell commands and output (`sh`, `text`) are exempt; a
 * block of any other language, or none, fails.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { CodeBlock, ROOT, codeBlocks, docFiles } from './markdown-docs';
import { quickStartFiles, usageStack } from '../../scripts/readme-example';
import { awsSolutionsReport } from '../construct/fixtures';

const EXEMPT = ['sh', 'text'];
const blocks = docFiles().flatMap(codeBlocks);
const ofLanguage = (language: string) => blocks.filter((block) => block.language === language);

/** A `ts` block as a module: as it is when it builds its own App, else its statements in a stack's constructor. */
function compilable(block: CodeBlock): { source: string; lineOf: (generated: number) => number } {
  const lines = block.code.replace(/\n$/, '').split('\n');
  if (/\bnew App\(/.test(block.code)) {
    return { source: `${block.code}export {};\n`, lineOf: (generated) => block.line + generated };
  }
  const imports = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.startsWith('import '));
  const body = lines.map((line, i) => ({ line, i })).filter(({ line }) => !line.startsWith('import '));
  const generated = [
    { line: "import { Stack as DocsStack } from 'aws-cdk-lib';", i: -1 },
    { line: "import { Construct as DocsConstruct } from 'constructs';", i: -1 },
    ...imports,
    { line: 'export class DocsBlock extends DocsStack {', i: -1 },
    { line: '  constructor(scope: DocsConstruct, id: string) {', i: -1 },
    { line: '    super(scope, id);', i: -1 },
    ...body.map(({ line, i }) => ({ line: `    ${line}`, i })),
    { line: '  }', i: -1 },
    { line: '}', i: -1 },
  ];
  return {
    source: generated.map(({ line }) => line).join('\n') + '\n',
    lineOf: (n) => block.line + Math.max(generated[n]?.i ?? 0, 0),
  };
}

/** Type errors of every `ts` block, as `file:line: message` of the Markdown file. */
function typeErrors(tsBlocks: CodeBlock[]): string[] {
  const dir = path.join(ROOT, 'test', 'docs', '.blocks');
  const modules = new Map(tsBlocks.map((block, n) => [path.join(dir, `block-${n}.ts`), { block, ...compilable(block) }]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    experimentalDecorators: true,
    paths: { 'cdk-opensearch-packages': [path.join(ROOT, 'lib', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => modules.get(path.resolve(file))?.source ?? readFile(file);
  host.fileExists = (file) => modules.has(path.resolve(file)) || fileExists(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const module = modules.get(path.resolve(file));
    return module ? ts.createSourceFile(file, module.source, language) : getSourceFile(file, language, ...rest);
  };
  const program = ts.createProgram([...modules.keys()], options, host);
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
    ...[...modules.keys()].flatMap((file) => {
      const source = program.getSourceFile(file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    })];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const module = diagnostic.file && modules.get(path.resolve(diagnostic.file.fileName));
    if (!module || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    return `${module.block.file}:${module.lineOf(line)}: ${message}`;
  });
}

test('every code block is TypeScript, Python, or exempt shell commands and output', () => {
  const unknown = blocks.filter((block) => ![...EXEMPT, 'ts', 'python'].includes(block.language));
  expect(unknown.map((block) => `${block.file}:${block.line}: '${block.language}'`)).toEqual([]);
  expect(ofLanguage('ts').length).toBeGreaterThanOrEqual(8);
});

describe('TypeScript blocks (one compiler program for all)', () => {
  // A block that must not compile, checked in the same program: the check can fail, at the right Markdown line.
  const broken: CodeBlock = {
    file: '(broken on purpose)',
    line: 10,
    language: 'ts',
    code: "import { DomainPackages } from 'cdk-opensearch-packages';\n\nnew DomainPackages(this, 'Set', { timeout: 5 });\n",
  };
  let errors: string[];
  beforeAll(() => {
    errors = typeErrors([...ofLanguage('ts'), broken]);
  });

  test('every TypeScript block of the README and docs/ type-checks against lib/', () => {
    expect(errors.filter((error) => !error.startsWith(broken.file))).toEqual([]);
  });

  test('a block that does not compile is reported at its Markdown line', () => {
    expect(errors.filter((error) => error.startsWith(broken.file))).toEqual([
      expect.stringMatching(/^\(broken on purpose\):12: Type 'number' is not assignable to type 'Duration'/),
    ]);
  });
});

test('every Python block parses', () => {
  const python = ofLanguage('python');
  expect(python.length).toBeGreaterThan(0);
  for (const block of python) {
    expect(() => execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: block.code, stdio: 'pipe' }))
      .not.toThrow();
  }
});

describe("the README's quick start, as scripts/readme-example.ts writes it into a cdk init app", () => {
  /** The quick start's stack module, compiled and loaded with 'cdk-opensearch-packages' served by lib/. */
  function quickStartStack(): Stack {
    const source = ts.transpileModule(usageStack('QuickStartStack'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const module = { exports: {} as Record<string, any> };
    const load = (id: string) => (id === 'cdk-opensearch-packages' ? require('../../lib') : require(id));
    new Function('require', 'module', 'exports', source)(load, module, module.exports);
    const app = new App();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quick-start-'));
    for (const [name, content] of Object.entries(quickStartFiles())) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    const cwd = process.cwd();
    process.chdir(dir); // the asset path is relative to the app's folder, as in a cdk init app
    try {
      return new module.exports.QuickStartStack(app, 'QuickStart');
    } finally {
      process.chdir(cwd);
    }
  }

  test('synthesizes one dictionary package, its association, and no warning or error', () => {
    const stack = quickStartStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::OpenSearchPackage', 1);
    template.hasResourceProperties('Custom::OpenSearchPackage', { PackageType: 'TXT-DICTIONARY' });
    const [packageId] = Object.keys(template.findResources('Custom::OpenSearchPackage'));
    template.resourceCountIs('Custom::OpenSearchPackageAssociation', 1);
    template.hasResourceProperties('Custom::OpenSearchPackageAssociation', {
      DomainName: 'search-prod',
      PackageID: { 'Fn::GetAtt': [packageId, 'PackageID'] },
    });
    expect(Annotations.fromStack(stack).findWarning('*', {})).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', {})).toEqual([]);
  });

  test("its index settings' synonyms_path is the dictionary association's referencePath", () => {
    const template = Template.fromStack(quickStartStack());
    const [associationId] = Object.keys(template.findResources('Custom::OpenSearchPackageAssociation'));
    const outputs = Object.values(template.findOutputs('*'));
    const parts: unknown[] = outputs.flatMap((output) => output.Value?.['Fn::Join']?.[1] ?? []);
    const at = parts.findIndex((part) => JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [associationId, 'ReferencePath'] }));
    expect(at).toBeGreaterThan(0);
    expect(parts[at - 1]).toMatch(/"synonyms_path":"$/);
    expect(parts.filter((part) => typeof part === 'string').join('')).toContain('{"settings":{"analysis":{"filter":');
  });

  test('passes cdk-nag AwsSolutions with no suppression of its own: only the provider acknowledges findings', () => {
    const report = awsSolutionsReport(quickStartStack());
    expect(report.open).toEqual([]);
    expect(report.synthFailed).toBe(false);
    expect(report.acknowledged.filter((finding) => !finding.path.startsWith('cdk-opensearch-packages.AssociationProvider/'))).toEqual([]);
  });

  test('the dictionary file the quick start reads comes from its text block', () => {
    expect(quickStartFiles()).toEqual({ 'dictionaries/synonyms.txt': expect.stringContaining('laptop, notebook') });
  });
});
