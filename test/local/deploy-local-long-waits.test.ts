/**
 * `npm run deploy:local` on a stack with a long association (a 2-hour `timeout`): the handle and
 * the condition, the long waiter's state machine in the Step Functions emulator, its executions
 * awaited before the summary, and the condition's timeout when nothing signals it.
 *
 * Until the handler starts the waiter itself, a stand-in asset does: the real bundle's onEvent and
 * isComplete, and once isComplete answers complete for a long resource, StartExecution as lambda/
 * will (its environment's LONG_WAIT_STATE_MACHINE_ARN, AWS_ENDPOINT_URL_SFN); its waiterStep is
 * test/local/stand-in-waiter-step.ts (the CLI runs under tsx, which loads it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeLongStack } from './assemblies';
import { ROOT, runCli } from './cli-run';
import { renderSummary } from '../../local/run-summary';

jest.setTimeout(30_000);

let workDir: string;
let assembly: string;
let standIn: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-local-long-'));
  assembly = path.join(workDir, 'long.out');
  synthesizeLongStack('LongStack', assembly);
  standIn = path.join(workDir, 'stand-in.out');
  fs.cpSync(assembly, standIn, { recursive: true });
  const templateFile = path.join(standIn, 'LongStack.template.json');
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  const functions = Object.values(template.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::Lambda::Function');
  const onEvent = functions.find((resource) => resource.Properties.Handler === 'index.onEvent');
  const realBundle = path.join(standIn, onEvent.Metadata['aws:asset:path'], 'index.js');
  fs.mkdirSync(path.join(standIn, 'asset.stand-in'));
  fs.writeFileSync(path.join(standIn, 'asset.stand-in', 'index.js'), standInAsset(realBundle));
  for (const fn of functions.filter((resource) => ['index.isComplete', 'index.waiterStep'].includes(resource.Properties.Handler))) {
    fn.Metadata['aws:asset:path'] = 'asset.stand-in';
  }
  fs.writeFileSync(templateFile, JSON.stringify(template));
}, 30_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function standInAsset(realBundle: string): string {
  return `
const real = require(${JSON.stringify(realBundle)});
const { SFNClient, StartExecutionCommand } = require(${JSON.stringify(path.join(ROOT, 'node_modules', '@aws-sdk', 'client-sfn'))});
const step = require(${JSON.stringify(path.join(ROOT, 'test', 'local', 'stand-in-waiter-step.ts'))});
exports.onEvent = real.onEvent;
exports.isComplete = async (event, context) => {
  const answer = await real.isComplete(event, context);
  const longWait = event.ResourceProperties.LongWait;
  if (answer && answer.IsComplete && longWait && event.RequestType !== 'Delete') {
    const sfn = new SFNClient({});
    try {
      const input = { StackId: event.StackId, Handle: longWait.Handle, Condition: longWait.Condition, Polls: 2 };
      await sfn.send(new StartExecutionCommand({
        stateMachineArn: process.env.LONG_WAIT_STATE_MACHINE_ARN,
        name: event.LogicalResourceId + '-' + event.RequestType,
        input: JSON.stringify(input),
      }));
    } finally {
      sfn.destroy();
    }
  }
  return answer;
};
exports.waiterStep = (state) => step.waiterStep(state);
`;
}

test('the waiter signals the condition: After starts once it completes, and the summary lists the execution once ended', async () => {
  const { result, text } = await runCli(workDir, ['--app', standIn, '--timeout-scale', '0.002']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE']);
  expect(text).toMatch(/Step Functions emulator on http:\/\/127\.0\.0\.1:\d+/);
  const lines = text.split('\n');
  const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  expect(index(/CREATE_COMPLETE\s+Long\w+Wait[0-9a-f]{8}\b/)).toBeGreaterThan(index(/CREATE_COMPLETE\s+Long[0-9A-F]{8}\s/));
  expect(index(/CREATE_IN_PROGRESS\s+After/)).toBeGreaterThan(index(/CREATE_COMPLETE\s+Long\w+Wait[0-9a-f]{8}\b/));
  // The execution ran: isComplete read LONG_WAIT_STATE_MACHINE_ARN (the template's Ref, resolved) and AWS_ENDPOINT_URL_SFN.
  expect(text).toContain('Step Functions executions: 1, step calls: 3');
  expect(text).toMatch(/\n {2}Long[0-9A-F]{8}-Create\s+SUCCEEDED\s+\d+\.\ds\s+3 step call\(s\)\n/);
});

test('nothing signals the condition (today\'s handler): it times out on the --timeout-scale, and the stack rolls back', async () => {
  // 7,200 s x 0.0002 = 1.44 s.
  const { result, text } = await runCli(workDir, ['--app', assembly, '--timeout-scale', '0.0002']);

  expect(result.exitCode).toBe(1);
  expect(result.operations[0].outcome).toMatchObject({
    status: 'ROLLBACK_COMPLETE',
    failures: [{ logicalId: expect.stringMatching(/^Long\w+Wait[0-9a-f]{8}$/), reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' }],
  });
  expect(text).not.toContain('Step Functions executions');
  expect(text).not.toMatch(/CREATE_IN_PROGRESS\s+After/);
});

test('the summary counts executions and step calls, one line each with its status and duration', () => {
  const text = renderSummary({
    operations: [],
    domains: [],
    packages: {},
    totalRequests: {},
    totalCloudFormationRequests: {},
    totalMs: 1000,
    executions: [
      { name: 'Long-Create', status: 'SUCCEEDED', durationMs: 1500, stepCalls: 3 },
      { name: 'Set-Delete', status: 'FAILED', durationMs: 200, stepCalls: 1, error: 'Error: boom' },
    ],
  });
  expect(text).toContain([
    'Step Functions executions: 2, step calls: 4',
    '  Long-Create  SUCCEEDED  1.5s  3 step call(s)',
    '  Set-Delete   FAILED     0.2s  1 step call(s)  Error: boom',
  ].join('\n'));
});
