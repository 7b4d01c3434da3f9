/** The domains and packages the packages-API emulator tests share. */
import type { EmulatedPackage } from '../../emulator/packages-api-emulator';

export const DOMAIN = 'search-domain';
export const OTHER_DOMAIN = 'other-domain';
export const DICTIONARY: EmulatedPackage = { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' };
export const PLUGIN: EmulatedPackage = { id: 'pkg-abc', name: 'my-plugin', type: 'ZIP-PLUGIN', associationMs: 5000, dissociationMs: 4000 };
export const LICENSE: EmulatedPackage = { id: 'pkg-abd', name: 'my-plugin-license', type: 'PACKAGE-LICENSE' };
export const CONFIG: EmulatedPackage = { id: 'pkg-abe', name: 'my-plugin-config', type: 'PACKAGE-CONFIG' };
export const NORI: EmulatedPackage = { id: 'G222', name: 'analysis-nori', type: 'ZIP-PLUGIN' };
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/key-store-access';
