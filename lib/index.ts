export * from './domain-package-association';
export * from './key-store-access';
