/**
 * The emulators and player a long-wait test at the player's level needs: the packages API, the
 * CloudFormation read API (which serves the handles' URLs), Step Functions, and a player with the
 * real handler (lambda/, as the bundle runs it) whose state machines call the real waiter step.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationApiEmulator } from '../../emulator/cloudformation-api-emulator';
import { EmulatorOptions, PackagesApiEmulator } from '../../emulator/packages-api-emulator';
import { StepFunctionsApiEmulator } from '../../emulator/step-functions-api-emulator';
import { isComplete, onEvent, waiterStep } from '../../lambda';
import type { WaiterState } from '../../lambda/long-wait/waiter-state';
import { CloudFormationPlayer, PlayerOptions, ProgressEvent } from '../../local/cloudformation-player';
import { withLambdaEnvironment } from '../../local/lambda-environment';

/** What the waiter's clean-up leaves: the state machine's role (it cannot delete the role it runs with) and its policy, and the log groups. */
export const LEFT_AFTER_CLEAN_UP = [
  'AWS::IAM::Policy LongWaiterStateMachineRoleDefaultPolicy',
  'AWS::IAM::Role LongWaiterStateMachineRole',
  'AWS::Logs::LogGroup LogGroup',
  'AWS::Logs::LogGroup LongWaiterLogGroup',
  'AWS::Logs::LogGroup WaiterLogGroup',
];

export interface LongPlayerOptions extends Pick<PlayerOptions, 'replacementRollback' | 'totalTimeoutMs'> {
  readonly stackName?: string;
  /** Multiplies every timeout, Wait and the conditions' Timeout. */
  readonly timeoutScale: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** @default 5 */
  readonly queryIntervalMs?: number;
}

export class LongWaitWorld {
  public static async start(packages: EmulatorOptions): Promise<LongWaitWorld> {
    const players: CloudFormationPlayer[] = [];
    return new LongWaitWorld(
      players,
      await StepFunctionsApiEmulator.start(),
      await CloudFormationApiEmulator.start({ stacks: () => players.map((player) => player.stackView()) }),
      await PackagesApiEmulator.start(packages),
      fs.mkdtempSync(path.join(os.tmpdir(), 'long-wait-')),
    );
  }

  private constructor(
    private readonly players: CloudFormationPlayer[],
    public readonly stepFunctions: StepFunctionsApiEmulator,
    public readonly cloudFormation: CloudFormationApiEmulator,
    public readonly packages: PackagesApiEmulator,
    private readonly workDir: string,
  ) {}

  /** A player in us-east-1 of 123456789012 whose state machines call the real waiter step. */
  public player(options: LongPlayerOptions): CloudFormationPlayer {
    const player = new CloudFormationPlayer({
      handlers: { onEvent, isComplete },
      queryIntervalMs: options.queryIntervalMs ?? 5,
      totalTimeoutMs: options.totalTimeoutMs,
      replacementRollback: options.replacementRollback,
      stackName: options.stackName ?? 'LongStack',
      environment: { account: '123456789012', region: 'us-east-1' },
      timeoutScale: options.timeoutScale,
      waitHandles: this.cloudFormation.waitHandles,
      stepFunctions: this.stepFunctions.executions,
      functions: (fn) => (fn.handler === 'index.waiterStep'
        ? async (state) => waiterStep(state as WaiterState)
        : async () => {
          throw new Error(`no Task calls ${fn.handler}`);
        }),
      onProgress: options.onProgress,
    });
    this.players.push(player);
    return player;
  }

  /** Runs `play` with the handler's environment: the emulators' endpoints, its log in the work directory. */
  public async asLambda(play: () => Promise<void>): Promise<void> {
    const endpoints = {
      opensearch: this.packages.endpoint, cloudFormation: this.cloudFormation.endpoint, stepFunctions: this.stepFunctions.endpoint,
    };
    await withLambdaEnvironment(endpoints, path.join(this.workDir, 'handler.log'), play);
  }

  public async close(): Promise<void> {
    await Promise.all([this.stepFunctions.close(), this.cloudFormation.close(), this.packages.close()]);
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** The logical id of the template's first resource `match` accepts. */
export const idOf = (template: Record<string, any>, match: (id: string, resource: any) => boolean) =>
  Object.keys(template.Resources).find((id) => match(id, template.Resources[id]))!;

/** What CloudFormation retained, by logical id without the construct path's prefix and hash. */
export const retainedNames = (player: CloudFormationPlayer) => player.retained.list()
  .map((entry) => `${entry.type} ${entry.logicalId.replace(/^cdkopensearchpackagesAssociationProvider/, '').replace(/[0-9A-F]{8}$/, '')}`).sort();
