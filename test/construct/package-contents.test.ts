/**
 * What `npm pack` ships: the compiled API with its declarations, the handler bundle, README,
 * CHANGELOG and LICENSE; never the tests, the emulator, the local player, the bench or the
 * handler's sources. (`npm test` builds first, so dist/ and the bundle exist.)
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(output)[0].files as Array<{ path: string }>).map((file) => file.path).sort();
}

test('npm pack ships the API, its declarations, the handler bundle and the documents, nothing else', () => {
  const files = packedFiles();

  expect(files.filter((file) => !file.startsWith('dist/'))).toEqual([
    'CHANGELOG.md', 'LICENSE', 'README.md', 'assets/association-handler/index.js', 'package.json',
  ]);
  const dist = files.filter((file) => file.startsWith('dist/'));
  expect(dist.every((file) => /^dist\/[a-z-]+\.(js|d\.ts)$/.test(file))).toBe(true);
  expect(dist).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/open-search-package.js', 'dist/domain-package-association.d.ts']));
  // every compiled module comes with its declarations
  expect(dist.filter((file) => file.endsWith('.js')).map((file) => file.replace(/\.js$/, '.d.ts')).every((file) => dist.includes(file))).toBe(true);
}, 60_000);
