/** How much a plugin needs a license or a configuration (`RequirementLevel`). */
export enum RequirementLevel {
  /** The plugin cannot run without it: associate it with the plugin. */
  REQUIRED = 'REQUIRED',
  /** The plugin runs with or without it. */
  OPTIONAL = 'OPTIONAL',
  /** The plugin takes none. */
  NONE = 'NONE',
}

/** A plugin's `PackageConfiguration`: what it needs besides its zip. */
export interface PackageConfiguration {
  /** Whether the plugin needs a license package. */
  readonly licenseRequirement: RequirementLevel;

  /** Whether the plugin needs a configuration package. */
  readonly configurationRequirement: RequirementLevel;

  /**
   * Where the plugin reads its license, inside the license package.
   *
   * @default - none
   */
  readonly licenseFilepath?: string;

  /**
   * Whether a new configuration needs the domain to restart.
   *
   * @default - the service's default
   */
  readonly requiresRestartForConfigurationUpdate?: boolean;
}

/** The API's shape. */
export function renderPackageConfiguration(configuration: PackageConfiguration): Record<string, unknown> {
  return {
    LicenseRequirement: configuration.licenseRequirement,
    ConfigurationRequirement: configuration.configurationRequirement,
    LicenseFilepath: configuration.licenseFilepath,
    RequiresRestartForConfigurationUpdate: configuration.requiresRestartForConfigurationUpdate,
  };
}
