/**
 * The type of an OpenSearch Service package (`PackageType` in the API).
 */
export enum PackageType {
  /** A text dictionary: synonyms, stop words, user dictionaries. A single file. */
  TXT_DICTIONARY = 'TXT-DICTIONARY',
  /** A custom plugin: a `.zip` file (or a folder, zipped as an asset). Needs an engine version. */
  ZIP_PLUGIN = 'ZIP-PLUGIN',
  /** A plugin's license. */
  PACKAGE_LICENSE = 'PACKAGE-LICENSE',
  /** A plugin's configuration. */
  PACKAGE_CONFIG = 'PACKAGE-CONFIG',
}
