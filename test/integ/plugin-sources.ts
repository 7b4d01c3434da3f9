import * as path from 'path';
import { PackageSource } from '../../lib';

/**
 * The environment variables that point a real run at a real plugin. The service validates a plugin's zip
 * (descriptor, engine version, a vulnerability scan) before it is AVAILABLE, so the repository's placeholders
 * only synthesize: they keep the snapshots the same on every machine. `npm run integ` and `npm run integ:update`
 * unset these variables for that reason.
 */
export const PLUGIN_ENV = {
  /** A custom plugin's `.zip`, built for OpenSearch 2.19 (`opensearch.version=2.19.0` in its descriptor). */
  plugin: 'INTEG_PLUGIN_ZIP',
  /** The plugin's license package (`.zip`). */
  license: 'INTEG_PLUGIN_LICENSE_ZIP',
  /** The plugin's configuration package (`.zip`). */
  configuration: 'INTEG_PLUGIN_CONFIG_ZIP',
} as const;

const FIXTURES = path.join(__dirname, 'fixtures');

/** The placeholders: the construct tests' plugin folder and this folder's license and configuration. */
const PLACEHOLDERS: Record<keyof typeof PLUGIN_ENV, string> = {
  plugin: path.join(__dirname, '..', 'construct', 'fixtures', 'plugin'),
  license: path.join(FIXTURES, 'plugin-license'),
  configuration: path.join(FIXTURES, 'plugin-config'),
};

/** The dictionary the test uploads: a file of this repository in every run. */
export const SYNONYMS_FILE = path.join(FIXTURES, 'synonyms.txt');

/**
 * The content of the plugin, its license or its configuration: the file the environment variable names
 * (a path from the working directory), else the placeholder. `PackageSource.fromAsset` rejects a path that
 * does not exist or is not a `.zip`, naming the path.
 */
export function pluginPart(part: keyof typeof PLUGIN_ENV, env: NodeJS.ProcessEnv = process.env): PackageSource {
  const given = env[PLUGIN_ENV[part]];
  return PackageSource.fromAsset(given ? path.resolve(given) : PLACEHOLDERS[part]);
}
