/**
 * The Query side of CloudFormation (2010-05-15): form-encoded requests, XML answers shaped as the
 * SDK's AwsQueryProtocol deserializer reads them (`<XResponse><XResult>`, lists as `<member>`
 * elements, `<ErrorResponse><Error>` for errors), and the service's error codes.
 */
import { ApiError } from './api-error';
import type { StackResourceView, StackView } from './stack-view';

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** An element's content: text, child elements by name (an array repeats the name), or nothing (omitted). */
export type XmlValue = string | XmlElements | readonly XmlValue[] | undefined;
export interface XmlElements {
  readonly [name: string]: XmlValue;
}

/** Errors are HTTP 400 unless said otherwise; Throttling is retried by the SDK because of its code. */
export const queryErrors = {
  validation: (message: string) => new ApiError(400, 'ValidationError', message),
  stackNotFound: (nameOrId: string) => new ApiError(400, 'ValidationError', `Stack with id ${nameOrId} does not exist`),
  invalidAction: (action: string) => new ApiError(400, 'InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`),
  throttling: () => new ApiError(400, 'Throttling', 'Rate exceeded'),
  internalFailure: (message = 'The request processing has failed because of an unknown error, exception or failure.') =>
    new ApiError(500, 'InternalFailure', message),
  accessDenied: (action: string, resource: string) => new ApiError(
    403,
    'AccessDenied',
    `User: arn:aws:sts::123456789012:assumed-role/emulated-handler-role/emulated-session is not authorized to perform: cloudformation:${action} `
      + `on resource: ${resource} because no identity-based policy allows the cloudformation:${action} action`,
  ),
};

/** A Query request's parameters: the form body (what the SDK sends), or the query string (GET). */
export function queryParameters(body: string, url: string | undefined): URLSearchParams {
  const parameters = new URLSearchParams(new URL(url ?? '/', 'http://emulator').search);
  new URLSearchParams(body).forEach((value, name) => parameters.set(name, value));
  return parameters;
}

export function resultDocument(action: string, result: XmlElements, requestId: string): string {
  return document(`${action}Response`, { [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } });
}

export function errorDocument(error: ApiError, requestId: string): string {
  return document('ErrorResponse', {
    Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.type, Message: error.message },
    RequestId: requestId,
  });
}

/** A StackResourceSummaries member. */
export function renderResourceSummary(resource: StackResourceView, lastUpdated: Date): XmlElements {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: lastUpdated.toISOString(),
    ResourceStatus: resource.status,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** A Stacks member. */
export function renderStack(stack: StackView, created: Date): XmlElements {
  return { StackId: stack.stackId, StackName: stack.stackName, CreationTime: created.toISOString(), StackStatus: stack.status };
}

function document(root: string, content: XmlElements): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NAMESPACE}">${children(content)}</${root}>\n`;
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map((item) => element(name, item)).join('');
  }
  return `<${name}>${typeof value === 'string' ? escape(value) : children(value as XmlElements)}</${name}>`;
}

function children(elements: XmlElements): string {
  return Object.entries(elements).map(([name, value]) => element(name, value)).join('');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
