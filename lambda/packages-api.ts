import {
  AssociatePackageCommand,
  DissociatePackageCommand,
  DomainPackageDetails,
  OpenSearchClient,
  paginateListPackagesForDomain,
} from '@aws-sdk/client-opensearch';
import { AssociationRequest, associatePackageInput, PackagePair } from './association-request';
import { callOptions } from './invocation-deadline';
import { logCall } from './log';
import { attemptsOf, errorName } from './service-errors';

/**
 * Throttling, 5xx answers and dropped connections are retried by the SDK
 * (standard mode, exponential backoff with jitter). Short timeouts keep one
 * attempt within seconds; the invocation's deadline bounds them all.
 */
const MAX_ATTEMPTS = 5;
const PAGE_SIZE = 100;

const clients = new Map<string, OpenSearchClient>();

/**
 * The SDK's default configuration, so AWS_REGION and AWS_ENDPOINT_URL_OPENSEARCH
 * steer it. One client per region and endpoint, reused across invocations.
 */
function client(): OpenSearchClient {
  const env = process.env;
  const key = [env.AWS_REGION, env.AWS_ENDPOINT_URL_OPENSEARCH, env.AWS_ENDPOINT_URL].join('|');
  let found = clients.get(key);
  if (!found) {
    found = new OpenSearchClient({
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
    });
    clients.set(key, found);
  }
  return found;
}

export async function associatePackage(request: AssociationRequest): Promise<DomainPackageDetails | undefined> {
  return logged('AssociatePackage', request, async () => {
    const output = await client().send(new AssociatePackageCommand(associatePackageInput(request)), callOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

export async function dissociatePackage(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  return logged('DissociatePackage', pair, async () => {
    const output = await client().send(new DissociatePackageCommand({ DomainName: pair.domainName, PackageID: pair.packageId }), callOptions());
    return { result: output.DomainPackageDetails, status: output.DomainPackageDetails?.DomainPackageStatus, attempt: output.$metadata.attempts };
  });
}

/** The pair's entry in ListPackagesForDomain, paging until found; undefined when not listed. */
export async function findAssociation(pair: PackagePair): Promise<DomainPackageDetails | undefined> {
  const pages = paginateListPackagesForDomain({ client: client(), pageSize: PAGE_SIZE }, { DomainName: pair.domainName }, callOptions());
  let page = 0;
  try {
    for await (const output of pages) {
      const entry = output.DomainPackageDetailsList?.find((details) => details.PackageID === pair.packageId);
      const status = entry?.DomainPackageStatus ?? 'not-listed';
      logCall({ ...callOf('ListPackagesForDomain', pair), outcome: 'ok', status, attempt: output.$metadata.attempts, detail: `page ${++page}` });
      if (entry) {
        return entry;
      }
    }
  } catch (error) {
    logFailure('ListPackagesForDomain', pair, error);
    throw error;
  }
  return undefined;
}

interface CallResult<T> {
  readonly result: T;
  readonly status?: string;
  readonly attempt?: number;
}

async function logged<T>(operation: string, pair: PackagePair, call: () => Promise<CallResult<T>>): Promise<T> {
  try {
    const { result, status, attempt } = await call();
    logCall({ ...callOf(operation, pair), outcome: 'ok', status, attempt });
    return result;
  } catch (error) {
    logFailure(operation, pair, error);
    throw error;
  }
}

function callOf(operation: string, pair: PackagePair) {
  return { operation, domain: pair.domainName, package: pair.packageId };
}

function logFailure(operation: string, pair: PackagePair, error: unknown): void {
  logCall({ ...callOf(operation, pair), outcome: errorName(error), attempt: attemptsOf(error) });
}
