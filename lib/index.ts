export * from './domain-package-association';
export * from './key-store-access';
export * from './open-search-package';
export * from './package-associations';
export * from './package-configuration';
export * from './package-source';
export * from './package-type';
