/**
 * Values of the packages API that the catalogue, the imports, the associations and the wire all carry.
 */

export type PackageType = 'TXT-DICTIONARY' | 'ZIP-PLUGIN' | 'PACKAGE-LICENSE' | 'PACKAGE-CONFIG';

/** Third-party plugin companions: they list their plugin as a prerequisite and go with it. */
export const PLUGIN_COMPANION_TYPES: readonly PackageType[] = ['PACKAGE-LICENSE', 'PACKAGE-CONFIG'];

/**
 * The SDK's PackageStatus values that the emulator reports. DELETED and DELETE_FAILED exist in the
 * enum but are never reported: a deletion always succeeds, and a deleted package is gone.
 */
export type PackageStatus = 'COPYING' | 'COPY_FAILED' | 'VALIDATING' | 'VALIDATION_FAILED' | 'AVAILABLE' | 'DELETING';

export type Requirement = 'REQUIRED' | 'OPTIONAL' | 'NONE';

export interface ErrorDetails {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** A plugin's PackageConfiguration: stored with each version and echoed, never interpreted. */
export interface PackageConfiguration {
  readonly licenseRequirement: Requirement;
  readonly configurationRequirement: Requirement;
  readonly licenseFilepath?: string;
  readonly requiresRestartForConfigurationUpdate?: boolean;
}

/** PackageEncryptionOptions: stored with the package, echoed in PackageDetails, never interpreted. */
export interface PackageEncryption {
  readonly encryptionEnabled: boolean;
  readonly kmsKeyIdentifier?: string;
}

/** EngineVersion as the model constrains it. */
export const ENGINE_VERSION = /^Elasticsearch_[0-9]{1}\.[0-9]{1,2}$|^OpenSearch_[0-9]{1,2}\.[0-9]{1,2}$/;
