// The handler's bundled AWS SDK warns on Node < 22 that its releases after January 2027 will require node >=22.
// In Lambda the handler runs on nodejs24.x; only these tests (on a Node 20 machine) would print it, once per test
// file: README, "Versions", explains it. Workers inherit this from the jest process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  snapshotSerializers: ['<rootDir>/test/asset-hash-serializer.js'],
};
