/**
 * Step Functions' state machines and executions, as the local emulator keeps them
 * (step-functions-api-emulator.ts serves them over HTTP). A state machine is registered with a
 * runner (local/state-machine-runner.ts interprets its ASL); each execution runs it in the
 * background and can be awaited (`settled()`).
 *
 * StartExecution's name rules (API reference, StartExecution): a name already used by an open
 * execution with the same input answers that execution, started nothing; with another input, or
 * once that execution is closed whatever the input, ExecutionAlreadyExists.
 *
 * Deleting a state machine (DeleteStateMachine, or CloudFormation deleting the resource): it is
 * DELETING until its executions end, StartExecution answers StateMachineDeleting, and each running
 * execution is terminated at its next state transition (status ABORTED: the reference says
 * "terminated" without naming a status).
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from './api-error';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What a runner may ask of its execution. */
export interface ExecutionControl {
  readonly executionArn: string;
  /** The context object's `$$.StateMachine.Id` and `$$.Execution.Name`. */
  readonly stateMachineArn: string;
  readonly executionName: string;
  /** Called before each state: throws ExecutionTerminated once the state machine is deleted. */
  transition(): void;
  /** Counts one Lambda function invocation by a Task (a call of the step function). */
  taskCalled(): void;
}

/** Runs one execution from its input to its output; a thrown ExecutionFailed fails it. */
export type StateMachineRunner = (input: unknown, control: ExecutionControl) => Promise<unknown>;

/** An execution that ended FAILED: Step Functions' error and cause. */
export class ExecutionFailed extends Error {
  constructor(readonly error: string, readonly cause: string) {
    super(`${error}: ${cause}`);
    this.name = 'ExecutionFailed';
  }
}

/** The execution must stop: its state machine was deleted. */
export class ExecutionTerminated extends Error {
  constructor(executionArn: string) {
    super(`execution ${executionArn} terminated: its state machine was deleted`);
    this.name = 'ExecutionTerminated';
  }
}

export interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  /** The input as sent (JSON text). */
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Date.now() values. */
  readonly startDate: number;
  stopDate?: number;
  /** Lambda function invocations by its Tasks so far (aws-sdk integrations not counted). */
  taskCalls: number;
}

interface StateMachine {
  readonly runner: StateMachineRunner;
  deleting: boolean;
}

/** What a name must not contain: whitespace, brackets, wildcards, special characters (control characters are checked apart). */
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function hasControlCharacter(name: string): boolean {
  return [...name].some((character) => {
    const code = character.charCodeAt(0);
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}

export class StepFunctionsExecutions {
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions: Execution[] = [];
  private readonly running = new Set<Promise<void>>();

  /** Creates (or replaces the definition of) the state machine `arn`. */
  register(arn: string, runner: StateMachineRunner): void {
    this.machines.set(arn, { runner, deleting: false });
  }

  /** Deletes the state machine: its running executions stop at their next transition; gone once they all ended. */
  delete(arn: string): void {
    const machine = this.machines.get(arn);
    if (machine) {
      machine.deleting = true;
      this.forgetIfIdle(arn);
    }
  }

  has(arn: string): boolean {
    return this.machines.has(arn);
  }

  /** The ARNs of the state machines that exist (those being deleted included). */
  stateMachines(): string[] {
    return [...this.machines.keys()];
  }

  start(stateMachineArn: string, name: string = randomUUID(), input: string = '{}'): Execution {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) {
      throw new ApiError(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    if (machine.deleting) {
      throw new ApiError(400, 'StateMachineDeleting', `State machine is being deleted: '${stateMachineArn}'`);
    }
    if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name) || hasControlCharacter(name)) {
      throw new ApiError(400, 'InvalidName', `Invalid Name: '${name}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new ApiError(400, 'InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 200)}'`);
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.find((execution) => execution.executionArn === executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return existing;
      }
      throw new ApiError(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = { executionArn, stateMachineArn, name, status: 'RUNNING', input, startDate: Date.now(), taskCalls: 0 };
    this.executions.push(execution);
    const done = this.run(machine, execution, parsed).finally(() => {
      this.running.delete(done);
      this.forgetIfIdle(stateMachineArn);
    });
    this.running.add(done);
    return execution;
  }

  describe(executionArn: string): Execution {
    const execution = this.executions.find((candidate) => candidate.executionArn === executionArn);
    if (!execution) {
      throw new ApiError(400, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }

  /** The state machine's executions, newest first, optionally of one status. */
  list(stateMachineArn: string, statusFilter?: ExecutionStatus): Execution[] {
    if (!this.machines.has(stateMachineArn) && !this.executions.some((execution) => execution.stateMachineArn === stateMachineArn)) {
      throw new ApiError(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    return this.executions
      .filter((execution) => execution.stateMachineArn === stateMachineArn && (!statusFilter || execution.status === statusFilter))
      .reverse();
  }

  /** Every execution of every state machine, in the order they started. */
  all(): readonly Execution[] {
    return this.executions;
  }

  /** Resolves once no execution runs, those started while waiting included. */
  async settled(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
    }
  }

  private async run(machine: StateMachine, execution: Execution, input: unknown): Promise<void> {
    const control: ExecutionControl = {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      executionName: execution.name,
      transition: () => {
        if (machine.deleting) {
          throw new ExecutionTerminated(execution.executionArn);
        }
      },
      taskCalled: () => {
        execution.taskCalls++;
      },
    };
    try {
      // Not in the caller's turn: StartExecution answers before the first state runs.
      await new Promise((resolve) => setImmediate(resolve));
      execution.output = JSON.stringify(await machine.runner(input, control));
      execution.status = 'SUCCEEDED';
    } catch (error) {
      if (error instanceof ExecutionTerminated) {
        execution.status = 'ABORTED';
      } else {
        execution.status = 'FAILED';
        execution.error = error instanceof ExecutionFailed ? error.error : 'States.Runtime';
        execution.cause = error instanceof ExecutionFailed ? error.cause : String(error instanceof Error ? error.message : error);
      }
    }
    execution.stopDate = Date.now();
  }

  private forgetIfIdle(arn: string): void {
    const machine = this.machines.get(arn);
    const busy = this.executions.some((execution) => execution.stateMachineArn === arn && execution.status === 'RUNNING');
    if (machine?.deleting && !busy) {
      this.machines.delete(arn);
    }
  }
}
