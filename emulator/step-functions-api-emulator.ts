/**
 * In-process HTTP emulator of the Step Functions API (AWS JSON 1.0: `X-Amz-Target:
 * AWSStepFunctions.<Operation>`, content type `application/x-amz-json-1.0`) for what the long
 * waiter needs: StartExecution, DescribeExecution, ListExecutions. Point the real SDK at it with
 * `AWS_ENDPOINT_URL_SFN=<endpoint>` or the client's `endpoint`. State machines and executions live
 * in `executions` (step-functions-executions.ts); the local player registers its stacks' state
 * machines there.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { LocalServer, readBody, requestId } from './local-server';
import { pageSizeOption, paginate } from './pagination';
import { Execution, ExecutionStatus, StepFunctionsExecutions } from './step-functions-executions';

export type StepFunctionsOperation = 'StartExecution' | 'DescribeExecution' | 'ListExecutions';

export interface StepFunctionsRequest {
  readonly operation: string;
  readonly status: number;
  readonly errorCode?: string;
}

export interface StepFunctionsEmulatorOptions {
  /** Default 0: a free port chosen by the system. */
  readonly port?: number;
  /** Default and maximum: 1,000 executions per ListExecutions page, as Step Functions. */
  readonly pageSize?: number;
}

const OPERATIONS: readonly string[] = ['StartExecution', 'DescribeExecution', 'ListExecutions'] satisfies StepFunctionsOperation[];
const STATUSES: readonly string[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] satisfies ExecutionStatus[];
const TARGET_PREFIX = 'AWSStepFunctions.';

export class StepFunctionsApiEmulator {
  static async start(options: StepFunctionsEmulatorOptions = {}): Promise<StepFunctionsApiEmulator> {
    const emulator = new StepFunctionsApiEmulator(options);
    await emulator.server.listen(options.port ?? 0);
    return emulator;
  }

  readonly executions = new StepFunctionsExecutions();
  /** Every request in arrival order. */
  readonly requests: StepFunctionsRequest[] = [];
  private readonly server: LocalServer;
  private readonly pageSize: number;

  private constructor(options: StepFunctionsEmulatorOptions) {
    this.pageSize = pageSizeOption(options.pageSize, 1000);
    this.server = new LocalServer((req, res) => this.handle(req, res));
  }

  /** 'http://127.0.0.1:<port>' */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Resolves once no execution runs (see StepFunctionsExecutions.settled). */
  settled(): Promise<void> {
    return this.executions.settled();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let status = 200;
    let payload: unknown;
    try {
      payload = this.execute(operation, target, String(req.headers['content-type'] ?? ''), body);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalFailure', String(error));
      status = apiError.status;
      payload = { __type: apiError.type, message: apiError.message };
    }
    this.requests.push({ operation: operation || target, status, ...(status !== 200 && { errorCode: (payload as { __type: string }).__type }) });
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId(this.requests.length),
    });
    res.end(text);
  }

  private execute(operation: string, target: string, contentType: string, body: string): unknown {
    if (!OPERATIONS.includes(operation)) {
      throw new ApiError(400, 'UnknownOperationException', `unknown operation ${JSON.stringify(target)}`);
    }
    if (!contentType.startsWith('application/x-amz-json-1.0')) {
      throw new ApiError(400, 'SerializationException', `expected content type application/x-amz-json-1.0, got '${contentType}'`);
    }
    const input = parseObject(body);
    switch (operation as StepFunctionsOperation) {
      case 'StartExecution': {
        const execution = this.executions.start(
          requiredString(input.stateMachineArn, 'stateMachineArn'), optionalString(input.name, 'name'), optionalString(input.input, 'input'));
        return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
      }
      case 'DescribeExecution':
        return describe(this.executions.describe(requiredString(input.executionArn, 'executionArn')));
      case 'ListExecutions': {
        const filter = optionalString(input.statusFilter, 'statusFilter');
        if (filter !== undefined && !STATUSES.includes(filter)) {
          throw validation(`Value '${filter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
        }
        const listed = this.executions.list(requiredString(input.stateMachineArn, 'stateMachineArn'), filter as ExecutionStatus | undefined);
        const page = paginate(listed.map((execution, index) => ({ execution, key: String(index).padStart(8, '0') })), (entry) => entry.key,
          { maxResults: typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : undefined, nextToken: optionalString(input.nextToken, 'nextToken') },
          this.pageSize, new ApiError(400, 'InvalidToken', 'Invalid Token'));
        return { executions: page.items.map(({ execution }) => summary(execution)), ...(page.nextToken && { nextToken: page.nextToken }) };
      }
    }
  }
}

function summary(execution: Execution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    ...(execution.stopDate !== undefined && { stopDate: seconds(execution.stopDate) }),
  };
}

function describe(execution: Execution) {
  return {
    ...summary(execution),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error !== undefined && { error: execution.error }),
    ...(execution.cause !== undefined && { cause: execution.cause }),
  };
}

/** AWS JSON timestamps: epoch seconds. */
function seconds(ms: number): number {
  return ms / 1000;
}

function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

function parseObject(body: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body || '{}') as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Answered below.
  }
  throw new ApiError(400, 'SerializationException', `the request body must be a JSON object, got '${body.slice(0, 200)}'`);
}

function requiredString(value: unknown, member: string): string {
  if (typeof value !== 'string') {
    throw validation(`1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(value: unknown, member: string): string | undefined {
  return value === undefined ? undefined : requiredString(value, member);
}
