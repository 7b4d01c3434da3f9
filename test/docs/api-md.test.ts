/**
 * API.md is what `npm run docgen` (jsii-docgen, as Construct Hub renders it) generates from the jsii assembly that
 * `npm run build` wrote: a public API change without `npm run docgen` fails here, and in CI (`npm test`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('API.md is current: jsii-docgen generates it from the assembly, byte for byte', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-md-')), 'API.md');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['-o', out], { cwd: ROOT, stdio: 'pipe' });
  const generated = fs.readFileSync(out, 'utf8');
  const checkedIn = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
  if (generated !== checkedIn) {
    throw new Error('API.md is not what jsii-docgen generates from the assembly (.jsii): run `npm run build && npm run docgen`');
  }
  // It documents every export of the assembly.
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
  for (const fqn of Object.keys(assembly.types)) expect(generated).toContain(`id="${fqn}"`);
}, 60_000);
