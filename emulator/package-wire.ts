/**
 * The JSON side of the package lifecycle calls (CreatePackage, UpdatePackage, DescribePackages,
 * GetPackageVersionHistory): requests validated as the service model constrains them, responses
 * rendered as the SDK deserializes them.
 */
import {
  asList,
  asObject,
  asString,
  atMost,
  checkBoolean,
  checkString,
  constraintViolation,
  JsonObject,
  lengthBetween,
  matching,
  oneOf,
  optionalString,
  requiredString,
  validMaxResults,
} from './json-input';
import type { CreatePackageRequest, PackageRecord, UpdatePackageRequest, VersionRecord } from './package-catalogue';
import type { S3Location } from './package-import';
import { ENGINE_VERSION, PackageConfiguration, PackageEncryption, PackageType, Requirement } from './package-shapes';
import type { PageRequest } from './pagination';
import { validPackageId } from './wire';

const PACKAGE_NAME = /^[a-z][a-z0-9-]+$/;
const PACKAGE_TYPES: readonly PackageType[] = ['TXT-DICTIONARY', 'ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'];
const REQUIREMENTS: readonly Requirement[] = ['REQUIRED', 'OPTIONAL', 'NONE'];
const FILTER_NAMES = ['PackageID', 'PackageName', 'PackageStatus', 'PackageType', 'EngineVersion', 'PackageOwner'] as const;
const FILTER_VALUE = /^[0-9a-zA-Z*._\\/?-]+$/;

type FilterName = (typeof FILTER_NAMES)[number];

/** One filter: its values are alternatives. */
export interface PackageFilter {
  readonly name: FilterName;
  readonly values: string[];
}

export interface DescribeRequest extends PageRequest {
  /** All must match. */
  readonly filters: PackageFilter[];
}

export function parseCreateBody(body: unknown): CreatePackageRequest {
  const input = asObject(body ?? {}, 'request body');
  return {
    name: requiredString(input.PackageName, 'packageName', [lengthBetween(3, 256), matching(PACKAGE_NAME)]),
    type: requiredString(input.PackageType, 'packageType', [oneOf(PACKAGE_TYPES)]) as PackageType,
    source: parseSource(input.PackageSource),
    description: parseDescription(input.PackageDescription),
    engineVersion: optionalString(input.EngineVersion, 'engineVersion', [matching(ENGINE_VERSION)]),
    configuration: parseConfiguration(input.PackageConfiguration),
    encryption: parseEncryption(input.PackageEncryptionOptions),
  };
}

/** UpdatePackageRequest has no EngineVersion member: a package keeps its engine version, and unknown members are ignored. */
export function parseUpdateBody(body: unknown): UpdatePackageRequest {
  const input = asObject(body ?? {}, 'request body');
  return {
    packageId: validPackageId(requiredString(input.PackageID, 'packageID')),
    source: parseSource(input.PackageSource),
    description: parseDescription(input.PackageDescription),
    commitMessage: optionalString(input.CommitMessage, 'commitMessage', [atMost(160)]),
    configuration: parseConfiguration(input.PackageConfiguration),
    encryption: parseEncryption(input.PackageEncryptionOptions),
  };
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

/** Filters combine with AND, the values of one filter with OR. Values are compared literally: the service does not document wildcards. */
export function matchesFilters(pkg: PackageRecord, filters: PackageFilter[]): boolean {
  const fields: Record<FilterName, string | undefined> = {
    PackageID: pkg.id,
    PackageName: pkg.name,
    PackageStatus: pkg.status,
    PackageType: pkg.type,
    EngineVersion: pkg.engineVersion,
    PackageOwner: pkg.owner,
  };
  return filters.every(({ name, values }) => {
    const field = fields[name];
    return field !== undefined && values.includes(field);
  });
}

/** `reportOwner` false: without PackageOwner, as answers from before the field existed. */
export function renderPackage(pkg: PackageRecord, reportOwner = true): JsonObject {
  return {
    PackageID: pkg.id,
    PackageName: pkg.name,
    PackageType: pkg.type,
    ...(pkg.description !== undefined && { PackageDescription: pkg.description }),
    PackageStatus: pkg.status,
    CreatedAt: pkg.createdAt / 1000,
    LastUpdatedAt: pkg.lastUpdatedAt / 1000,
    ...(pkg.availableVersion !== undefined && { AvailablePackageVersion: pkg.availableVersion }),
    ...(pkg.errorDetails && { ErrorDetails: { ErrorType: pkg.errorDetails.errorType, ErrorMessage: pkg.errorDetails.errorMessage } }),
    ...(pkg.engineVersion !== undefined && { EngineVersion: pkg.engineVersion }),
    ...(pkg.availableConfiguration && { AvailablePackageConfiguration: renderConfiguration(pkg.availableConfiguration) }),
    ...(reportOwner && { PackageOwner: pkg.owner }),
    ...(pkg.encryption && { PackageEncryptionOptions: renderEncryption(pkg.encryption) }),
  };
}

export function renderVersion(version: VersionRecord): JsonObject {
  return {
    PackageVersion: version.version,
    ...(version.commitMessage !== undefined && { CommitMessage: version.commitMessage }),
    CreatedAt: version.createdAt / 1000,
    ...(version.configuration && { PackageConfiguration: renderConfiguration(version.configuration) }),
  };
}

function renderConfiguration(configuration: PackageConfiguration): JsonObject {
  return {
    LicenseRequirement: configuration.licenseRequirement,
    ...(configuration.licenseFilepath !== undefined && { LicenseFilepath: configuration.licenseFilepath }),
    ConfigurationRequirement: configuration.configurationRequirement,
    ...(configuration.requiresRestartForConfigurationUpdate !== undefined && {
      RequiresRestartForConfigurationUpdate: configuration.requiresRestartForConfigurationUpdate,
    }),
  };
}

function renderEncryption(encryption: PackageEncryption): JsonObject {
  return {
    EncryptionEnabled: encryption.encryptionEnabled,
    ...(encryption.kmsKeyIdentifier !== undefined && { KmsKeyIdentifier: encryption.kmsKeyIdentifier }),
  };
}

/** Both members are optional in the model, but a package cannot be copied from less than a bucket and a key. */
function parseSource(value: unknown): S3Location {
  if (value === undefined) {
    throw constraintViolation(value, 'packageSource', 'Member must not be null');
  }
  const { S3BucketName, S3Key } = asObject(value, 'PackageSource');
  return {
    bucket: requiredString(S3BucketName, 'packageSource.s3BucketName', [lengthBetween(3, 63)]),
    key: requiredString(S3Key, 'packageSource.s3Key', [lengthBetween(1, 1024)]),
  };
}

function parseDescription(value: unknown): string | undefined {
  return optionalString(value, 'packageDescription', [atMost(1024)]);
}

function parseConfiguration(value: unknown): PackageConfiguration | undefined {
  if (value === undefined) {
    return undefined;
  }
  const input = asObject(value, 'PackageConfiguration');
  const member = 'packageConfiguration';
  const restart = input.RequiresRestartForConfigurationUpdate;
  return {
    licenseRequirement: requiredString(input.LicenseRequirement, `${member}.licenseRequirement`, [oneOf(REQUIREMENTS)]) as Requirement,
    configurationRequirement: requiredString(input.ConfigurationRequirement, `${member}.configurationRequirement`, [oneOf(REQUIREMENTS)]) as Requirement,
    licenseFilepath: optionalString(input.LicenseFilepath, `${member}.licenseFilepath`),
    requiresRestartForConfigurationUpdate: restart === undefined ? undefined : checkBoolean(restart, `${member}.requiresRestartForConfigurationUpdate`),
  };
}

/** EncryptionEnabled a required boolean, KmsKeyIdentifier 1-500 characters (the model's pattern is `.*`). */
function parseEncryption(value: unknown): PackageEncryption | undefined {
  if (value === undefined) {
    return undefined;
  }
  const input = asObject(value, 'PackageEncryptionOptions');
  const member = 'packageEncryptionOptions';
  if (input.EncryptionEnabled === undefined) {
    throw constraintViolation(undefined, `${member}.encryptionEnabled`, 'Member must not be null');
  }
  return {
    encryptionEnabled: checkBoolean(input.EncryptionEnabled, `${member}.encryptionEnabled`),
    kmsKeyIdentifier: optionalString(input.KmsKeyIdentifier, `${member}.kmsKeyIdentifier`, [lengthBetween(1, 500)]),
  };
}

/** Name required and known; Value a non-empty list of values of the model's pattern. */
function parseFilter(value: unknown, index: number): PackageFilter {
  const member = `filters.${index + 1}.member`;
  const { Name: name, Value: values } = asObject(value, member);
  const list = values === undefined ? [] : asList(values, `${member}.value`);
  if (list.length === 0) {
    throw constraintViolation(values, `${member}.value`, 'Member must have length greater than or equal to 1');
  }
  return {
    name: requiredString(name, `${member}.name`, [oneOf(FILTER_NAMES)]) as FilterName,
    values: list.map((item, position) => checkString(item, `${member}.value.${position + 1}.member`, [matching(FILTER_VALUE)])),
  };
}
