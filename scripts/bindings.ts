/**
 * What the jsii bindings must contain, read from the `.jsii` assembly that `npm run build` writes, so the
 * checks follow the public API (`lib/index.ts`) as it grows: no list of names to keep in step by hand.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');

interface AssemblyType {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly name: string;
  readonly base?: string;
  readonly initializer?: { readonly parameters?: ReadonlyArray<{ readonly type?: { readonly fqn?: string } }> };
}

export interface Assembly {
  readonly name: string;
  readonly types: Record<string, AssemblyType>;
}

export function readAssembly(root = ROOT): Assembly {
  const file = path.join(root, '.jsii');
  if (!fs.existsSync(file)) throw new Error(`${file} not found: run 'npm run build' first`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Every type name of the assembly (classes, structs, interfaces, enums). */
export function typeNames(assembly: Assembly): string[] {
  return Object.values(assembly.types).map((type) => type.name).sort();
}

/**
 * The construct classes: a class whose base chain (within the assembly) reaches `constructs.Construct`, or
 * whose initializer takes a construct scope first (a base from another assembly, such as aws-cdk-lib's `Resource`).
 */
export function constructClassNames(assembly: Assembly): string[] {
  const isConstruct = (type: AssemblyType | undefined): boolean => {
    if (!type || type.kind !== 'class') return false;
    if (type.initializer?.parameters?.[0]?.type?.fqn === 'constructs.Construct') return true;
    if (type.base === 'constructs.Construct') return true;
    return type.base !== undefined && isConstruct(assembly.types[type.base]);
  };
  return Object.values(assembly.types).filter(isConstruct).map((type) => type.name).sort();
}

/** The Python module's `__init__.py` under a pacmak output folder (`<outdir>/python`). */
export function pythonModuleFile(pythonDir: string, module = 'cdk_opensearch_packages'): string {
  return path.join(pythonDir, 'src', module, '__init__.py');
}

/** Names the Python module defines at top level as `class Name(` or `class Name:`. */
export function pythonClassNames(source: string): string[] {
  return [...source.matchAll(/^class ([A-Za-z_][A-Za-z0-9_]*)[(:]/gm)].map((match) => match[1]);
}

/** The names listed in the module's `__all__`. */
export function pythonExports(source: string): string[] {
  const all = /^__all__ = \[([^\]]*)\]/m.exec(source);
  return all ? [...all[1].matchAll(/"([^"]+)"/g)].map((match) => match[1]) : [];
}

/** `python3 -m py_compile` on every `.py` file below a folder; throws with python's message on a syntax error. */
export function pyCompile(dir: string): string[] {
  const files = listFiles(dir).filter((file) => file.endsWith('.py'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'pycache-')); // keep .pyc files out of the bindings
  try {
    execFileSync('python3', ['-m', 'py_compile', ...files], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  return files;
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Runs `jsii-pacmak --code-only` for the given targets into `outdir`, from the assembly and the compiled `lib/`
 * that `npm run build` wrote. Scripts are skipped: the pack inside pacmak must not build again.
 */
export function pacmakCodeOnly(targets: string[], outdir: string, root = ROOT): void {
  const pacmak = path.join(root, 'node_modules', '.bin', 'jsii-pacmak');
  execFileSync(pacmak, ['--targets', ...targets, '--code-only', '--no-npmignore', '--no-fingerprint', '--outdir', outdir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_ignore_scripts: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '1' },
  });
}

/**
 * Reads a Python example against the generated module with Python's own parser: every name it imports from the
 * module must exist, and every keyword argument it passes to one of the module's classes must be a parameter of
 * that class's `__init__`. Returns the problems found (empty when the example fits the binding); a syntax error in
 * the example throws.
 */
export function pythonExampleProblems(moduleFile: string, example: string, module = 'cdk_opensearch_packages'): string[] {
  const script = `
import ast, json, sys
module = ast.parse(open(sys.argv[1]).read())
example = ast.parse(sys.stdin.read())
params = {}
for node in module.body:
    if isinstance(node, ast.ClassDef):
        init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == '__init__'), None)
        params[node.name] = [a.arg for a in init.args.args + init.args.kwonlyargs] if init else []
imported, problems = set(), []
for node in ast.walk(example):
    if isinstance(node, ast.ImportFrom) and node.module == sys.argv[2]:
        for alias in node.names:
            imported.add(alias.asname or alias.name)
            if alias.name not in params:
                problems.append('imports %s, which the module does not define' % alias.name)
for node in ast.walk(example):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported and node.func.id in params:
        for keyword in node.keywords:
            if keyword.arg is not None and keyword.arg not in params[node.func.id]:
                problems.append('%s(...) has no parameter %s' % (node.func.id, keyword.arg))
print(json.dumps({'imported': sorted(imported), 'problems': problems}))
`;
  const output = execFileSync('python3', ['-c', script, moduleFile, module], { input: example, encoding: 'utf8' });
  const result = JSON.parse(output) as { imported: string[]; problems: string[] };
  return result.imported.length === 0 ? [`the example imports nothing from ${module}`] : result.problems;
}
