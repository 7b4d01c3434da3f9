import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertionResults, reportAssertions } from '../../scripts/integ/deploy';
import { integApps, offlineEnv } from '../../scripts/integ/integ-apps';
import { snapshotDifferences } from '../../scripts/integ/snapshot-diff';

/*
 * scripts/integ.ts stands in for integ-runner (which cannot read aws-cdk-lib 2.276's assemblies): these tests pin
 * what its snapshot check ignores and what it reports, and how the deploy run reads the assertions' results.
 */

const HANDLER_HASH = 'a'.repeat(64);
/** The provider's construct id as its resources' logical ids start. */
const PROVIDER_LOGICAL_ID = 'cdkopensearchpackagesAssociationProvider';
const NEW_HANDLER_HASH = 'b'.repeat(64);

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  dirs = [];
});

interface AssemblyOptions {
  readonly handlerHash?: string;
  readonly salt?: string;
  readonly diffAssets?: boolean;
  readonly extraTemplate?: boolean;
  /** A `salt` property on a resource that is not an assertion. */
  readonly resourceSalt?: string;
  /** The runtime of the library's provider function, and of a function of another construct. */
  readonly providerRuntime?: string;
  readonly otherRuntime?: string;
}

/** A cloud assembly with what the check reads: integ.json, a test stack template, an assertion template, an asset. */
function assembly(options: AssemblyOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-test-'));
  dirs.push(dir);
  const hash = options.handlerHash ?? HANDLER_HASH;
  const write = (file: string, value: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
  write('integ.json', { version: '55.0.0', testCases: { 'T/DefaultTest': { stacks: ['S'], diffAssets: options.diffAssets ?? true } } });
  write('S.template.json', {
    Resources: {
      Handler: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${hash}.zip` }, salt: options.resourceSalt } },
      [`${PROVIDER_LOGICAL_ID}OnEventHandlerD79C8AB9`]: { Type: 'AWS::Lambda::Function', Properties: { Runtime: options.providerRuntime ?? 'nodejs24.x' } },
      Other: { Type: 'AWS::Lambda::Function', Properties: { Runtime: options.otherRuntime ?? 'nodejs24.x' } },
    },
  });
  write('A.template.json', {
    Resources: {
      Call: { Type: 'Custom::DeployAssert@SdkCallOpenSearchListPackagesForDomain', Properties: { api: 'ListPackagesForDomain', salt: options.salt ?? '1' } },
    },
  });
  if (options.extraTemplate) {
    write('Extra.template.json', { Resources: {} });
  }
  fs.mkdirSync(path.join(dir, `asset.${hash}`));
  return dir;
}

describe('snapshot check', () => {
  test('an assertion\'s salt (Date.now() at synthesis) is not a difference', () => {
    expect(snapshotDifferences(assembly({ salt: '1796596113728' }), assembly({ salt: '1796596134233' }))).toEqual([]);
  });

  test('a salt property of another resource is a difference', () => {
    const found = snapshotDifferences(assembly({ resourceSalt: 'x' }), assembly({ resourceSalt: 'y' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^-\s+"salt": "x"$/m);
  });

  test('a new handler bundle (asset hash) is a difference in the template and in the assets, with diffAssets', () => {
    const found = snapshotDifferences(assembly(), assembly({ handlerHash: NEW_HANDLER_HASH }));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(new RegExp(`^-\\s+"S3Key": "${HANDLER_HASH}.zip"$`, 'm'));
    expect(found[0]).toMatch(new RegExp(`^\\+\\s+"S3Key": "${NEW_HANDLER_HASH}.zip"$`, 'm'));
    expect(found[1]).toBe(`assets: not in the snapshot: asset.${NEW_HANDLER_HASH}; only in the snapshot: asset.${HANDLER_HASH}`);
  });

  test('without diffAssets (integ-runner\'s default), asset hashes are masked', () => {
    expect(snapshotDifferences(assembly({ diffAssets: false }), assembly({ diffAssets: false, handlerHash: NEW_HANDLER_HASH }))).toEqual([]);
  });

  test('a template only one side has, or a missing snapshot, is a difference', () => {
    expect(snapshotDifferences(assembly(), assembly({ extraTemplate: true }))).toEqual([expect.stringContaining('+++ synthesized/Extra.template.json')]);
    expect(snapshotDifferences('/nonexistent/integ.x.ts.snapshot', assembly())).toEqual(['no snapshot: /nonexistent/integ.x.ts.snapshot does not exist']);
  });

  test('the provider functions\' runtime (the newest of the installed aws-cdk-lib) is masked; another function\'s is not', () => {
    expect(snapshotDifferences(assembly(), assembly({ providerRuntime: 'nodejs26.x' }))).toEqual([]);
    const found = snapshotDifferences(assembly(), assembly({ otherRuntime: 'nodejs26.x' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\+\s+"Runtime": "nodejs26.x"$/m);
    expect(found[0]).not.toContain('[HANDLER RUNTIME]');
  });

  test('a changed test manifest (integ.json) is a difference', () => {
    const found = snapshotDifferences(assembly({ diffAssets: true }), assembly({ diffAssets: false }));
    expect(found[0]).toMatch(/^-\s+"diffAssets": true$/m);
  });
});

describe('offline synthesis environment', () => {
  test('drops INTEG_* variables and AWS credentials, disables the instance metadata service, keeps the rest', () => {
    const env = offlineEnv({
      PATH: '/usr/bin',
      INTEG_PLUGIN_ZIP: '/tmp/plugin.zip',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
      AWS_PROFILE: 'p',
      AWS_REGION: 'us-east-1',
    });
    expect(env).toEqual({ PATH: '/usr/bin', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });
  });
});

describe('integration test apps', () => {
  test('found in test/integ with their snapshot folders; an unknown name is refused', () => {
    const apps = integApps(['domain-packages']);
    expect(apps.map((app) => path.relative(path.join(__dirname), app.snapshotDir))).toEqual(['integ.domain-packages.ts.snapshot']);
    expect(integApps(['integ.domain-packages.ts'])).toEqual(apps);
    expect(() => integApps(['nope'])).toThrow("no integration test named 'nope' in test/integ");
  });
});

describe('assertion results of a deploy', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  function outputsFile(outputs: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-outputs-'));
    dirs.push(dir);
    const file = path.join(dir, 'assertion-results.json');
    fs.writeFileSync(file, JSON.stringify({ AssertStack: outputs, Other: { AssertionResultsX: '{"status":"fail"}' } }));
    return file;
  }

  test('every AssertionResults output of the assertion stack is read; one failure fails the run with its message', () => {
    const results = assertionResults(outputsFile({
      AssertionResultsA: '{"status":"success"}',
      AssertionResultsB: '{"status":"fail","message":"Expected ACTIVE\nbut received ASSOCIATING"}',
      SomethingElse: 'ignored',
    }), 'AssertStack');
    expect(results).toEqual({
      AssertionResultsA: { status: 'success' },
      AssertionResultsB: { status: 'fail', message: 'Expected ACTIVE\nbut received ASSOCIATING' },
    });
    expect(() => reportAssertions('T/DefaultTest', results)).toThrow('T/DefaultTest: 1 of 2 assertions failed');
    expect(printed).toEqual(['ok   AssertionResultsA', 'FAIL AssertionResultsB\nExpected ACTIVE\nbut received ASSOCIATING']);
  });

  test('all successful passes; no result at all fails', () => {
    expect(() => reportAssertions('T', assertionResults(outputsFile({ AssertionResultsA: '{"status":"success"}' }), 'AssertStack'))).not.toThrow();
    expect(() => reportAssertions('T', assertionResults(outputsFile({}), 'AssertStack'))).toThrow('T: no assertion results in the outputs');
  });
});
