import { Stack, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
/** IAM's limit for the inline policies of one role, summed (white space does not count). */
export const ROLE_INLINE_POLICY_CHARACTERS = 10_240;

/**
 * Upper bounds for what a value the template resolves at deploy time will
 * print as: pseudo parameters by their longest values (a stack id holds a
 * name of up to 128 characters and a UUID), anything else as a long ARN
 * (a log group's generated name holds the stack name and the logical id).
 */
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 10,
  'AWS::Region': 14,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 16,
  'AWS::StackId': 230,
  'AWS::StackName': 128,
};
const OTHER_VALUE_LENGTH = 256;

/**
 * Fails synthesis when the handler role's inline policies (its default policy,
 * one policy per domain and one per domain with a set, the packages' policy, those of the stacks that share the role's
 * provider) may exceed IAM's limit, which would otherwise
 * fail the deploy with "Maximum policy size of 10240 bytes exceeded".
 */
export function checkInlinePolicyBudget(role: iam.Role, ownPolicies: iam.Policy[], domainCount: number, shared = false): string[] {
  const stack = Stack.of(role);
  const defaultPolicy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  const documents = [defaultPolicy, ...ownPolicies].flatMap((p) => (p ? [p.document] : []));
  const size = documents.reduce((total, document) => total + estimatedLength(stack.resolve(document.toJSON())), 0);
  if (size <= ROLE_INLINE_POLICY_CHARACTERS) {
    return [];
  }
  const [what, fix] = shared
    ? ['the stacks that share it', 'give some of these stacks a provider of their own']
    : ['one stack', 'split the associations across stacks'];
  return [
    `too many domains for ${what}: the handler's policies for ${domainCount} domains need up to ${size} characters, `
    + `over the ${ROLE_INLINE_POLICY_CHARACTERS} IAM allows for one role's inline policies; ${fix}`,
  ];
}

/** The length of `value` printed as compact JSON once CloudFormation has resolved it (an upper bound). */
export function estimatedLength(value: unknown): number {
  return JSON.stringify(printed(value)).length;
}

function printed(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(printed);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const entries = Object.entries(value);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && (key === 'Ref' || key?.startsWith('Fn::'))) {
    return 'x'.repeat(intrinsicLength(key, argument));
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, printed(v)]));
}

function intrinsicLength(name: string, argument: unknown): number {
  if (name === 'Ref' && typeof argument === 'string' && argument in PSEUDO_PARAMETER_LENGTHS) {
    return PSEUDO_PARAMETER_LENGTHS[argument];
  }
  if (name === 'Fn::Join' && Array.isArray(argument) && Array.isArray(argument[1])) {
    const [separator, parts] = argument as [string, unknown[]];
    return parts.reduce<number>((total, part) => total + partLength(part), 0) + separator.length * Math.max(0, parts.length - 1);
  }
  return OTHER_VALUE_LENGTH;
}

function partLength(part: unknown): number {
  if (typeof part === 'string' && !Token.isUnresolved(part)) {
    return part.length;
  }
  return (printed(part) as string).length;
}
