import { Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AssociationProvider } from './association-provider';
import type { ProviderAccess } from './handler-policies';
import { SHARED_ACCESS_ID, SharedProviderAccess } from './shared-provider-access';
import { synthError } from './synth-error';

/** Each stack that uses another stack's provider, and that stack. */
const OWNERS = new WeakMap<Stack, Stack>();

/** The stacks whose provider other stacks use. */
const SHARED = new WeakSet<Stack>();

/**
 * What the resources of `scope`'s stack use: its own provider (created on
 * first use), or its access to the provider of the stack it shares.
 */
export function providerFor(scope: IConstruct): ProviderAccess {
  const stack = Stack.of(scope);
  const owner = OWNERS.get(stack);
  if (!owner) {
    return AssociationProvider.getOrCreate(stack);
  }
  const existing = stack.node.tryFindChild(SHARED_ACCESS_ID);
  return existing instanceof SharedProviderAccess
    ? existing
    : new SharedProviderAccess(stack, SHARED_ACCESS_ID, AssociationProvider.getOrCreate(owner));
}

/** The stack whose provider `scope`'s stack uses, if not its own. */
export function sharedProviderStack(scope: IConstruct): Stack | undefined {
  return OWNERS.get(Stack.of(scope));
}

/** Makes the resources of `scope`'s stack use the provider of `providerScope`'s stack. */
export function useProviderOf(scope: IConstruct, providerScope: IConstruct): void {
  const consumer = Stack.of(scope);
  const owner = Stack.of(providerScope);
  const problem = sharingProblem(consumer, owner);
  if (problem) {
    throw synthError(consumer, 'PackagesProvider.useProviderOf', problem);
  }
  OWNERS.set(consumer, owner);
  SHARED.add(owner);
}

/** Why `consumer` cannot use the provider of `owner`: one provider, one level, references CloudFormation can make. */
function sharingProblem(consumer: Stack, owner: Stack): string | undefined {
  const current = OWNERS.get(consumer);
  if (current === owner) {
    return undefined;
  }
  if (consumer === owner) {
    return 'the stack would use its own provider: name another stack';
  }
  if (current) {
    return `the stack already uses the provider of ${current.node.path}, asked: ${owner.node.path}`;
  }
  if (AssociationProvider.find(consumer)) {
    return 'the stack already has a provider of its own (built by PackagesProvider.configure or by its first resource of this library): '
      + 'call useProviderOf before both';
  }
  const ownersOwner = OWNERS.get(owner);
  if (ownersOwner) {
    return `${owner.node.path} uses the provider of ${ownersOwner.node.path} itself: name ${ownersOwner.node.path}`;
  }
  if (SHARED.has(consumer)) {
    return 'other stacks use the provider of this stack: it cannot use the provider of another one';
  }
  if (Stage.of(consumer) !== Stage.of(owner)) {
    return `${owner.node.path} is in another stage: a stack refers only to stacks of its own stage`;
  }
  if (consumer.environment !== owner.environment) {
    return `${owner.node.path} deploys to ${owner.environment} and this stack to ${consumer.environment}: `
      + 'a stack imports values only from stacks of its own account and region';
  }
  return undefined;
}
