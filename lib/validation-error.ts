import * as cdk from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * What this module needs of aws-cdk-lib's exports. `ValidationError` is `@internal` there (a JavaScript export that
 * is not part of the jsii API), and its constructor changed from `(message, scope)` (2.195.0, the peer floor, to at
 * least 2.232) to `(code, message, scope)` (2.276.0; aws/aws-cdk#36934), so it is read untyped and checked.
 */
export interface CdkErrorExports {
  readonly ValidationError?: unknown;
  readonly Errors?: { readonly isValidationError?: unknown };
}

interface ErrorChecks {
  isValidationError(x: unknown): unknown;
}

type ErrorClass = new (...args: unknown[]) => Error;

/**
 * The error code of the newer constructor: aws-cdk-lib prints it (`«ValidationError» …`) and hands it to the CDK
 * CLI's telemetry, so it is the one name every release shows, and not this library's own.
 */
const ERROR_CODE = 'ValidationError';

/**
 * aws-cdk-lib's `ValidationError` for `message` on `scope`, so `Errors.isValidationError` recognises it and the CDK
 * CLI prints it with the construct path and without library internals; a plain `Error` with the same message where
 * the installed aws-cdk-lib has none, or one this module cannot build.
 */
export function validationError(message: string, scope: IConstruct, cdkExports: CdkErrorExports = cdk): Error {
  return cdkValidationError(message, scope, cdkExports) ?? new Error(message);
}

function cdkValidationError(message: string, scope: IConstruct, cdkExports: CdkErrorExports): Error | undefined {
  if (typeof cdkExports.ValidationError !== 'function' || typeof cdkExports.Errors?.isValidationError !== 'function') {
    return undefined;
  }
  const ValidationError = cdkExports.ValidationError as ErrorClass;
  const errors = cdkExports.Errors as ErrorChecks;
  try {
    const error = ValidationError.length >= 3 ? new ValidationError(ERROR_CODE, message, scope) : new ValidationError(message, scope);
    // A constructor of yet another shape would build an error with another message: not worth throwing.
    return errors.isValidationError(error) === true && error.message === message ? error : undefined;
  } catch {
    return undefined;
  }
}
