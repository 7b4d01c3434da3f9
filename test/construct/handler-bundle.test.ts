import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { importedDomain, newStack, providerOf } from './fixtures';
import { DomainPackageAssociation } from '../../lib';

const REPO_ROOT = path.join(__dirname, '..', '..');
const BUNDLE_DIR = path.join(REPO_ROOT, 'assets', 'association-handler');

/** A stack with one association, synthesized: its template, assets manifest and assembly directory. */
function synthesized() {
  const stack = newStack();
  new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
  const assembly = (stack.node.root as App).synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
  return { stack, template: artifact.template, files: manifest.files as Record<string, any>, directory: assembly.directory };
}

describe('the shipped package', () => {
  test('the pre-built bundle exports the onEvent and isComplete functions', () => {
    const bundle = require(path.join(BUNDLE_DIR, 'index.js'));
    expect(typeof bundle.onEvent).toBe('function');
    expect(typeof bundle.isComplete).toBe('function');
  });

  test('the bundle carries its own SDK: it requires nothing but Node built-ins', () => {
    const source = fs.readFileSync(path.join(BUNDLE_DIR, 'index.js'), 'utf8');
    const required = [...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    // The SDK's optional CRT signer is required inside a try and never installed.
    const outside = required.filter((id) => !id.startsWith('node:') && id !== '@aws-sdk/signature-v4-crt');
    expect(outside).toEqual([]);
  });

  test('both handlers ship the bundle folder as is: one zip asset, no bundling at synth', () => {
    const { template, files, directory } = synthesized();
    const handlers = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler.startsWith('index.'));
    const [hash, ...others] = new Set(handlers.map((f) => f.Properties.Code.S3Key.replace(/\.zip$/, '')));

    expect(handlers.map((f) => f.Properties.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);
    expect(others).toEqual([]);
    expect(files[hash].source.packaging).toBe('zip');
    const staged = path.join(directory, files[hash].source.path);
    expect(fs.statSync(staged).isDirectory()).toBe(true);
    const stagedFile = path.join(staged, 'index.js');
    expect(fs.readFileSync(stagedFile).equals(fs.readFileSync(path.join(BUNDLE_DIR, 'index.js')))).toBe(true);
    // Each Handler names `<file>.<export>` of the staged folder.
    const stagedBundle = require(stagedFile);
    for (const f of handlers) {
      expect(typeof stagedBundle[f.Properties.Handler.split('.')[1]]).toBe('function');
    }
  });

  test('the handlers run on a fixed Node.js runtime (not NODEJS_LATEST) the bundle\'s esbuild target supports', () => {
    const provider = providerOf(synthesized().stack);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const target = Number(/--target=node(\d+)\b/.exec(pkg.scripts['build:handler'])![1]);
    for (const id of ['OnEventHandler', 'IsCompleteHandler']) {
      const { runtime } = provider.node.findChild(id) as lambda.Function;
      expect(runtime.isVariable).toBe(false);
      expect(runtime.family).toBe(lambda.RuntimeFamily.NODEJS);
      expect(Number(/^nodejs(\d+)\.x$/.exec(runtime.name)![1])).toBeGreaterThanOrEqual(target);
    }
  });

  test('package.json ships the bundle folder and main exports the construct', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('assets/association-handler/**');
    const entry = require(REPO_ROOT);
    expect(typeof entry.DomainPackageAssociation).toBe('function');
    expect(entry.DomainPackageAssociation.name).toBe('DomainPackageAssociation');
  });
});
