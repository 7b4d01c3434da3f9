/**
 * In-process HTTP emulator of CloudFormation's read API for a stack (Query protocol, 2010-05-15):
 * ListStackResources and DescribeStacks, served from a StackSource read at each request. Point
 * the real SDK at it with `AWS_ENDPOINT_URL_CLOUDFORMATION=<endpoint>` or the client's `endpoint`.
 *
 * The view carries no times: CreationTime is when the emulator started, LastUpdatedTimestamp the
 * time of the request.
 *
 * The same server serves the WaitConditionHandles' URLs (`waitHandles`, see wait-condition-handles.ts):
 * CloudFormation hands them out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { LocalServer, readBody, requestId } from './local-server';
import { pageSizeOption, paginate } from './pagination';
import { errorDocument, queryErrors, queryParameters, renderResourceSummary, renderStack, resultDocument, XmlElements } from './query-wire';
import { ScriptedFault, ScriptedFaults } from './scripted-faults';
import type { StackSource, StackView } from './stack-view';
import { WaitConditionHandles } from './wait-condition-handles';

export type { ScriptedFault } from './scripted-faults';
export type { StackResourceView, StackSource, StackView } from './stack-view';

/** Actions the emulator serves; any other answers 400 InvalidAction. */
export type CloudFormationAction = 'ListStackResources' | 'DescribeStacks';

export interface CloudFormationEmulatorOptions {
  /** Read at every request: what the stacks look like now. */
  readonly stacks: StackSource;
  /** Default and maximum: 100 resources per ListStackResources page, as CloudFormation. */
  readonly pageSize?: number;
  /** Default 0: a free port chosen by the system. */
  readonly port?: number;
}

export interface CloudFormationRequest {
  /** The Action parameter as sent ('' when missing). */
  readonly action: string;
  readonly stackName?: string;
  readonly nextToken?: string;
  /** HTTP status answered. */
  readonly status: number;
  /** Error code answered, e.g. ValidationError, Throttling. */
  readonly errorCode?: string;
  readonly fault?: ScriptedFault;
}

const ACTIONS: readonly string[] = ['ListStackResources', 'DescribeStacks'] satisfies CloudFormationAction[];
const MAX_PAGE_SIZE = 100;

export class CloudFormationApiEmulator {
  static async start(options: CloudFormationEmulatorOptions): Promise<CloudFormationApiEmulator> {
    const emulator = new CloudFormationApiEmulator(options);
    await emulator.server.listen(options.port ?? 0);
    return emulator;
  }

  /** Every request in arrival order, faulted ones included. */
  readonly requests: CloudFormationRequest[] = [];
  /** The handles whose URLs this server serves, and the signals they received. */
  readonly waitHandles: WaitConditionHandles;

  private readonly server: LocalServer;
  private readonly stacks: StackSource;
  private readonly pageSize: number;
  private readonly faults = new ScriptedFaults<CloudFormationAction>();
  private readonly started = new Date();
  private denied = false;

  private constructor(options: CloudFormationEmulatorOptions) {
    this.stacks = options.stacks;
    this.pageSize = pageSizeOption(options.pageSize, MAX_PAGE_SIZE);
    this.server = new LocalServer((req, res) => (this.waitHandles.serves(req) ? this.waitHandles.handle(req, res) : this.handle(req, res)));
    this.waitHandles = new WaitConditionHandles(() => this.endpoint);
  }

  /** 'http://127.0.0.1:<port>' */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Requests of that action, faulted ones included. */
  count(action: CloudFormationAction): number {
    return this.requests.filter((request) => request.action === action).length;
  }

  /**
   * The next `count` requests (default 1) of `action` (default any) answer `kind` instead, in the
   * order asked: `failNext('throttling', { count: 2, action: 'ListStackResources' })`.
   */
  failNext(kind: ScriptedFault, options: { readonly count?: number; readonly action?: CloudFormationAction } = {}): void {
    this.faults.add(kind, options.count ?? 1, options.action);
  }

  /** While on, every request answers 403 AccessDenied: a handler role without cloudformation:* permissions. */
  denyAll(denied: boolean): void {
    this.denied = denied;
  }

  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parameters = queryParameters(await readBody(req), req.url);
    const action = parameters.get('Action') ?? '';
    const stackName = parameters.get('StackName') ?? undefined;
    const nextToken = parameters.get('NextToken') ?? undefined;
    const fault = isAction(action) ? this.faults.draw(action) : undefined;
    const outcome = attempt(() => this.execute(action, stackName, nextToken, fault));
    const status = outcome.error?.status ?? 200;
    this.requests.push({
      action,
      ...(stackName !== undefined && { stackName }),
      ...(nextToken !== undefined && { nextToken }),
      status,
      ...(outcome.error && { errorCode: outcome.error.type }),
      ...(fault && { fault }),
    });
    const id = requestId(this.requests.length);
    const text = outcome.error ? errorDocument(outcome.error, id) : resultDocument(action, outcome.result, id);
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': id });
    res.end(text);
  }

  private execute(action: string, stackName: string | undefined, nextToken: string | undefined, fault: ScriptedFault | undefined): XmlElements {
    if (!isAction(action)) {
      throw queryErrors.invalidAction(action);
    }
    // A faulted request is answered before reading the stacks.
    if (fault === 'throttling') {
      throw queryErrors.throttling();
    }
    if (fault === 'internal') {
      throw queryErrors.internalFailure();
    }
    const stacks = [...this.stacks()];
    if (fault === 'denied' || this.denied) {
      // IAM names the stack's ARN when it exists.
      throw queryErrors.accessDenied(action, (stackName && findStack(stacks, stackName)?.stackId) ?? stackName ?? '*');
    }
    switch (action) {
      case 'ListStackResources':
        return this.listStackResources(existingStack(stacks, stackName), nextToken);
      case 'DescribeStacks': {
        // Without StackName: every stack that is not deleted.
        const described = stackName === undefined ? stacks.filter(isLive) : [existingStack(stacks, stackName)];
        return { Stacks: { member: described.map((stack) => renderStack(stack, this.started)) } };
      }
    }
  }

  private listStackResources(stack: StackView, nextToken: string | undefined): XmlElements {
    const now = new Date();
    const sorted = [...stack.resources].sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
    const page = paginate(sorted, (resource) => resource.logicalId, { nextToken }, this.pageSize, queryErrors.validation('Invalid NextToken'));
    return {
      StackResourceSummaries: { member: page.items.map((resource) => renderResourceSummary(resource, now)) },
      NextToken: page.nextToken,
    };
  }
}

type Outcome = { readonly result: XmlElements; readonly error?: undefined } | { readonly error: ApiError };

function attempt(execute: () => XmlElements): Outcome {
  try {
    return { result: execute() };
  } catch (error) {
    return { error: error instanceof ApiError ? error : queryErrors.internalFailure(String(error)) };
  }
}

function isAction(action: string): action is CloudFormationAction {
  return ACTIONS.includes(action);
}

function isLive(stack: StackView): boolean {
  return stack.status !== 'DELETE_COMPLETE';
}

/** As CloudFormation: a stack id finds a deleted stack too, a name only a stack that is not deleted. */
function findStack(stacks: readonly StackView[], nameOrId: string): StackView | undefined {
  return stacks.find((stack) => stack.stackId === nameOrId) ?? stacks.find((stack) => stack.stackName === nameOrId && isLive(stack));
}

function existingStack(stacks: readonly StackView[], nameOrId: string | undefined): StackView {
  if (nameOrId === undefined) {
    throw queryErrors.validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  }
  const stack = findStack(stacks, nameOrId);
  if (!stack) {
    throw queryErrors.stackNotFound(nameOrId);
  }
  return stack;
}
