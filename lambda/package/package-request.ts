import type { CreatePackageCommandInput, PackageConfiguration, PackageEncryptionOptions, PackageType } from '@aws-sdk/client-opensearch';
import { descriptionProblem } from '../../lib/package-description';
import { HandlerFailure } from '../handler-failure';

/** A package as the resource's properties describe it (`Custom::OpenSearchPackage`). */
export interface PackageRequest {
  readonly name: string;
  readonly type: PackageType;
  readonly bucket: string;
  readonly key: string;
  readonly description?: string;
  readonly engineVersion?: string;
  readonly configuration?: PackageConfiguration;
  readonly encryption?: PackageEncryptionOptions;
}

const NAME = /^[a-z][a-z0-9-]{2,255}$/;
const TYPES: readonly string[] = ['TXT-DICTIONARY', 'ZIP-PLUGIN', 'PACKAGE-LICENSE', 'PACKAGE-CONFIG'];

type Properties = Record<string, unknown>;

/** Reads the properties (every scalar a string); throws before any call when one is invalid. */
export function parsePackageRequest(properties: Properties | undefined): PackageRequest {
  const props = properties ?? {};
  const name = stringOf(props.PackageName);
  if (!name || !NAME.test(name)) throw invalid('PackageName', `${JSON.stringify(props.PackageName)} must be 3-256 characters matching ^[a-z][a-z0-9\\-]+$`);
  const type = stringOf(props.PackageType);
  if (!type || !TYPES.includes(type)) throw invalid('PackageType', `${JSON.stringify(props.PackageType)} must be one of ${TYPES.join(', ')}`);
  const source = isObject(props.PackageSource) ? props.PackageSource : {};
  const bucket = stringOf(source.S3BucketName);
  const key = stringOf(source.S3Key);
  if (!bucket || !key) throw invalid('PackageSource', `${JSON.stringify(props.PackageSource)} must be { S3BucketName, S3Key }`);
  const descriptionTooLong = descriptionProblem(stringOf(props.PackageDescription) ?? '');
  if (descriptionTooLong) throw invalid('PackageDescription', descriptionTooLong);
  return {
    name,
    type: type as PackageType,
    bucket,
    key,
    description: stringOf(props.PackageDescription),
    engineVersion: stringOf(props.EngineVersion),
    configuration: parseConfiguration(props.PackageConfiguration),
    encryption: parseEncryption(props.PackageEncryptionOptions),
  };
}

export function createPackageInput(request: PackageRequest): CreatePackageCommandInput {
  return {
    PackageName: request.name,
    PackageType: request.type,
    PackageSource: { S3BucketName: request.bucket, S3Key: request.key },
    PackageDescription: request.description,
    EngineVersion: request.engineVersion,
    PackageConfiguration: request.configuration,
    PackageEncryptionOptions: request.encryption,
  };
}

/**
 * PackageEncryptionOptions for UpdatePackage: the new key, or, when the key was removed, encryption disabled
 * explicitly (assumed to drop the customer managed key; left out, the service would keep the old one silently).
 */
export function updatedEncryption(old: PackageRequest, request: PackageRequest): PackageEncryptionOptions | undefined {
  return request.encryption ?? (old.encryption?.EncryptionEnabled ? { EncryptionEnabled: false } : undefined);
}

/** What only a new package can change: the name, the type, the engine version. */
export function needsReplacement(a: PackageRequest, b: PackageRequest): boolean {
  return a.name !== b.name || a.type !== b.type || a.engineVersion !== b.engineVersion;
}

/** Whether UpdatePackage has something to do: the source, the description or the configuration changed. */
export function contentChanged(a: PackageRequest, b: PackageRequest): boolean {
  return JSON.stringify(createPackageInput(a)) !== JSON.stringify(createPackageInput(b));
}

function parseConfiguration(value: unknown): PackageConfiguration | undefined {
  if (!isObject(value)) return undefined;
  const restart = value.RequiresRestartForConfigurationUpdate;
  return {
    LicenseRequirement: stringOf(value.LicenseRequirement) as PackageConfiguration['LicenseRequirement'],
    ConfigurationRequirement: stringOf(value.ConfigurationRequirement) as PackageConfiguration['ConfigurationRequirement'],
    LicenseFilepath: stringOf(value.LicenseFilepath),
    RequiresRestartForConfigurationUpdate: restart === undefined ? undefined : String(restart) === 'true',
  };
}

/** `{ EncryptionEnabled: "true" | "false", KmsKeyIdentifier?: 1-500 characters }`, as the API model constrains it. */
function parseEncryption(value: unknown): PackageEncryptionOptions | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid('PackageEncryptionOptions', `${JSON.stringify(value)} must be { EncryptionEnabled, KmsKeyIdentifier }`);
  const enabled = stringOf(value.EncryptionEnabled);
  if (enabled !== 'true' && enabled !== 'false') {
    throw invalid('PackageEncryptionOptions.EncryptionEnabled', `${JSON.stringify(value.EncryptionEnabled)} must be true or false`);
  }
  const key = stringOf(value.KmsKeyIdentifier);
  if (key !== undefined && (key.length < 1 || key.length > 500)) {
    throw invalid('PackageEncryptionOptions.KmsKeyIdentifier', `${JSON.stringify(value.KmsKeyIdentifier)} must be 1-500 characters`);
  }
  return { EncryptionEnabled: enabled === 'true', KmsKeyIdentifier: key };
}

function stringOf(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(property: string, problem: string): HandlerFailure {
  return new HandlerFailure('InvalidProperty', `${property}: ${problem}`);
}

/** A package id, as the physical id of a package this handler created (and not one CloudFormation invented). */
export function isIssued(physicalId: string | undefined): boolean {
  return /^(F[0-9]+|pkg-[a-f0-9]+)$/.test(physicalId ?? '');
}
