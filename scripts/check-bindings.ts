/**
 * After `jsii-pacmak --code-only` (`npm run package`): checks what this machine's toolchain can check of each
 * binding in dist/, and prints what a release machine builds from it. Exits non-zero when any check fails.
 *   js      dist/js/*.jsii.tgz: the npm tarball (npm pack, no registry needed)
 *   python  every construct class defined, `python3 -m py_compile` passes
 *   java    a source file per public type
 *   dotnet  a source file per public type
 *   go      a source file per public type, `gofmt -e` parses every file (when Go is installed)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, constructClassNames, listFiles, pyCompile, pythonClassNames, pythonModuleFile, readAssembly, typeNames } from './bindings';

const DIST = path.join(ROOT, 'dist');
const assembly = readAssembly();
const types = typeNames(assembly);
const constructs = constructClassNames(assembly);

function check(language: string, ok: boolean, detail: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${language.padEnd(6)} ${detail}`);
  if (!ok) process.exitCode = 1;
}

function missing(files: string[], names: string[], extension: string): string[] {
  const present = new Set(files.map((file) => path.basename(file)));
  return names.filter((name) => !present.has(`${name}${extension}`));
}

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? listFiles(dir) : [];
}

const tarballs = filesIn(path.join(DIST, 'js')).filter((file) => file.endsWith('.tgz'));
check('js', tarballs.length === 1, tarballs.map((file) => `${path.relative(ROOT, file)} (${fs.statSync(file).size} bytes)`).join(', ') || 'no tarball in dist/js');

const pythonModule = pythonModuleFile(path.join(DIST, 'python'));
if (fs.existsSync(pythonModule)) {
  const absent = constructs.filter((name) => !pythonClassNames(fs.readFileSync(pythonModule, 'utf8')).includes(name));
  const compiled = absent.length === 0 ? pyCompile(path.join(DIST, 'python', 'src')) : [];
  check('python', absent.length === 0, absent.length ? `construct classes missing: ${absent.join(', ')}` : `${constructs.join(', ')} defined; py_compile ok on ${compiled.length} file(s)`);
} else {
  check('python', false, `${path.relative(ROOT, pythonModule)} not generated`);
}

const java = filesIn(path.join(DIST, 'java', 'src')).filter((file) => file.endsWith('.java'));
const javaMissing = missing(java, types, '.java');
check('java', javaMissing.length === 0, javaMissing.length ? `sources missing: ${javaMissing.join(', ')}` : `${java.length} sources`);

const dotnet = filesIn(path.join(DIST, 'dotnet')).filter((file) => file.endsWith('.cs'));
const dotnetMissing = missing(dotnet, types, '.cs');
check('dotnet', dotnetMissing.length === 0, dotnetMissing.length ? `sources missing: ${dotnetMissing.join(', ')}` : `${dotnet.length} sources`);

const go = filesIn(path.join(DIST, 'go')).filter((file) => file.endsWith('.go'));
const goMissing = missing(go, types, '.go');
let gofmt = 'gofmt not installed: not parsed';
try {
  execFileSync('gofmt', ['-e', '-l', ...go], { stdio: ['ignore', 'pipe', 'pipe'] });
  gofmt = 'gofmt -e parses them';
} catch (error) {
  const failure = error as { code?: string; stderr?: Buffer };
  if (failure.code !== 'ENOENT') {
    check('go', false, `gofmt: ${failure.stderr?.toString().trim()}`);
  }
}
check('go', goMissing.length === 0, goMissing.length ? `sources missing: ${goMissing.join(', ')}` : `${go.length} sources; ${gofmt}`);

console.log('\nA release machine runs `npx jsii-pacmak` without --code-only (Python 3 with pip and PyPI, a JDK with Maven');
console.log('and Maven Central, the .NET SDK with NuGet, Go with its module proxy): see the README, "Release".');
