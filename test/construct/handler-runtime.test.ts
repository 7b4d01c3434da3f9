import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { format, type Plugin } from 'pretty-format';
import { exampleStack, importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation } from '../../lib';
import { PROVIDER_ID } from '../../lib/association-provider';
import { handlerRuntime, MIN_NODE_MAJOR, newestNodeMajor } from '../../lib/handler-runtime';
import { FRAMEWORK_FUNCTION_IDS, runFrameworkOn } from '../../lib/provider-framework';
import { MASKED_RUNTIME, maskHandlerRuntimes } from '../../scripts/integ/handler-runtime-mask';

const REPO_ROOT = path.join(__dirname, '..', '..');
const PROVIDER_LOGICAL_ID = 'cdkopensearchpackagesAssociationProvider';
/** The next Node.js major after the installed aws-cdk-lib's newest (Node.js LTS majors are even): 26 on 2.276.0. */
const NEWER = Number(/^nodejs(\d+)\.x$/.exec(handlerRuntime().name)![1]) + 2;
/** jest.config.js's snapshot serializers, as toMatchSnapshot applies them. */
const SNAPSHOT_SERIALIZERS: Plugin[] = (require('../../jest.config.js').snapshotSerializers as string[])
  .map((file) => require(file.replace('<rootDir>', REPO_ROOT)));

/** The Runtime of every Lambda function of `template`, by logical id. */
function runtimes(template: Template): Record<string, string> {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Properties: { Runtime: string } }>;
  return Object.fromEntries(Object.entries(functions).map(([id, fn]) => [id, fn.Properties.Runtime]));
}

/** A stack with one association: the provider's two handlers and three framework functions. */
function providerTemplate(): Template {
  const stack = newStack();
  new DomainPackageAssociation(stack, 'Synonyms', { domain: importedDomain(stack, 'search-one'), packageId: 'F1' });
  return Template.fromStack(stack);
}

/**
 * Runs `action` as on an aws-cdk-lib that knows one more Node.js runtime, `Runtime.NODEJS_<major>_X`: the static a
 * newer release adds, and the entry in `Runtime.ALL` (what cdk-nag's AwsSolutions-L1 compares with). Both are
 * removed afterwards.
 */
function withNewerRuntime<T>(major: number, action: () => T): T {
  const key = `NODEJS_${major}_X`;
  const statics = lambda.Runtime as unknown as Record<string, lambda.Runtime>;
  const runtime = new lambda.Runtime(`nodejs${major}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
  Object.defineProperty(lambda.Runtime, key, { value: runtime, enumerable: true, configurable: true });
  try {
    expect(statics[key]).toBe(runtime);
    return action();
  } finally {
    delete statics[key];
    lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(runtime), 1);
  }
}

describe('the runtime of the provider\'s functions', () => {
  test.each([
    [['NODEJS_20_X', 'NODEJS_LATEST', 'NODEJS_22_X', 'NODEJS_24_X', 'PYTHON_3_13'], 24],
    [['NODEJS_22_X', 'NODEJS_24_X', 'NODEJS_26_X', 'NODEJS_4_3'], 26],
    [['NODEJS_18_X', 'NODEJS_20_X', 'NODEJS_LATEST'], 22],
    [[], 22],
  ])('newest Node.js major of %p: %p (never below 22)', (keys, major) => {
    expect(newestNodeMajor(keys)).toBe(major);
  });

  test('is the newest fixed Node.js runtime the installed aws-cdk-lib knows, as AwsSolutions-L1 reads it', () => {
    const runtime = handlerRuntime();
    const known = Object.entries(lambda.Runtime as unknown as Record<string, unknown>)
      .filter(([key]) => /^NODEJS_\d+_X$/.test(key)).map(([, value]) => value as lambda.Runtime);
    const major = (r: lambda.Runtime) => Number(/^nodejs(\d+)(\.x)?$/.exec(r.name)?.[1] ?? 0);

    expect(known).toContain(runtime);
    expect(runtime.isVariable).toBe(false);
    expect(Math.max(...known.map(major))).toBe(major(runtime));
    // cdk-nag compares with the newest Node.js runtime of Runtime.ALL.
    expect(Math.max(...lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS).map(major))).toBe(major(runtime));
    expect(major(runtime)).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  });

  test('the handler bundle\'s esbuild target is the oldest Node.js the functions may run on', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['build:handler']).toMatch(new RegExp(`--target=node${MIN_NODE_MAJOR}( |$)`));
  });

  test('all five functions, the framework\'s too, run on it, written as a literal (no region map)', () => {
    const found = runtimes(providerTemplate());
    const providerFunctions = Object.keys(found).filter((id) => id.startsWith(PROVIDER_LOGICAL_ID));

    expect(providerFunctions).toHaveLength(2 + FRAMEWORK_FUNCTION_IDS.length);
    expect(providerFunctions.filter((id) => id.includes('framework'))).toHaveLength(FRAMEWORK_FUNCTION_IDS.length);
    for (const id of providerFunctions) {
      expect(found[id]).toBe(handlerRuntime().name);
    }
  });

  test('adds no runtime of its own to lambda.Runtime.ALL, which AwsSolutions-L1 compares every function of the app with', () => {
    providerTemplate();
    const statics = Object.values(lambda.Runtime as unknown as Record<string, unknown>)
      .filter((value): value is lambda.Runtime => value instanceof lambda.Runtime).map((r) => r.name);
    // A Node.js runtime newer than aws-cdk-lib knows would make a user's function on its newest one a finding.
    const unknown = lambda.Runtime.ALL.map((r) => r.name).filter((name) => /^nodejs\d/.test(name) && !statics.includes(name));
    expect(unknown).toEqual([]);
  });

  test('a framework function a future aws-cdk-lib renames is left alone; the others still move', () => {
    const stack = newStack();
    const code = lambda.Code.fromInline('exports.handler = async () => ({});');
    const userFunction = (id: string) => new lambda.Function(stack, id, { code, handler: 'index.handler', runtime: handlerRuntime() });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: userFunction('OnEvent'), isCompleteHandler: userFunction('IsComplete') });
    expect(provider.node.tryRemoveChild('framework-onTimeout')).toBe(true);

    expect(() => runFrameworkOn(provider, handlerRuntime())).not.toThrow();
    const moved = ['framework-onEvent', 'framework-isComplete']
      .map((id) => (provider.node.findChild(id).node.defaultChild as lambda.CfnFunction).runtime);
    expect(moved).toEqual([handlerRuntime().name, handlerRuntime().name]);
  });

  test('the framework\'s code, moved to that runtime, needs only Node.js built-ins and the SDK clients Lambda\'s Node.js runtimes carry', () => {
    // The folder aws-cdk-lib's Provider ships as its framework functions' code (Code.fromAsset, handler framework.*).
    const dir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resources', 'lib', 'provider-framework', 'runtime');
    const sources = fs.readdirSync(dir).filter((file) => file.endsWith('.js')).map((file) => fs.readFileSync(path.join(dir, file), 'utf8'));
    const required = new Set(sources.flatMap((source) => [...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])));
    const builtins = new Set(require('module').builtinModules as string[]);

    expect(sources.length).toBeGreaterThan(0);
    expect([...required].filter((id) => !id.startsWith('./') && !builtins.has(id.replace(/^node:/, ''))).sort())
      .toEqual(['@aws-sdk/client-lambda', '@aws-sdk/client-sfn']);
  });

  test('a newer aws-cdk-lib\'s newest Node.js runtime is followed by all five functions', () => {
    const found = withNewerRuntime(NEWER, () => runtimes(providerTemplate()));
    expect(Object.values(found)).toHaveLength(5);
    expect(new Set(Object.values(found))).toEqual(new Set([`nodejs${NEWER}.x`]));
  });
});

describe('snapshots on a newer aws-cdk-lib', () => {
  test('the example stack\'s snapshot is unchanged: only the provider functions\' runtime differs, and it is masked', () => {
    const now = Template.fromStack(exampleStack()).toJSON();
    const newer = withNewerRuntime(NEWER, () => Template.fromStack(exampleStack()).toJSON());

    expect(JSON.stringify(newer)).not.toEqual(JSON.stringify(now));
    expect(maskHandlerRuntimes(newer)).toEqual(maskHandlerRuntimes(now));
    // What jest.config.js's snapshot serializers print (toMatchSnapshot's text): the same for both.
    const printed = (template: unknown) => format(template, { plugins: SNAPSHOT_SERIALIZERS });
    expect(printed(newer)).toEqual(printed(now));
    expect(printed(now)).toContain(MASKED_RUNTIME);
    expect(printed(now)).not.toContain(handlerRuntime().name);
  });

  test('the mask covers the provider\'s functions only: a function of another construct keeps its runtime', () => {
    const stack = exampleStack();
    new lambda.Function(stack, 'Other', {
      runtime: handlerRuntime(), handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const masked = runtimes(Template.fromJSON(maskHandlerRuntimes(Template.fromStack(stack).toJSON())));

    expect(Object.entries(masked).filter(([, runtime]) => runtime !== MASKED_RUNTIME)).toEqual([[expect.stringMatching(/^Other/), handlerRuntime().name]]);
    expect(Object.keys(masked).filter((id) => masked[id] === MASKED_RUNTIME).every((id) => id.startsWith(PROVIDER_LOGICAL_ID))).toBe(true);
    expect(PROVIDER_ID.replace(/[^A-Za-z0-9]/g, '')).toBe(PROVIDER_LOGICAL_ID);
  });
});
