/**
 * The JSON side of the packages API: validating path parameters and request bodies the way the
 * service model constrains them, and rendering responses as the SDK deserializes them.
 */
import { validationError } from './api-error';
import type { AssociateRequest, DomainPackageRecord, DomainStatusRecord, KeyStoreAccess, PackageRecord } from './domain-model';
import type { PageRequest } from './pagination';

const DOMAIN_NAME = /^[a-z][a-z0-9\-]+$/;
const PACKAGE_ID = /^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::[0-9]+:role\//;
/** Where the emulated domains live: the same account and region as the handler tests' other ARNs. */
const DOMAIN_ACCOUNT = '123456789012';
const DOMAIN_REGION = 'us-east-1';
/** Every emulated domain runs this engine: engine versions are not modelled. */
const ENGINE_VERSION = 'OpenSearch_2.19';
const FILTER_NAMES = ['PackageID', 'PackageName', 'PackageStatus', 'PackageType', 'EngineVersion', 'PackageOwner'] as const;

type FilterName = (typeof FILTER_NAMES)[number];
type JsonObject = Record<string, unknown>;

export interface PackageFilter {
  readonly name: FilterName;
  readonly values: string[];
}

export interface DescribeRequest extends PageRequest {
  readonly filters: PackageFilter[];
}

export function validDomainName(value: string | undefined): string {
  return checkString(value, 'domainName', [
    [(v) => v.length >= 3 && v.length <= 28, 'Member must have length between 3 and 28'],
    [(v) => DOMAIN_NAME.test(v), `Member must satisfy regular expression pattern: ${DOMAIN_NAME.source}`],
  ]);
}

export function validPackageId(value: string | undefined, member = 'packageID'): string {
  return checkString(value, member, [[(v) => PACKAGE_ID.test(v), `Member must satisfy regular expression pattern: ${PACKAGE_ID.source}`]]);
}

export function parseAssociateBody(body: unknown): AssociateRequest {
  const input = asObject(body ?? {}, 'request body');
  const prerequisites = optionalStringList(input.PrerequisitePackageIDList, 'PrerequisitePackageIDList');
  prerequisites.forEach((id) => validPackageId(id, 'prerequisitePackageIDList.member'));
  return { prerequisites, keyStoreAccess: parseKeyStoreAccess(input.AssociationConfiguration) };
}

export function parseDescribeBody(body: unknown): DescribeRequest {
  const input = asObject(body ?? {}, 'request body');
  const filters = input.Filters === undefined ? [] : asList(input.Filters, 'Filters').map(parseFilter);
  return {
    filters,
    maxResults: input.MaxResults === undefined ? undefined : validMaxResults(input.MaxResults),
    nextToken: input.NextToken === undefined ? undefined : asString(input.NextToken, 'NextToken'),
  };
}

/** ListPackagesForDomain carries paging in the query string (`maxResults`, `nextToken`). */
export function parseListQuery(query: URLSearchParams): PageRequest {
  const maxResults = query.get('maxResults');
  return {
    maxResults: maxResults === null ? undefined : validMaxResults(/^\d+$/.test(maxResults) ? Number(maxResults) : maxResults),
    nextToken: query.get('nextToken') ?? undefined,
  };
}

export function matchesFilters(pkg: PackageRecord, filters: PackageFilter[]): boolean {
  // Engine versions and owners are not modelled: those filters match every package.
  const fields: Partial<Record<FilterName, string>> = {
    PackageID: pkg.id,
    PackageName: pkg.name,
    PackageType: pkg.type,
    PackageStatus: 'AVAILABLE',
  };
  return filters.every(({ name, values }) => {
    const field = fields[name];
    return field === undefined || values.includes(field);
  });
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

/** DomainStatus: the processing fields the model computes, and constant, plausible values for the fields the model requires. */
export function renderDomainStatus(status: DomainStatusRecord): JsonObject {
  return {
    DomainId: `${DOMAIN_ACCOUNT}/${status.domainName}`,
    DomainName: status.domainName,
    ARN: `arn:aws:es:${DOMAIN_REGION}:${DOMAIN_ACCOUNT}:domain/${status.domainName}`,
    Created: true,
    Deleted: false,
    Processing: status.processing,
    UpgradeProcessing: status.upgradeProcessing,
    DomainProcessingStatus: status.processingStatus,
    EngineVersion: ENGINE_VERSION,
    ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 1, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: false },
  };
}

export function renderPackage(pkg: PackageRecord): JsonObject {
  return {
    PackageID: pkg.id,
    PackageName: pkg.name,
    PackageType: pkg.type,
    PackageStatus: 'AVAILABLE',
    AvailablePackageVersion: pkg.availableVersion,
  };
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
  const { KeyStoreAccessEnabled: enabled, KeyAccessRoleArn: roleArn } = asObject(option, member);
  if (typeof enabled !== 'boolean') {
    throw validationError(`${member}.KeyStoreAccessEnabled must be a boolean`);
  }
  if (roleArn === undefined) {
    return { enabled };
  }
  return {
    enabled,
    roleArn: checkString(roleArn, `${member}.KeyAccessRoleArn`, [
      [(v) => v.length >= 20 && v.length <= 2048, 'Member must have length between 20 and 2048'],
      [(v) => ROLE_ARN.test(v), `Member must satisfy regular expression pattern: ${ROLE_ARN.source}`],
    ]),
  };
}

function parseFilter(value: unknown, index: number): PackageFilter {
  const member = `Filters.${index}`;
  const { Name: name, Value: values } = asObject(value, member);
  if (!FILTER_NAMES.includes(name as FilterName)) {
    throw constraintViolation(name, `${member}.Name`, `Member must satisfy enum value set: [${FILTER_NAMES.join(', ')}]`);
  }
  return { name: name as FilterName, values: optionalStringList(values, `${member}.Value`) };
}

function validMaxResults(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw constraintViolation(value, 'maxResults', 'Member must be a positive integer');
  }
  return value;
}

type Constraint = [holds: (value: string) => boolean, description: string];

function checkString(value: unknown, member: string, constraints: Constraint[]): string {
  if (typeof value !== 'string') {
    throw constraintViolation(value, member, 'Member must be a string');
  }
  const broken = constraints.find(([holds]) => !holds(value));
  if (broken) {
    throw constraintViolation(value, member, broken[1]);
  }
  return value;
}

/** The service's wording for a constraint violation. */
function constraintViolation(value: unknown, member: string, constraint: string) {
  return validationError(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function asObject(value: unknown, member: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(`${member} must be a JSON object`);
  }
  return value as JsonObject;
}

function asList(value: unknown, member: string): unknown[] {
  if (!Array.isArray(value)) {
    throw validationError(`${member} must be a JSON array`);
  }
  return value;
}

function asString(value: unknown, member: string): string {
  if (typeof value !== 'string') {
    throw validationError(`${member} must be a string`);
  }
  return value;
}

function optionalStringList(value: unknown, member: string): string[] {
  return value === undefined ? [] : asList(value, member).map((item, index) => asString(item, `${member}.${index}`));
}
