/**
 * Synth errors are aws-cdk-lib's own `ValidationError`s where the installed aws-cdk-lib has them (the lock file's
 * newest and the peer floor, 2.195.0, which scripts/check-cdk-range.sh `min` runs this file on), so
 * `Errors.isValidationError` recognises them and the CDK CLI prints the construct path; a plain `Error` with the same
 * message otherwise. The messages stay this library's: the construct's path, then what is wrong.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { IConstruct } from 'constructs';
import { importedDomain, newStack } from './fixtures';
import { DomainPackageAssociation, DomainPackages, OpenSearchPackage, PackageSource, PackageType } from '../../lib';
import { synthError } from '../../lib/synth-error';
import { CdkErrorExports, validationError } from '../../lib/validation-error';

/** aws-cdk-lib's `Errors`, typed here so the file compiles on any release of the peer range. */
const Errors = (cdk as unknown as { Errors?: { isValidationError(x: unknown): boolean } }).Errors;

const FIXTURES = path.join(__dirname, 'fixtures');
const PLUGIN_FOLDER = PackageSource.fromAsset(path.join(FIXTURES, 'plugin'));
const SYNONYMS = PackageSource.fromAsset(path.join(FIXTURES, 'synonyms.txt'));

/** What `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): Error & { readonly constructPath?: string } {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

const plugin = (stack: Stack, engineVersion = opensearch.EngineVersion.OPENSEARCH_2_19) =>
  new OpenSearchPackage(stack, 'P', { packageType: PackageType.ZIP_PLUGIN, source: PLUGIN_FOLDER, engineVersion });

/** One error of each module that throws, with the path of the construct it names. */
const CASES: [string, string, (stack: Stack) => unknown][] = [
  ['an invalid packageId', 'TestStack/A',
    (stack) => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'pkg_1' })],
  ['an invalid timeout', 'TestStack/A',
    (stack) => new DomainPackageAssociation(stack, 'A', { domain: importedDomain(stack, 'search-one'), packageId: 'F1', timeout: Duration.hours(13) })],
  ['an invalid packageName', 'TestStack/P',
    (stack) => new OpenSearchPackage(stack, 'P', { packageType: PackageType.TXT_DICTIONARY, source: SYNONYMS, packageName: 'Bad_Name' })],
  ['a plugin without an engine version', 'TestStack/P',
    (stack) => new OpenSearchPackage(stack, 'P', { packageType: PackageType.ZIP_PLUGIN, source: PLUGIN_FOLDER })],
  ['a missing asset', 'TestStack/P',
    (stack) => new OpenSearchPackage(stack, 'P', { packageType: PackageType.TXT_DICTIONARY, source: PackageSource.fromAsset('/no/such/file.txt') })],
  ['associateWith twice', 'TestStack/P', (stack) => {
    const [pkg, domain] = [plugin(stack), importedDomain(stack, 'search-one')];
    pkg.associateWith(domain);
    pkg.associateWith(domain);
  }],
  ['a package added twice to a set', 'TestStack/Set', (stack) => {
    const set = new DomainPackages(stack, 'Set', { domain: importedDomain(stack, 'search-one') });
    const pkg = OpenSearchPackage.fromPackageId(stack, 'ById', 'F1');
    set.addPackage(pkg);
    set.addPackage(pkg);
  }],
  ['one package id twice on a domain', 'TestStack/B', (stack) => {
    const domain = importedDomain(stack, 'search-one');
    new DomainPackageAssociation(stack, 'A', { domain, packageId: 'F1' });
    new DomainPackageAssociation(stack, 'B', { domain, packageId: 'F1' });
  }],
  ['subnets without a vpc', 'TestStack', (stack) => DomainPackageAssociation.configureProvider(stack, {
    securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0')],
  })],
  ['a custom plugin on a domain of OpenSearch 1.3', 'TestStack/P/Domain-Search',
    (stack) => plugin(stack).associateWith(new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_1_3 }))],
  ['21 packages on one domain (found while synthesizing)', 'TestStack/A0', (stack) => {
    const domain = importedDomain(stack, 'search-one');
    Array.from({ length: 21 }, (_, i) => new DomainPackageAssociation(stack, `A${i}`, { domain, packageId: `F${i}` }));
    Template.fromStack(stack);
  }],
];

describe('every synth error is a CDK ValidationError where aws-cdk-lib has one', () => {
  test.each(CASES)('%s', (_what, constructPath, build) => {
    const error = thrownBy(() => build(newStack()));

    expect(error).toBeInstanceOf(Error);
    if (Errors) {
      expect(Errors.isValidationError(error)).toBe(true);
      // The CDK CLI renders this path apart from the message (as a tree, or `at path [...]` on older releases).
      expect(error.constructPath).toBe(constructPath);
    } else {
      expect(error.constructor).toBe(Error);
    }
    // The message is the library's own, with the path once at its start: aws-cdk-lib adds none to it.
    expect(error.message).toMatch(new RegExp(`^${constructPath}: [A-Za-z][A-Za-z .]*: `)); // what: a property, or the API called
    expect(error.message.startsWith(`${constructPath}: ${constructPath}`)).toBe(false);
  });

  test('every error lib/ throws is built by synthError (no plain Error)', () => {
    const libDir = path.join(__dirname, '..', '..', 'lib');
    const plain = fs.readdirSync(libDir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'validation-error.ts')
      .filter((file) => /new (Error|TypeError|RangeError)\(/.test(fs.readFileSync(path.join(libDir, file), 'utf8')));
    expect(plain).toEqual([]);
  });
});

describe('validationError: which error aws-cdk-lib can give', () => {
  const MESSAGE = 'TestStack/A: invalid packageId: \'pkg_1\' must match ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$';

  test('the installed aws-cdk-lib: its ValidationError, named so on every release, the message unchanged', () => {
    const stack = newStack();
    const error = synthError(stack, 'invalid packageId', 'x');

    expect(error.message).toBe('TestStack: invalid packageId: x');
    if (Errors) {
      expect(Errors.isValidationError(error)).toBe(true);
      expect(error.name).toBe('ValidationError');
    } else {
      expect(error.constructor).toBe(Error);
    }
  });

  test('an aws-cdk-lib without ValidationError or Errors: a plain Error with the same message', () => {
    const stack = newStack();
    for (const exports of [{}, { ValidationError: class extends Error {} }, { Errors: { isValidationError: () => true } }]) {
      const error = validationError(MESSAGE, stack, exports as CdkErrorExports);
      expect(error.constructor).toBe(Error);
      expect(error.message).toBe(MESSAGE);
    }
  });

  /** A stand-in for either constructor, recording what it was given. */
  class Recorded extends Error {
    public static made: unknown[][] = [];
    constructor(...args: unknown[]) {
      super(args.find((arg) => typeof arg === 'string' && arg.startsWith('TestStack')) as string);
      Recorded.made.push(args);
    }
  }
  const recognised = { isValidationError: (x: unknown) => x instanceof Recorded };

  test.each([
    ['(message, scope): 2.195.0 to at least 2.232', class extends Recorded {
      constructor(message: string, scope: IConstruct) {
        super(message, scope);
      }
    }, (scope: IConstruct) => [MESSAGE, scope]],
    ['(code, message, scope): 2.276.0 and later', class extends Recorded {
      constructor(code: string, message: string, scope: IConstruct) {
        super(code, message, scope);
      }
    }, (scope: IConstruct) => ['ValidationError', MESSAGE, scope]],
  ])('a ValidationError constructor of the form %s is called as such', (_form, ValidationError, args) => {
    Recorded.made = [];
    const stack = newStack();
    const error = validationError(MESSAGE, stack, { ValidationError, Errors: recognised });

    expect(error).toBeInstanceOf(ValidationError);
    expect(Recorded.made).toEqual([args(stack)]);
  });

  test.each([
    ['throws', class {
      constructor(_message: string, _scope: IConstruct) {
        throw new TypeError('unexpected arguments');
      }
    }],
    ['changes the message', class extends Error {
      constructor(message: string, _scope: IConstruct) {
        super(`[${message}]`);
      }
    }],
  ])('a ValidationError of another shape (it %s): a plain Error with the message', (_why, ValidationError) => {
    const error = validationError(MESSAGE, newStack(), { ValidationError, Errors: { isValidationError: () => true } });
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe(MESSAGE);
  });

  test('an error aws-cdk-lib does not recognise as a ValidationError: a plain Error', () => {
    const error = validationError(MESSAGE, newStack(), { ValidationError: class extends Recorded {}, Errors: { isValidationError: () => false } });
    expect(error.constructor).toBe(Error);
  });
});
