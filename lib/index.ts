// The public API: constructs, their props and options, enums and classes with documented static factories.
// Named one by one (no `export *`), so that no helper of a module becomes public by accident; jsii-friendly.
export type { AssociationProviderOptions, PackagesProviderOptions } from './association-provider';
export { DomainPackageAssociation } from './domain-package-association';
export type { DomainPackageAssociationProps } from './domain-package-association';
export { DomainPackages, DomainPackagesMember } from './domain-packages';
export type { AddPackageOptions, DomainPackagesProps } from './domain-packages';
export type { KeyStoreAccess } from './key-store-access';
export { OpenSearchPackage } from './open-search-package';
export type { AwsPluginProps, IOpenSearchPackage, OpenSearchPackageProps } from './open-search-package';
export type { AssociateWithOptions } from './package-associations';
export { RequirementLevel } from './package-configuration';
export type { PackageConfiguration } from './package-configuration';
export { PackagesProvider } from './packages-provider';
export { PackageSource } from './package-source';
export type { PackageSourceConfig } from './package-source';
export { PackageType } from './package-type';
