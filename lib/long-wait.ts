import * as crypto from 'node:crypto';
import { Aspects, CfnResource, CustomResource, Duration, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import { CfnWaitCondition, CfnWaitConditionHandle } from 'aws-cdk-lib/aws-cloudformation';
import { Construct, IConstruct } from 'constructs';
import type { ProviderAccess } from './handler-policies';
import { LONG_WAIT_PROPERTY } from './long-wait-contract';

/**
 * A `timeout` above CloudFormation's hour for a custom resource (issue 20,
 * design/long-waits.md §4.1): the custom resource starts the operation and
 * answers at once, and a WaitCondition holds the stack until a background
 * waiter signals the asked state. Up to `LONG_WAIT_ABOVE` nothing of this is
 * added, so the template stays exactly as it was.
 */

/** The longest `timeout` that the custom resource waits for itself (the handler's own limit). */
export const LONG_WAIT_ABOVE = Duration.minutes(55);

/** A WaitCondition's longest `Timeout`: 43,200 s (CloudFormation resource reference). */
export const LONGEST_WAIT = Duration.hours(12);

/** CloudFormation's longest logical id. */
const MAX_LOGICAL_ID = 255;

/** Whether `timeout` needs a WaitCondition. */
export function isLongWait(timeout: Duration | undefined): boolean {
  return timeout !== undefined && timeout.toSeconds() > LONG_WAIT_ABOVE.toSeconds();
}

/**
 * The property to add to a custom resource whose `timeout` may be long: none
 * for a short one (today's template), else the logical ids of the handle and
 * the condition, known once the stack synthesizes, and the ARN of the stack's
 * waiter (the state machine the handler starts).
 */
export function longWaitProperty(scope: IConstruct, timeout: Duration | undefined, provider: ProviderAccess): Record<string, unknown> {
  if (!isLongWait(timeout)) {
    return {};
  }
  return {
    [LONG_WAIT_PROPERTY]: {
      Handle: Lazy.string({ produce: () => LongWait.of(scope).handleId() }),
      Condition: Lazy.string({ produce: () => LongWait.of(scope).conditionId() }),
      Waiter: provider.longWaiter().stateMachineArn,
    },
  };
}

/**
 * The handle and the condition of one long custom resource. Their logical ids
 * end with a hash of the resource's asked state (its properties, resolved), so
 * a changed property gives a new pair: a WaitCondition cannot be updated. A
 * deploy that changes nothing keeps the same ids and starts no wait.
 */
export class LongWait extends Construct implements IAspect {
  /** The long wait added to `scope` by `addTo`. */
  public static of(scope: IConstruct): LongWait {
    return scope.node.findChild(LONG_WAIT_ID) as LongWait;
  }

  /**
   * Holds the stack on `resource` for `timeout` unless it is short;
   * `properties` are the resource's own, `provider` the one it uses, whose
   * waiter signals the condition.
   */
  public static addTo(scope: Construct, resource: CustomResource, properties: Record<string, unknown>, timeout: Duration | undefined,
    provider: ProviderAccess): void {
    if (isLongWait(timeout)) {
      const wait = new LongWait(scope, resource, properties, timeout!);
      // The handler starts the waiter before the resource answers: the waiter and the permission exist first.
      wait.resource.node.addDependency(provider.longWaiter());
    }
  }

  private readonly handle: CfnWaitConditionHandle;
  private readonly condition: CfnWaitCondition;
  private named = false;

  private constructor(
    scope: Construct, private readonly resource: CustomResource, private readonly properties: Record<string, unknown>, timeout: Duration,
  ) {
    super(scope, LONG_WAIT_ID);
    const cfn = resource.node.defaultChild as CfnResource;
    this.handle = new CfnWaitConditionHandle(this, 'Handle');
    this.condition = new CfnWaitCondition(this, 'Condition', {
      handle: this.handle.ref,
      timeout: String(timeout.toSeconds()),
      count: 1,
    });
    // The handle exists before the resource starts its waiter; the condition starts after the resource answers.
    cfn.node.addDependency(this.handle);
    this.condition.node.addDependency(cfn);
    Aspects.of(this).add(this);
  }

  /** Names the pair once the resource's properties are final (all user code has run). */
  public visit(node: IConstruct): void {
    if (node === this) {
      this.name();
    }
  }

  /** The handle's logical id. */
  public handleId(): string {
    this.name();
    return Stack.of(this).resolve(this.handle.logicalId);
  }

  /** The condition's logical id. */
  public conditionId(): string {
    this.name();
    return Stack.of(this).resolve(this.condition.logicalId);
  }

  private name(): void {
    if (this.named) {
      return;
    }
    this.named = true;
    const stack = Stack.of(this);
    const { [LONG_WAIT_PROPERTY]: _ids, ...own } = this.properties;
    const asked = stack.resolve(own);
    const hash = crypto.createHash('sha256').update(stableJson([asked, referencedProperties(stack, asked)])).digest('hex').slice(0, 8);
    const base: string = stack.resolve((this.resource.node.defaultChild as CfnResource).logicalId);
    this.handle.overrideLogicalId(logicalId(base, 'WaitHandle', hash));
    this.condition.overrideLogicalId(logicalId(base, 'Wait', hash));
  }
}

const LONG_WAIT_ID = 'LongWait';

/**
 * Makes `dependent` wait for `target`'s WaitCondition when `target` has one.
 * Needed where `dependent` reaches `target` by attribute only (a package's id),
 * which CloudFormation turns into a dependency on the custom resource alone.
 */
export function waitForLongWaitOf(dependent: IConstruct, target: IConstruct): void {
  const wait = target.node.tryFindChild(LONG_WAIT_ID);
  if (wait instanceof LongWait) {
    dependent.node.addDependency(wait);
  }
}

/** `<resource><kind><hash>`, the resource's id shortened when the whole would pass CloudFormation's limit. */
function logicalId(base: string, kind: string, hash: string): string {
  return `${base.slice(0, MAX_LOGICAL_ID - kind.length - hash.length)}${kind}${hash}`;
}

/**
 * The properties of the stack's resources that `asked` reads by `Ref` or
 * `Fn::GetAtt` (one level), by logical id. A value such as a package's
 * `AvailablePackageVersion` changes at deploy time with the package's own
 * properties: hashing those renames the pair when the asked state may change.
 * Hashing too much is safe (the resource's `LongWait` names the pair, so a new
 * pair always means an Update of the resource, which signals it); too little
 * would leave a new blue/green with no wait. `ServiceToken` is left out: a new
 * handler bundle asks for nothing new.
 */
function referencedProperties(stack: Stack, asked: unknown): Record<string, unknown> {
  const ids = new Set<string>();
  collectReferences(asked, ids);
  const found: Record<string, unknown> = {};
  for (const resource of stack.node.findAll()) {
    if (CfnResource.isCfnResource(resource) && ids.has(stack.resolve(resource.logicalId))) {
      const rendered = Object.values(stack.resolve(resource._toCloudFormation()).Resources ?? {})[0] as { Properties?: Record<string, unknown> };
      const { ServiceToken: _token, ...properties } = rendered?.Properties ?? {};
      found[stack.resolve(resource.logicalId)] = properties;
    }
  }
  return found;
}

/** Adds the logical ids that `value`'s `Ref`s and `Fn::GetAtt`s name to `ids`. */
function collectReferences(value: unknown, ids: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((item) => collectReferences(item, ids));
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string') {
      ids.add(record.Ref);
    }
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      ids.add(getAtt[0]);
    }
    Object.values(record).forEach((item) => collectReferences(item, ids));
  }
}

/** JSON with object keys sorted, so that the hash depends on values only. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
