/** An error the emulated service answers with: HTTP status, error code, message (each protocol renders it its own way). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const validationError = (message: string) => new ApiError(400, 'ValidationException', message);
export const accessDenied = (message: string) => new ApiError(403, 'AccessDeniedException', message);
export const conflict = (message: string) => new ApiError(409, 'ConflictException', message);
/** Status 409 in the model; the SDK's retry strategy classifies the name as throttling. */
export const limitExceeded = (message: string) => new ApiError(409, 'LimitExceededException', message);
/** The service models ResourceNotFoundException with status 409, not 404. */
export const resourceNotFound = (message: string) => new ApiError(409, 'ResourceNotFoundException', message);
/** Status 409 in the model: an operation this region does not offer. */
export const disabledOperation = (message: string) => new ApiError(409, 'DisabledOperationException', message);
/** Status 409 in the model. */
export const resourceAlreadyExists = (message: string) => new ApiError(409, 'ResourceAlreadyExistsException', message);

/**
 * How a call naming a package that does not exist is answered: the model's ResourceNotFoundException
 * (409), or a 400 ValidationException "Package not found" as seen in the field (Terraform's provider
 * treats both as gone).
 */
export type MissingPackageAnswer = 'ResourceNotFoundException' | 'ValidationException';

export function packageNotFound(packageId: string, answer: MissingPackageAnswer): ApiError {
  const message = `Package not found: ${packageId}`;
  return answer === 'ValidationException' ? validationError(message) : resourceNotFound(message);
}
