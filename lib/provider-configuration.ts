import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AssociationProvider, PackagesProviderOptions } from './association-provider';
import { sharedProviderStack } from './provider-sharing';
import { synthError } from './synth-error';

/**
 * Builds the stack's provider with `options`. Its functions' VPC settings
 * cannot change once built, so a provider that exists already must have been
 * built with the same settings. A stack that uses another stack's provider
 * has none to configure.
 */
export function configureProvider(scope: IConstruct, options: PackagesProviderOptions): void {
  const owner = sharedProviderStack(scope);
  if (owner) {
    throw synthError(Stack.of(scope), 'PackagesProvider.configure',
      `the stack uses the provider of ${owner.node.path} (useProviderOf): configure that stack's provider instead`);
  }
  const existing = AssociationProvider.find(scope);
  if (!existing) {
    AssociationProvider.getOrCreate(scope, options);
    return;
  }
  if (!sameOptions(existing.options, options)) {
    throw synthError(Stack.of(scope), 'PackagesProvider.configure',
      `the stack's provider is already built with other settings (${describe(existing.options)}, asked: ${describe(options)}); `
      + 'configure it once, before the first resource of this library that uses it (in this stack or in a stack that shares it)');
  }
}

type Key = keyof PackagesProviderOptions;
const KEYS: readonly Key[] = ['vpc', 'vpcSubnets', 'securityGroups', 'logGroupRemovalPolicy'];

/** The same objects (VPC, security groups) and the same subnet selection and removal policy. */
function sameOptions(a: PackagesProviderOptions, b: PackagesProviderOptions): boolean {
  return KEYS.every((key) => sameValue(a[key], b[key]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function describe(options: PackagesProviderOptions): string {
  const set = KEYS.filter((key) => options[key] !== undefined);
  return set.length > 0 ? set.map((key) => `${key}: ${label(options[key])}`).join(', ') : 'defaults';
}

function label(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(label).join(', ')}]`;
  const path = (value as Partial<IConstruct> | undefined)?.node?.path;
  return path ?? JSON.stringify(Object.keys(value as object));
}
