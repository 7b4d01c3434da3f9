/**
 * The JSON side of the association and domain calls: validating path parameters and request bodies
 * the way the service model constrains them, and rendering responses as the SDK deserializes them.
 * The package lifecycle calls have theirs in package-wire.ts.
 */
import type { EmulatedAccount } from './account';
import { validationError } from './api-error';
import type { AssociateRequest, DomainPackageRecord, DomainStatusRecord, KeyStoreAccess, PackageAssociation } from './domain-model';
import {
  asList,
  asObject,
  checkBoolean,
  checkString,
  constraintViolation,
  JsonObject,
  lengthBetween,
  matching,
  optionalStringList,
  requiredString,
  validMaxResults,
} from './json-input';
import type { PageRequest } from './pagination';

const DOMAIN_NAME = /^[a-z][a-z0-9-]+$/;
const PACKAGE_ID = /^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]+:role\//;
/** Every emulated domain runs this engine: engine versions are not modelled. */
const ENGINE_VERSION = 'OpenSearch_2.19';

export function validDomainName(value: string | undefined): string {
  return checkString(value, 'domainName', [lengthBetween(3, 28), matching(DOMAIN_NAME)]);
}

export function validPackageId(value: unknown, member = 'packageID'): string {
  return checkString(value, member, [matching(PACKAGE_ID)]);
}

export function parseAssociateBody(body: unknown): AssociateRequest {
  const input = asObject(body ?? {}, 'request body');
  const prerequisites = optionalStringList(input.PrerequisitePackageIDList, 'PrerequisitePackageIDList');
  prerequisites.forEach((id) => validPackageId(id, 'prerequisitePackageIDList.member'));
  return { prerequisites, keyStoreAccess: parseKeyStoreAccess(input.AssociationConfiguration) };
}

/** AssociatePackages and DissociatePackages: one domain, the packages of one operation on it. */
export interface BatchRequest<T> {
  readonly domainName: string;
  readonly packages: T[];
}

/** `maxPackages`: the emulator's own limit on PackageList; the service model sets none. */
export function parseAssociatePackagesBody(body: unknown, maxPackages?: number): BatchRequest<PackageAssociation> {
  const input = asObject(body ?? {}, 'request body');
  const packages = packageList(input.PackageList, maxPackages).map((item, index) => {
    const member = asObject(item, `PackageList.${index}`);
    return { packageId: requiredString(member.PackageID, 'packageList.member.packageID', [matching(PACKAGE_ID)]), ...parseAssociateBody(member) };
  });
  assertDistinct(packages.map((pkg) => pkg.packageId));
  return { domainName: bodyDomainName(input.DomainName), packages };
}

export function parseDissociatePackagesBody(body: unknown, maxPackages?: number): BatchRequest<string> {
  const input = asObject(body ?? {}, 'request body');
  const packages = packageList(input.PackageList, maxPackages).map((id) => validPackageId(id, 'packageList.member'));
  assertDistinct(packages);
  return { domainName: bodyDomainName(input.DomainName), packages };
}

/** The list calls carry paging in the query string (`maxResults`, `nextToken`). */
export function parseListQuery(query: URLSearchParams): PageRequest {
  const maxResults = query.get('maxResults');
  return {
    maxResults: maxResults === null ? undefined : validMaxResults(/^\d+$/.test(maxResults) ? Number(maxResults) : maxResults),
    nextToken: query.get('nextToken') ?? undefined,
  };
}

export function renderDomainPackage(record: DomainPackageRecord): JsonObject {
  return {
    PackageID: record.packageId,
    PackageName: record.packageName,
    PackageType: record.packageType,
    LastUpdated: record.lastUpdated / 1000,
    DomainName: record.domainName,
    DomainPackageStatus: record.status,
    PackageVersion: record.version,
    ...(record.prerequisites.length > 0 && { PrerequisitePackageIDList: record.prerequisites }),
    ...(record.referencePath !== undefined && { ReferencePath: record.referencePath }),
    ...(record.errorDetails && {
      ErrorDetails: { ErrorType: record.errorDetails.errorType, ErrorMessage: record.errorDetails.errorMessage },
    }),
    ...(record.keyStoreAccess && { AssociationConfiguration: { KeyStoreAccessOption: renderKeyStoreAccess(record.keyStoreAccess) } }),
  };
}

/**
 * DomainStatus: the processing fields the model computes, the id and ARN in the emulated account
 * and region, and constant, plausible values for the fields the model requires.
 */
export function renderDomainStatus(status: DomainStatusRecord, account: EmulatedAccount): JsonObject {
  return {
    DomainId: `${account.accountId}/${status.domainName}`,
    DomainName: status.domainName,
    ARN: `arn:aws:es:${account.region}:${account.accountId}:domain/${status.domainName}`,
    Created: status.created,
    Deleted: false,
    Processing: status.processing,
    UpgradeProcessing: status.upgradeProcessing,
    DomainProcessingStatus: status.processingStatus,
    EngineVersion: ENGINE_VERSION,
    ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 1, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: false },
  };
}

function bodyDomainName(value: unknown): string {
  return validDomainName(requiredString(value, 'domainName'));
}

/**
 * The model constrains PackageList by nothing but `required`. An empty list would start an
 * operation on nothing, and the emulator refuses it; a longer list than `maxPackages` (when set)
 * stands for a limit the service may keep without documenting it.
 */
function packageList(value: unknown, maxPackages: number | undefined): unknown[] {
  if (value === undefined) {
    throw constraintViolation(value, 'packageList', 'Member must not be null');
  }
  const list = asList(value, 'PackageList');
  if (list.length === 0) {
    throw validationError('PackageList must name at least one package');
  }
  if (maxPackages !== undefined && list.length > maxPackages) {
    throw validationError(`PackageList must name at most ${maxPackages} packages, got ${list.length}`);
  }
  return list;
}

/** One operation cannot associate, or dissociate, the same package twice. */
function assertDistinct(packageIds: string[]): void {
  const repeated = packageIds.find((id, index) => packageIds.indexOf(id) !== index);
  if (repeated !== undefined) {
    throw validationError(`PackageList names package ${repeated} more than once`);
  }
}

function renderKeyStoreAccess(access: KeyStoreAccess): JsonObject {
  return {
    KeyStoreAccessEnabled: access.enabled,
    ...(access.roleArn !== undefined && { KeyAccessRoleArn: access.roleArn }),
  };
}

function parseKeyStoreAccess(configuration: unknown): KeyStoreAccess | undefined {
  if (configuration === undefined) {
    return undefined;
  }
  const option = asObject(configuration, 'AssociationConfiguration').KeyStoreAccessOption;
  if (option === undefined) {
    return undefined;
  }
  const member = 'AssociationConfiguration.KeyStoreAccessOption';
  const { KeyStoreAccessEnabled, KeyAccessRoleArn: roleArn } = asObject(option, member);
  const enabled = checkBoolean(KeyStoreAccessEnabled, `${member}.KeyStoreAccessEnabled`);
  if (roleArn === undefined) {
    return { enabled };
  }
  return {
    enabled,
    roleArn: checkString(roleArn, `${member}.KeyAccessRoleArn`, [lengthBetween(20, 2048), matching(ROLE_ARN)]),
  };
}
