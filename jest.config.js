// The handler's bundled AWS SDK warns on Node < 22 that its releases after January 2027 will require node >=22.
// In Lambda the handler runs on Node.js 22 or newer; only these tests (on a Node 20 machine) would print it, once per
// test file: README, "Versions", explains it. Workers inherit this from the jest process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// aws-cdk-lib's cleanup of each test's App output (testhelpers/jest-autoclean) exists only in newer releases, not
// in 2.220.0 or older (the peer range's floor, 2.195.0, which scripts/check-cdk-range.sh tests on): used wherever
// it exists.
const autoclean = (() => {
  try {
    return [require.resolve('aws-cdk-lib/testhelpers/jest-autoclean')];
  } catch {
    return [];
  }
})();

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: autoclean,
  snapshotSerializers: ['<rootDir>/test/asset-hash-serializer.js', '<rootDir>/test/handler-runtime-serializer.js'],
};
