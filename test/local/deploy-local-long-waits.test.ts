/**
 * `npm run deploy:local` on a stack with a long association (a 3-hour `timeout`) and the real
 * handler bundle: the handler hands the association over to the stack's named waiter, whose
 * executions run in the Step Functions emulator and signal the condition; `--destroy` deletes the
 * stack, and the waiter's clean-up removes what CloudFormation kept of it once every execution
 * has ended (a rollback too). Build the bundle first (`npm run build:handler`): the assembly copies it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeLongStack } from './assemblies';
import { runCli } from './cli-run';
import { renderSummary } from '../../local/run-summary';

jest.setTimeout(30_000);

let workDir: string;
let assembly: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-local-long-'));
  assembly = path.join(workDir, 'long.out');
  synthesizeLongStack('LongStack', assembly);
}, 30_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The construct path's prefix and the hash left out: `AWS::IAM::Role LongWaiterStateMachineRole`. */
const shortNames = (entries: ReadonlyArray<{ type: string; logicalId: string }>) => entries
  .map((entry) => `${entry.type} ${entry.logicalId.replace(/^cdkopensearchpackagesAssociationProvider/, '').replace(/[0-9A-F]{8}$/, '')}`).sort();

/** What the waiter's clean-up leaves: the state machine's role (it cannot delete the role it runs with) and its policy, and the log groups. */
const LEFT_AFTER_CLEAN_UP = [
  'AWS::IAM::Policy LongWaiterStateMachineRoleDefaultPolicy',
  'AWS::IAM::Role LongWaiterStateMachineRole',
  'AWS::Logs::LogGroup LogGroup',
  'AWS::Logs::LogGroup LongWaiterLogGroup',
  'AWS::Logs::LogGroup WaiterLogGroup',
];

test('the waiter signals the condition: After starts once it completes, and the summary lists the execution once ended', async () => {
  const { result, text } = await runCli(workDir, ['--app', assembly, '--timeout-scale', '0.002']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => op.outcome.status)).toEqual(['CREATE_COMPLETE']);
  expect(text).toMatch(/Step Functions emulator on http:\/\/127\.0\.0\.1:\d+/);
  const lines = text.split('\n');
  const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  expect(index(/CREATE_COMPLETE\s+Long\w+Wait[0-9a-f]{8}\b/)).toBeGreaterThan(index(/CREATE_COMPLETE\s+Long[0-9A-F]{8}\s/));
  expect(index(/CREATE_IN_PROGRESS\s+After/)).toBeGreaterThan(index(/CREATE_COMPLETE\s+Long\w+Wait[0-9a-f]{8}\b/));
  // The handler started the execution on the waiter LongWait names (the state machine's name's ARN).
  expect(text).toMatch(/Step Functions executions: 1, step calls: [1-9]\d*\n/);
  expect(text).toMatch(/\n {2}Create-Long[0-9A-F]{8}-[0-9a-f]+\s+SUCCEEDED\s+\d+\.\ds\s+\d+ step call\(s\)\n/);
  // Nothing removed the stack: the waiter is there, nothing is retained yet.
  expect(result.stateMachines).toEqual(expect.arrayContaining([expect.stringMatching(/:stateMachine:OpenSearchPackagesWaiter-[0-9a-f-]{36}$/)]));
  expect(result.retained).toEqual([]);
});

test('--destroy: the domain is left clean, and once every execution ended only the state machine\'s role, its policy and the log groups are retained', async () => {
  const { result, text } = await runCli(workDir, ['--app', assembly, '--timeout-scale', '0.002', '--destroy']);

  expect(result.exitCode).toBe(0);
  expect(result.operations.map((op) => `${op.action} ${op.outcome.status}`)).toEqual(['create CREATE_COMPLETE', 'destroy DELETE_COMPLETE']);
  expect(result.associations.one).toEqual([]);
  // The signal, the withdrawal, and the clean-up the waiter's own resource started on its Delete.
  expect(text).toMatch(/\n {2}Create-Long[0-9A-F]{8}-[0-9a-f]+\s+SUCCEEDED/);
  expect(text).toMatch(/\n {2}Delete-Long[0-9A-F]{8}-[0-9a-f]+\s+SUCCEEDED/);
  expect(text).toMatch(/\n {2}Delete-cdkopensearchpackagesAssociationProvider-[0-9a-f]+\s+SUCCEEDED/);
  expect(shortNames(result.retained)).toEqual(LEFT_AFTER_CLEAN_UP);
  expect(result.retained.find((entry) => entry.type === 'AWS::IAM::Policy')).toMatchObject({ roles: [expect.stringMatching(/LongWaiterStateMachineRole/)] });
  expect(result.stateMachines).toEqual([]);
  expect(text).toMatch(/\nLeft in the account \(DeletionPolicy Retain\): 5\n {2}AWS::Logs::LogGroup \w+ \(LongStack\)\n/);
  expect(fs.readFileSync(path.join(workDir, '.deploy-local', 'handler.log'), 'utf8'))
    .toMatch(/no execution runs and the stack operation has ended: the waiter arn:aws:states:us-east-1:123456789012:stateMachine:OpenSearchPackagesWaiter-[0-9a-f-]{36} deletes itself/);
});

test('--fail: the waiter signals FAILURE with the handler\'s message, the stack rolls back, and the rollback\'s clean-up removes the waiter', async () => {
  const { result } = await runCli(workDir, ['--app', assembly, '--timeout-scale', '0.002', '--fail', 'F111111111']);

  expect(result.exitCode).toBe(1);
  expect(result.operations[0].outcome).toMatchObject({
    status: 'ROLLBACK_COMPLETE',
    failures: [{ logicalId: expect.stringMatching(/^Long\w+Wait[0-9a-f]{8}$/), reason: expect.stringMatching(/^WaitCondition received failed message: 'ASSOCIATION_FAILED: /) }],
  });
  expect(result.associations.one).toEqual([]);
  expect(shortNames(result.retained)).toEqual(LEFT_AFTER_CLEAN_UP);
  expect(result.stateMachines).toEqual([]);
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
