/**
 * Finds the handler's Lambda functions in a template (one provider per stack serves every played
 * type) and loads their code the way the Node.js Lambda runtime does: `require(<asset
 * dir>/<module>)`, export named in `Handler`.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { CustomResourceHandlers } from './custom-resource-events';
import { isPlayedType } from './stack-template';

/** Where a Lambda function's code is: the asset folder and its `Handler` (`index.onEvent`). */
export interface LambdaCode {
  readonly functionId: string;
  readonly assetDir: string;
  readonly handler: string;
}

export interface HandlerFunctions {
  readonly onEvent: LambdaCode;
  readonly isComplete: LambdaCode;
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> }>;

/**
 * Follows a played resource's ServiceToken to the provider framework's onEvent function, whose
 * environment names the user functions (USER_ON_EVENT_FUNCTION_ARN, USER_IS_COMPLETE_FUNCTION_ARN).
 * A stack of packages only has no association: any played type leads to the same provider.
 * `serviceToken`, when given, is that ServiceToken as `template` writes it (a provider shared by another stack).
 */
export function findHandlerFunctions(template: Record<string, unknown>, assemblyDir: string, serviceToken?: unknown): HandlerFunctions {
  const resources = (template.Resources ?? {}) as Resources;
  const played = Object.values(resources).find((resource) => isPlayedType(String(resource.Type)));
  const frameworkId = getAttTarget(serviceToken ?? played?.Properties?.ServiceToken);
  const variables = frameworkId ? resources[frameworkId]?.Properties?.Environment?.Variables : undefined;
  const onEventId = getAttTarget(variables?.USER_ON_EVENT_FUNCTION_ARN);
  const isCompleteId = getAttTarget(variables?.USER_IS_COMPLETE_FUNCTION_ARN);
  if (!onEventId || !isCompleteId) {
    throw new Error(`cannot find the package handler: the ServiceToken of ${played?.Type ?? 'Custom::OpenSearch… resources'} does not lead to a provider with onEvent and isComplete functions`);
  }
  return { onEvent: lambdaCode(resources, onEventId, assemblyDir), isComplete: lambdaCode(resources, isCompleteId, assemblyDir) };
}

/** Both functions loaded, each in its own module instance as in two separate Lambda functions. */
export function loadHandlers(functions: HandlerFunctions): CustomResourceHandlers {
  return { onEvent: loadLambdaHandler(functions.onEvent), isComplete: loadLambdaHandler(functions.isComplete) };
}

export function loadLambdaHandler(code: LambdaCode): (event: unknown) => Promise<any> {
  const dot = code.handler.lastIndexOf('.');
  const moduleName = code.handler.slice(0, dot);
  const exportName = code.handler.slice(dot + 1);
  const requireInTask = createRequire(path.join(code.assetDir, 'task-root.js'));
  const file = requireInTask.resolve(`./${moduleName}`);
  delete requireInTask.cache[file]; // a fresh instance, as a separate Lambda function would have
  const exported = (requireInTask(file) as Record<string, unknown>)[exportName];
  delete requireInTask.cache[file];
  if (typeof exported !== 'function') {
    throw new Error(`Runtime.HandlerNotFound: ${code.handler} is undefined or not exported (function ${code.functionId}, ${code.assetDir})`);
  }
  const context = { functionName: code.functionId, getRemainingTimeInMillis: () => 120_000 };
  return async (event) => (exported as (event: unknown, context: unknown) => Promise<unknown>)(event, { ...context, awsRequestId: randomUUID() });
}

/** Where the code of function `functionId` of `template` is, in the assembly at `assemblyDir`. */
export function functionCode(template: Record<string, unknown>, functionId: string, assemblyDir: string): LambdaCode {
  return lambdaCode((template.Resources ?? {}) as Resources, functionId, assemblyDir);
}

function lambdaCode(resources: Resources, functionId: string, assemblyDir: string): LambdaCode {
  const resource = resources[functionId];
  const assetPath = resource?.Metadata?.['aws:asset:path'] ?? assetFromS3Key(resource?.Properties?.Code?.S3Key, assemblyDir);
  const handler = resource?.Properties?.Handler;
  if (resource?.Type !== 'AWS::Lambda::Function' || typeof assetPath !== 'string' || typeof handler !== 'string') {
    throw new Error(`function ${functionId} has no asset code or Handler in the template`);
  }
  return { functionId, handler, assetDir: path.resolve(assemblyDir, assetPath) };
}

/** Without asset metadata (`cdk synth --no-asset-metadata`): the S3 key is `<hash>.zip`, the folder `asset.<hash>`. */
function assetFromS3Key(key: unknown, assemblyDir: string): string | undefined {
  const hash = typeof key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(key)?.[1] : undefined;
  return hash && fs.existsSync(path.join(assemblyDir, `asset.${hash}`)) ? `asset.${hash}` : undefined;
}

function getAttTarget(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

