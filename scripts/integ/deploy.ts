import * as fs from 'fs';
import * as path from 'path';
import { cdk } from './integ-apps';

/** A test case of integ.json, as integ-tests-alpha writes it. */
interface TestCase {
  readonly stacks: string[];
  readonly assertionStack?: string;
  readonly assertionStackName?: string;
  readonly regions?: string[];
}

/** One assertion's result, the JSON of an `AssertionResults…` output of the assertion stack. */
interface AssertionResult {
  readonly status: 'success' | 'fail';
  readonly message?: string;
}

/**
 * integ-runner's deploy workflow on the assembly in `assemblyDir`: each test case's stacks, then its assertion
 * stack without rollback and with its outputs saved; the assertions pass when every `AssertionResults…` output
 * says success. Everything is destroyed afterwards, passed or not, unless `clean` is false.
 * Throws when an assertion failed, none was found, or the region is not one the test cases allow.
 */
export function deployAndAssert(assemblyDir: string, region: string, clean: boolean): void {
  const testCases = Object.entries(readTestCases(assemblyDir));
  checkRegion(testCases.map(([, testCase]) => testCase), region);
  const app = ['--app', assemblyDir];
  const env = { ...process.env, AWS_REGION: region, AWS_DEFAULT_REGION: region };
  let failure: unknown;
  try {
    for (const [name, testCase] of testCases) {
      console.log(`=== ${name}: deploying ${testCase.stacks.join(', ')} in ${region}`);
      cdk(['deploy', ...app, '--require-approval', 'never', ...testCase.stacks], env);
      if (testCase.assertionStack && testCase.assertionStackName) {
        const outputs = path.join(assemblyDir, 'assertion-results.json');
        cdk(['deploy', ...app, '--require-approval', 'never', '--no-rollback', '--outputs-file', outputs, testCase.assertionStack], env);
        reportAssertions(name, assertionResults(outputs, testCase.assertionStackName));
      }
    }
  } catch (error) {
    failure = error;
  }
  if (!clean) {
    // The assembly's temporary folder is gone by then: `cdk destroy` needs the stacks' names only.
    console.log(`=== left deployed (--no-clean): delete the stacks ${stackNames(assemblyDir).join(', ')} (CloudFormation) when done`);
  } else {
    console.log('=== destroying every stack of the test');
    // A failed destroy must not hide why the test failed: both are reported.
    try {
      cdk(['destroy', ...app, '--all', '--force'], env);
    } catch (error) {
      throw new Error(`destroy failed (${(error as Error).message})${failure ? `; the test had failed: ${(failure as Error).message}` : ''}`);
    }
  }
  if (failure) {
    throw failure;
  }
}

/** The CloudFormation stack names of the assembly. */
function stackNames(assemblyDir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => artifact.properties?.stackName ?? id);
}

function readTestCases(assemblyDir: string): Record<string, TestCase> {
  return JSON.parse(fs.readFileSync(path.join(assemblyDir, 'integ.json'), 'utf8')).testCases;
}

function checkRegion(testCases: TestCase[], region: string): void {
  const bad = testCases.find((testCase) => testCase.regions && !testCase.regions.includes(region));
  if (bad) {
    throw new Error(`AWS_REGION '${region}' is not one of the test's regions: ${bad.regions!.join(', ')}`);
  }
}

/** The assertion stack's `AssertionResults…` outputs, parsed. */
export function assertionResults(outputsFile: string, assertionStackName: string): Record<string, AssertionResult> {
  const outputs: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(outputsFile, 'utf8'));
  return Object.fromEntries(Object.entries(outputs[assertionStackName] ?? {})
    .filter(([id]) => id.startsWith('AssertionResults'))
    .map(([id, value]) => [id, JSON.parse(value.replace(/\n/g, '\\n')) as AssertionResult]));
}

/** Prints each result; throws unless there is at least one and all succeeded. */
export function reportAssertions(testCase: string, results: Record<string, AssertionResult>): void {
  const entries = Object.entries(results);
  for (const [id, result] of entries) {
    console.log(`${result.status === 'success' ? 'ok  ' : 'FAIL'} ${id}${result.message ? `\n${result.message}` : ''}`);
  }
  const failed = entries.filter(([, result]) => result.status !== 'success').length;
  if (entries.length === 0 || failed > 0) {
    throw new Error(`${testCase}: ${entries.length === 0 ? 'no assertion results in the outputs' : `${failed} of ${entries.length} assertions failed`}`);
  }
}
