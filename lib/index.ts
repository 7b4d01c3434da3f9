// The public API: classes, interfaces and enums only (no free functions), so that a jsii build stays possible.
export type { AssociationProviderOptions } from './association-provider';
export * from './domain-package-association';
export * from './domain-packages';
export * from './key-store-access';
export * from './open-search-package';
export type { AssociateWithOptions } from './package-associations';
export { RequirementLevel } from './package-configuration';
export type { PackageConfiguration } from './package-configuration';
export * from './package-source';
export * from './package-type';
