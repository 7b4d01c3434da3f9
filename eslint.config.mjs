// Lint as aws-cdk's own packages do (tools/@aws-cdk/cdk-build-tools/config/eslintrc.js), in a flat config:
// typescript-eslint with type information, the CDK team's @cdklabs rules that fit a third-party construct library,
// import hygiene, jest hygiene and the CDK house style. `npm run lint -- --fix` fixes the style rules.
import cdklabs from '@cdklabs/eslint-plugin';
import eslint from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import importPlugin from 'eslint-plugin-import';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

/** Folders whose code ships: the construct library (lib/) and the Lambda handler bundled into assets/ (lambda/). */
const SHIPPED = ['lib/**/*.ts', 'lambda/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      'dist/',
      'assets/',
      'coverage/',
      '.deploy-local/',
      '.scratch/',
      // jsii compiles lib/ in place
      'lib/**/*.js',
      '**/*.d.ts',
      // recorded integration-test snapshots (synthesized templates and bundled assets)
      '**/*.snapshot/',
      '**/__snapshots__/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    plugins: {
      '@cdklabs': cdklabs,
      '@stylistic': stylistic,
      'import': importPlugin,
    },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      // CDK rules that hold for any code: path.join(__dirname, ...) stays inside the package
      '@cdklabs/no-invalid-path': 'error',

      // Error handling
      'no-throw-literal': 'error',

      // Require use of the `import { foo } from 'bar';` form instead of `import foo = require('bar');`. Reading an
      // installed package's version (`require('aws-cdk-lib/package.json')`) stays a require: the peer range varies it.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$'] }],
      // Names starting with `_` are unused on purpose (a destructured property left out, a signature kept)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A deprecated props interface keeps its old name by extending the new one with no members (jsii needs an interface)
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],

      // Style, as aws-cdk
      '@stylistic/indent': ['error', 2],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': ['error', { before: false, after: true }],
      '@stylistic/no-multi-spaces': ['error', { ignoreEOLComments: false }],
      '@stylistic/array-bracket-spacing': ['error', 'never'],
      '@stylistic/array-bracket-newline': ['error', 'consistent'],
      '@stylistic/object-curly-spacing': ['error', 'always'],
      '@stylistic/object-curly-newline': ['error', { multiline: true, consistent: true }],
      '@stylistic/object-property-newline': ['error', { allowAllPropertiesOnSameLine: true }],
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/space-before-blocks': 'error',
      'curly': ['error', 'multi-line', 'consistent'],
      '@stylistic/eol-last': ['error', 'always'],
      '@stylistic/spaced-comment': ['error', 'always', { exceptions: ['/'] }],
      '@stylistic/key-spacing': 'error',
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/quote-props': ['error', 'consistent-as-needed'],
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1 }],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/max-len': ['error', {
        code: 150,
        ignoreUrls: true,
        ignoreStrings: true,
        ignoreTemplateLiterals: true,
        ignoreComments: true,
        ignoreRegExpLiterals: true,
      }],

      // Imports: declared in package.json, ordered, each module once
      'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false }],
      'import/order': ['error', {
        groups: ['builtin', 'external'],
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      // Each module once (a separate `import type` is allowed, as TypeScript's own rule)
      'import/no-duplicates': 'error',

      // Cannot shadow names
      '@typescript-eslint/no-shadow': 'error',

      // Don't leave log statements littering the premises!
      'no-console': 'error',

      // Must use foo.bar instead of foo['bar'] if possible
      'dot-notation': 'error',

      // Are you sure | is not a typo for || ?
      'no-bitwise': 'error',

      // No more md5, will break in FIPS environments
      'no-restricted-syntax': ['error', {
        selector: "CallExpression:matches([callee.name='createHash'], [callee.property.name='createHash']) Literal[value='md5']",
        message: 'md5 is not available in FIPS environments: use sha256',
      }],

      // Member ordering, as aws-cdk
      '@typescript-eslint/member-ordering': ['error', {
        default: [
          'public-static-field',
          'public-static-method',
          'protected-static-field',
          'protected-static-method',
          'private-static-field',
          'private-static-method',
          'field',
          'constructor',
          'method',
        ],
      }],
    },
  },
  {
    // Rules that need type information
    files: ['**/*.ts'],
    rules: {
      // One of the easiest mistakes to make
      '@typescript-eslint/no-floating-promises': 'error',
      // Inside try/catch blocks, promises are 'return await'ed
      '@typescript-eslint/return-await': 'error',
      '@cdklabs/promiseall-no-unbounded-parallelism': 'error',
    },
  },
  {
    // Shipped code: CDK-native errors (synthError, HandlerFailure) and no hard-coded partition
    files: SHIPPED,
    rules: {
      '@cdklabs/no-throw-default-error': 'error',
      '@cdklabs/no-literal-partition': 'error',
    },
  },
  {
    // The construct library: the CDK rules for constructs
    files: ['lib/**/*.ts'],
    rules: {
      '@cdklabs/no-this-in-static': 'error',
      '@cdklabs/no-evaluating-typeguard': 'error',
      '@cdklabs/no-unconditional-token-allocation': 'error',
      // lib/ ships with only its peer dependencies: it may import aws-cdk-lib and constructs, nothing else
      'import/no-extraneous-dependencies': ['error', { devDependencies: false, peerDependencies: true, optionalDependencies: false }],
    },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    settings: { jest: { version: 30 } },
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-disabled-tests': 'error',
      'jest/no-focused-tests': 'error',
      // Tests assert through helpers named expect… (expectApiError, expectSynthError), fast-check properties and
      // aws-cdk-lib's assertions
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'fc.assert', 'Template.**', 'Annotations.**'] }],
      // Tests gated on the installed aws-cdk-lib (the peer range) are declared through these
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['itIfScopedAcknowledge'] }],
      // Off as in aws-cdk: tests branch on the installed aws-cdk-lib and cdk-nag (the peer range's floor and newest)
      // and catch a thrown error to assert on its class and construct path
      'jest/no-conditional-expect': 'off',
    },
  },
  {
    // Tests and tools read CloudFormation templates, events and cloud assemblies: untyped JSON
    files: ['test/**/*.ts', 'local/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests and benchmarks load what ships (the built bundle, the package's entry point, a handler module) by path
    // at run time, and read installed versions with computed names; jest's snapshot serializers are CommonJS
    files: ['test/**/*.ts', 'test/**/*.js', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Command-line tools: the console is their output
    files: ['local/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests and benchmarks await fixed, small sets of promises (two emulators, a few concurrent deploys)
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@cdklabs/promiseall-no-unbounded-parallelism': 'off' },
  },
  {
    // Bounded by construction: the handler reads a domain's associations and its status at once (a fixed pair);
    // deploy:local starts or synthesizes one emulator or app per environment or per phase of one app (a handful)
    files: ['lambda/domain-activity.ts', 'local/deploy-local.ts', 'local/emulated-environments.ts'],
    rules: { '@cdklabs/promiseall-no-unbounded-parallelism': 'off' },
  },
  {
    // The handler logs one JSON line per call to CloudWatch Logs through the console
    files: ['lambda/log.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Seeded pseudo-random numbers and hashes (deterministic fault injection, package ids) are bitwise by nature
    files: ['emulator/faults.ts', 'emulator/package-ids.ts'],
    rules: { 'no-bitwise': 'off' },
  },
  {
    // Terminal output is stripped of ANSI escape sequences (ESC, \x1b) before it is compared or measured
    files: ['local/progress-table.ts', 'test/local/deploy-local.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Hand-written JavaScript (jest's config and snapshot serializer, this file): no type information
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { module: 'readonly', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
);
