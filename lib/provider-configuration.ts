import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AssociationProvider, AssociationProviderOptions } from './association-provider';
import { synthError } from './synth-error';

/**
 * Builds the stack's provider with `options`. Its functions' VPC settings
 * cannot change once built, so a provider that exists already must have been
 * built with the same settings.
 */
export function configureProvider(scope: IConstruct, options: AssociationProviderOptions): void {
  const existing = AssociationProvider.find(scope);
  if (!existing) {
    AssociationProvider.getOrCreate(scope, options);
    return;
  }
  if (!sameOptions(existing.options, options)) {
    throw synthError(Stack.of(scope), 'configureProvider',
      `the stack's provider is already built with other settings (${describe(existing.options)}, asked: ${describe(options)}); `
      + 'call configureProvider once per stack, before its first DomainPackageAssociation');
  }
}

type Key = keyof AssociationProviderOptions;
const KEYS: readonly Key[] = ['vpc', 'vpcSubnets', 'securityGroups', 'logGroupRemovalPolicy'];

/** The same objects (VPC, security groups) and the same subnet selection and removal policy. */
function sameOptions(a: AssociationProviderOptions, b: AssociationProviderOptions): boolean {
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

function describe(options: AssociationProviderOptions): string {
  const set = KEYS.filter((key) => options[key] !== undefined);
  return set.length > 0 ? set.map((key) => `${key}: ${label(options[key])}`).join(', ') : 'defaults';
}

function label(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(label).join(', ')}]`;
  const path = (value as Partial<IConstruct> | undefined)?.node?.path;
  return path ?? JSON.stringify(Object.keys(value as object));
}
