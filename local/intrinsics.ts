/**
 * Resolves the intrinsic functions CDK writes into our templates, the way CloudFormation
 * would before sending a custom resource's properties, with fake but well-formed values
 * for everything outside the stack (ARNs of instantly "created" resources, in the stack's account
 * and region).
 */

/** What the resolver needs to know about the stack being played. */
export interface ResolveContext {
  readonly stackName: string;
  readonly stackId: string;
  /** Other stacks' outputs; without them imports resolve to fake values (`imported-<name>`). */
  readonly outputs?: StackOutputs;
  /** The template's resource type of a logical id; undefined when not a resource. */
  resourceType(logicalId: string): string | undefined;
  /** `Ref` of a resource. */
  ref(logicalId: string): string;
  /** `Fn::GetAtt` of a resource. */
  attribute(logicalId: string, attribute: string): string;
  /** A template parameter's value (its Default); undefined when no such parameter. */
  parameter(name: string): string | undefined;
}

/** What a stack reads from other stacks: the two forms aws-cdk-lib writes for a cross-stack reference. */
export interface StackOutputs {
  /** `Fn::ImportValue`: the value of the output another stack exports under `exportName` (strong references). */
  importValue(exportName: string): string;
  /** `Fn::GetStackOutput`: an output of another stack, exported or not (weak references). */
  stackOutput(stackName: string, outputName: string): string;
}

import { DEFAULT_ENVIRONMENT, environmentOfStackId, StackEnvironment } from './stack-environment';

export const FAKE_ACCOUNT = DEFAULT_ENVIRONMENT.account;
export const FAKE_REGION = DEFAULT_ENVIRONMENT.region;
const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

/** Marker for `Ref: AWS::NoValue`: the property is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The value with every intrinsic replaced; AWS::NoValue removes keys and list items. */
export function resolveValue(value: unknown, context: ResolveContext): unknown {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

/**
 * CloudFormation sends every scalar of a custom resource's properties as a string:
 * `true` → "true", `42` → "42". Lists and maps keep their shape.
 */
export function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stringifyScalars);
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stringifyScalars(item)]));
  }
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : value;
}

/** Logical ids that `value` refers to with Ref, Fn::GetAtt or Fn::Sub: implicit dependencies. */
export function referencedIds(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) {
      return;
    }
    const logicalId = node.Ref;
    if (typeof logicalId === 'string') {
      found.add(logicalId);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      found.add(getAtt[0]);
    } else if (typeof getAtt === 'string') {
      found.add(getAtt.split('.')[0]);
    }
    const sub = node['Fn::Sub'];
    const subText = Array.isArray(sub) ? sub[0] : sub;
    if (typeof subText === 'string') {
      subVariables(subText).forEach((name) => found.add(name.split('.')[0]));
    }
    Object.values(node).forEach(visit);
  };
  visit(value);
  return [...found].filter((id) => !id.startsWith('AWS::'));
}

export function fakeArn(service: string, resource: string, environment: StackEnvironment = DEFAULT_ENVIRONMENT): string {
  return `arn:${PARTITION}:${service}:${environment.region}:${environment.account}:${resource}`;
}

/** The ARN a resource of that type would have in the stack's environment, named after its logical id. */
export function fakeResourceArn(type: string, logicalId: string, environment: StackEnvironment = DEFAULT_ENVIRONMENT): string {
  switch (type) {
    case 'AWS::IAM::Role':
      return `arn:${PARTITION}:iam::${environment.account}:role/${logicalId}`;
    case 'AWS::Lambda::Function':
      return fakeArn('lambda', `function:${logicalId}`, environment);
    case 'AWS::StepFunctions::StateMachine':
      return fakeArn('states', `stateMachine:${logicalId}`, environment);
    case 'AWS::Logs::LogGroup':
      return fakeArn('logs', `log-group:${logicalId}:*`, environment);
    default: {
      const service = (type.split('::')[1] ?? 'custom').toLowerCase();
      return fakeArn(service, `${logicalId}`, environment);
    }
  }
}

/**
 * What `Ref` returns for a resource the player "creates" instantly: its name. A domain's name
 * must be a valid domain name, since associations pass it to the service.
 */
export function fakePhysicalId(type: string, logicalId: string, properties: Record<string, unknown>): string {
  const named = (key: string) => (typeof properties[key] === 'string' ? properties[key] as string : undefined);
  switch (type) {
    case 'AWS::OpenSearchService::Domain':
    case 'AWS::Elasticsearch::Domain':
      return named('DomainName') ?? logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/^[^a-z]+/, 'd').slice(0, 28);
    case 'AWS::IAM::Role':
      return named('RoleName') ?? logicalId;
    default:
      return logicalId;
  }
}

type Resolved = unknown | typeof NO_VALUE;

function resolve(value: unknown, context: ResolveContext): Resolved {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return intrinsic(keys[0], value[keys[0]], context);
  }
  const entries = Object.entries(value)
    .map(([key, item]) => [key, resolve(item, context)] as const)
    .filter(([, item]) => item !== NO_VALUE);
  return Object.fromEntries(entries);
}

function intrinsic(name: string, argument: unknown, context: ResolveContext): Resolved {
  const arg = (item: unknown) => resolve(item, context);
  switch (name) {
    case 'Ref':
      return ref(String(argument), context);
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
      return context.attribute(id, attribute);
    }
    case 'Fn::Join': {
      const [separator, items] = argument as [string, unknown];
      return (arg(items) as unknown[]).map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, items] = argument as [unknown, unknown];
      return (arg(items) as unknown[])[Number(arg(index))];
    }
    case 'Fn::Split': {
      const [separator, text] = argument as [string, unknown];
      return String(arg(text)).split(separator);
    }
    case 'Fn::Sub':
      return substitute(argument, context);
    case 'Fn::Base64':
      return Buffer.from(String(arg(argument))).toString('base64');
    case 'Fn::ImportValue': {
      const exportName = String(arg(argument));
      return context.outputs ? context.outputs.importValue(exportName) : `imported-${exportName}`;
    }
    case 'Fn::GetStackOutput': {
      // { StackName, OutputName, Region?, RoleArn? }: one account and region here, so only the first two matter.
      const { StackName, OutputName } = arg(argument) as Record<string, unknown>;
      return context.outputs ? context.outputs.stackOutput(String(StackName), String(OutputName)) : `output-${String(StackName)}-${String(OutputName)}`;
    }
    default:
      throw new Error(`unsupported intrinsic function ${name} in custom resource properties`);
  }
}

function ref(name: string, context: ResolveContext): Resolved {
  switch (name) {
    case 'AWS::NoValue':
      return NO_VALUE;
    // The stack's own environment, which its id names.
    case 'AWS::Region':
      return environmentOfStackId(context.stackId).region;
    case 'AWS::AccountId':
      return environmentOfStackId(context.stackId).account;
    case 'AWS::Partition':
      return PARTITION;
    case 'AWS::URLSuffix':
      return URL_SUFFIX;
    case 'AWS::StackName':
      return context.stackName;
    case 'AWS::StackId':
      return context.stackId;
    default: {
      const parameter = context.parameter(name);
      if (parameter !== undefined) {
        return parameter;
      }
      if (context.resourceType(name) === undefined) {
        throw new Error(`Ref to unknown resource or parameter ${name}`);
      }
      return context.ref(name);
    }
  }
}

/** `Fn::Sub: "text ${Name} ${Res.Attr}"` or `[text, { Name: value }]`. */
function substitute(argument: unknown, context: ResolveContext): string {
  const [text, variables] = Array.isArray(argument) ? argument as [string, Record<string, unknown>] : [String(argument), {}];
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
    if (name in variables) {
      return String(resolve(variables[name], context));
    }
    const [id, attribute] = name.split(/\.(.*)/s);
    return String(attribute ? context.attribute(id, attribute) : ref(id, context));
  });
}

function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((match) => match[1]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
