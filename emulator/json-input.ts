/**
 * Reading request members as the service model constrains them, and refusing them in the service's
 * wording. Shared by the association requests (wire.ts) and the package lifecycle (package-wire.ts).
 */
import { validationError } from './api-error';

export type JsonObject = Record<string, unknown>;

export type Constraint = [holds: (value: string) => boolean, description: string];

export const lengthBetween = (min: number, max: number): Constraint => [
  (value) => value.length >= min && value.length <= max,
  `Member must have length between ${min} and ${max}`,
];

export const atMost = (max: number): Constraint => [(value) => value.length <= max, `Member must have length less than or equal to ${max}`];

export const matching = (pattern: RegExp): Constraint => [
  (value) => pattern.test(value),
  `Member must satisfy regular expression pattern: ${pattern.source}`,
];

export const oneOf = (values: readonly string[]): Constraint => [
  (value) => values.includes(value),
  `Member must satisfy enum value set: [${values.join(', ')}]`,
];

export function checkString(value: unknown, member: string, constraints: Constraint[] = []): string {
  if (typeof value !== 'string') {
    throw constraintViolation(value, member, 'Member must be a string');
  }
  const broken = constraints.find(([holds]) => !holds(value));
  if (broken) {
    throw constraintViolation(value, member, broken[1]);
  }
  return value;
}

export function requiredString(value: unknown, member: string, constraints: Constraint[] = []): string {
  if (value === undefined) {
    throw constraintViolation(value, member, 'Member must not be null');
  }
  return checkString(value, member, constraints);
}

export function optionalString(value: unknown, member: string, constraints: Constraint[] = []): string | undefined {
  return value === undefined ? undefined : checkString(value, member, constraints);
}

export function checkBoolean(value: unknown, member: string): boolean {
  if (typeof value !== 'boolean') {
    throw validationError(`${member} must be a boolean`);
  }
  return value;
}

export function validMaxResults(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw constraintViolation(value, 'maxResults', 'Member must be a positive integer');
  }
  return value;
}

/** The service's wording for a constraint violation; an absent member is shown as null. */
export function constraintViolation(value: unknown, member: string, constraint: string) {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return validationError(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export function asObject(value: unknown, member: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(`${member} must be a JSON object`);
  }
  return value as JsonObject;
}

export function asList(value: unknown, member: string): unknown[] {
  if (!Array.isArray(value)) {
    throw validationError(`${member} must be a JSON array`);
  }
  return value;
}

export function asString(value: unknown, member: string): string {
  if (typeof value !== 'string') {
    throw validationError(`${member} must be a string`);
  }
  return value;
}

export function optionalStringList(value: unknown, member: string): string[] {
  return value === undefined ? [] : asList(value, member).map((item, index) => asString(item, `${member}.${index}`));
}
