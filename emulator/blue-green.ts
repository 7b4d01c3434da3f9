/**
 * Blue/green deployments. Associating or dissociating a plugin, or one of its license or
 * configuration companions, makes the service deploy the domain anew on fresh nodes (15 minutes
 * to hours in the field); a dictionary is copied to the nodes and needs none. One package
 * operation is one deployment however many packages it carries: the reason the batch calls exist.
 */
import { PackageType, PLUGIN_COMPANION_TYPES } from './package-shapes';

export type PackageOperationKind = 'association' | 'dissociation';

/** One blue/green deployment of a domain, as the emulator logs it. */
export interface BlueGreenDeployment {
  readonly domainName: string;
  readonly kind: PackageOperationKind;
  /** Every package the operation started (dictionaries included), in request order. */
  readonly packageIds: string[];
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** When the operation settles. */
  readonly endsAt: number;
}

const BLUE_GREEN_TYPES: readonly PackageType[] = ['ZIP-PLUGIN', ...PLUGIN_COMPANION_TYPES];

export function needsBlueGreen(type: PackageType): boolean {
  return BLUE_GREEN_TYPES.includes(type);
}
