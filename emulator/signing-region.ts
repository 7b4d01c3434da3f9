/**
 * The region a request is signed for (SigV4's credential scope), which a regional endpoint
 * checks: a client that signs for another region is refused, so a local player that sends a
 * stack's handler to another environment's emulator fails loudly instead of mixing environments.
 */
import { ApiError } from './api-error';

/** `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …` → region. */
export function signingRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/**
 * The refusal of a request signed for another region than `region`; undefined for an unsigned
 * request or one signed for `region`. AWS's answer is assumed (403 InvalidSignatureException, the
 * message regional endpoints give): only its refusing matters here.
 */
export function wrongRegion(authorization: string | undefined, region: string): ApiError | undefined {
  const signed = signingRegion(authorization);
  return signed !== undefined && signed !== region
    ? new ApiError(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${signed}'. This endpoint serves ${region}`)
    : undefined;
}
