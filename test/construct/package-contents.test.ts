/**
 * What `npm pack` ships: the API as jsii compiled it in place (lib/*.js with declarations), the `.jsii`
 * assembly, the handler bundle, README, CHANGELOG and LICENSE; never the TypeScript sources, the tests, the
 * emulator, the local player, the bench or the handler's sources. (`npm test` builds first, so they exist.)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(output)[0].files as Array<{ path: string }>).map((file) => file.path).sort();
}

test('npm pack ships the compiled API, its declarations, the assembly, the handler bundle and the documents, nothing else', () => {
  const files = packedFiles();

  expect(files.filter((file) => !file.startsWith('lib/'))).toEqual([
    '.jsii', 'CHANGELOG.md', 'LICENSE', 'README.md', 'assets/association-handler/index.js', 'package.json',
  ]);
  const lib = files.filter((file) => file.startsWith('lib/'));
  expect(lib.every((file) => /^lib\/[a-z-]+\.(js|d\.ts)$/.test(file))).toBe(true);
  expect(lib).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', 'lib/open-search-package.js', 'lib/domain-package-association.d.ts']));
  // every module of lib/ is shipped compiled, with its declarations
  const sources = fs.readdirSync(path.join(ROOT, 'lib')).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  expect(lib.filter((file) => file.endsWith('.js')).sort()).toEqual(sources.map((file) => `lib/${file.replace(/\.ts$/, '.js')}`).sort());
  expect(lib.filter((file) => file.endsWith('.d.ts')).sort()).toEqual(sources.map((file) => `lib/${file.replace(/\.ts$/, '.d.ts')}`).sort());
}, 60_000);

test('package.json points at the compiled entry point, which exists after the build', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect([manifest.main, manifest.types]).toEqual(['lib/index.js', 'lib/index.d.ts']);
  expect(fs.existsSync(path.join(ROOT, manifest.main))).toBe(true);
  expect(manifest.scripts.prepare).toBeUndefined(); // consumers never build
  expect(manifest.scripts.prepack).toBe('npm run build');
});

test('the compiled JavaScript carries no source maps (the TypeScript sources are not shipped)', () => {
  const compiled = fs.readdirSync(path.join(ROOT, 'lib')).filter((file) => file.endsWith('.js'));
  expect(compiled.length).toBeGreaterThan(0);
  for (const file of compiled) {
    expect(fs.readFileSync(path.join(ROOT, 'lib', file), 'utf8')).not.toContain('sourceMappingURL');
  }
});

test('the tests load the TypeScript sources of lib/, not the compiled JavaScript next to them', () => {
  expect(require.resolve('../../lib')).toBe(path.join(ROOT, 'lib', 'index.ts'));
  expect(require.resolve('../../lib/open-search-package')).toBe(path.join(ROOT, 'lib', 'open-search-package.ts'));
});
