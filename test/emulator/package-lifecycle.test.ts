import {
  AssociatePackageCommand,
  CreatePackageCommand,
  CreatePackageCommandInput,
  DeletePackageCommand,
  DescribePackagesCommand,
  DescribePackagesFilter,
  DissociatePackageCommand,
  GetPackageVersionHistoryCommand,
  ListDomainsForPackageCommand,
  ListPackagesForDomainCommand,
  OpenSearchClient,
  PackageDetails,
  paginateDescribePackages,
  paginateGetPackageVersionHistory,
  paginateListDomainsForPackage,
  UpdatePackageCommand,
  UpdatePackageCommandInput,
} from '@aws-sdk/client-opensearch';
import { DOMAIN, OTHER_DOMAIN } from './catalogue';
import { emulatorStarter, expectApiError, failure, newClient, stopWithClient } from './sdk-client';
import { EmulatedPackage, ManualClock, PackagesApiEmulator } from '../../emulator/packages-api-emulator';

const ACCOUNT = '123456789012';
const BUCKET = 'package-sources';
const SYNONYMS: EmulatedPackage = { id: 'F111', name: 'synonyms', type: 'TXT-DICTIONARY' };
const NORI_FIXTURE: EmulatedPackage = { id: 'G222', name: 'analysis-nori', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.11' };
const PLUGIN_CONFIGURATION = { LicenseRequirement: 'NONE', ConfigurationRequirement: 'OPTIONAL', RequiresRestartForConfigurationUpdate: true } as const;
/** The first ids the emulator gives: one counter for both forms. */
const FIRST_DICTIONARY_ID = 'F100000001';
const SECOND_PLUGIN_ID = 'pkg-00000000000000000002';

let emulator: PackagesApiEmulator;
let clock: ManualClock;
let client: OpenSearchClient;

const startEmulator = emulatorStarter({
  domains: [DOMAIN, OTHER_DOMAIN],
  packages: [SYNONYMS, NORI_FIXTURE],
  copyMs: 2000,
  validationMs: 3000,
  s3Objects: [
    { bucket: BUCKET, key: 'stopwords.txt' },
    { bucket: BUCKET, key: 'stopwords-v2.txt' },
    { bucket: BUCKET, key: 'plugin.zip' },
  ],
}, (started) => ({ emulator, clock, client } = started));

afterEach(() => stopWithClient({ emulator, client }));

const source = (key: string) => ({ S3BucketName: BUCKET, S3Key: key });
const createDictionary = (name = 'stopwords', key = 'stopwords.txt', extra: Partial<CreatePackageCommandInput> = {}) =>
  client
    .send(new CreatePackageCommand({ PackageName: name, PackageType: 'TXT-DICTIONARY', PackageSource: source(key), ...extra }))
    .then((out) => out.PackageDetails as PackageDetails);
const createPlugin = (name = 'my-plugin', extra: Partial<CreatePackageCommandInput> = {}) =>
  client
    .send(
      new CreatePackageCommand({
        PackageName: name,
        PackageType: 'ZIP-PLUGIN',
        PackageSource: source('plugin.zip'),
        EngineVersion: 'OpenSearch_2.19',
        ...extra,
      }),
    )
    .then((out) => out.PackageDetails as PackageDetails);
const update = (packageId: string, key: string, extra: Partial<UpdatePackageCommandInput> = {}) =>
  client.send(new UpdatePackageCommand({ PackageID: packageId, PackageSource: source(key), ...extra }))
    .then((out) => out.PackageDetails as PackageDetails);
const remove = (packageId: string) =>
  client.send(new DeletePackageCommand({ PackageID: packageId })).then((out) => out.PackageDetails as PackageDetails);
const describe_ = async (...filters: DescribePackagesFilter[]): Promise<PackageDetails[]> =>
  (await client.send(new DescribePackagesCommand({ Filters: filters }))).PackageDetailsList ?? [];
const described = async (packageId: string): Promise<PackageDetails | undefined> => (await describe_({ Name: 'PackageID', Value: [packageId] }))[0];
const status = async (packageId: string) => {
  const pkg = await described(packageId);
  return pkg && `${pkg.PackageStatus} ${pkg.AvailablePackageVersion ?? '-'}`;
};
const ids = (packages: PackageDetails[]) => packages.map((pkg) => pkg.PackageID);
const history = async (packageId: string) =>
  (await client.send(new GetPackageVersionHistoryCommand({ PackageID: packageId }))).PackageVersionHistoryList ?? [];
const associate = (packageId: string, domain = DOMAIN) =>
  client.send(new AssociatePackageCommand({ PackageID: packageId, DomainName: domain })).then((out) => out.DomainPackageDetails);
const domainVersion = async (packageId: string, domain = DOMAIN) =>
  (await client.send(new ListPackagesForDomainCommand({ DomainName: domain }))).DomainPackageDetailsList?.find((d) => d.PackageID === packageId)
    ?.PackageVersion;
const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);

describe('CreatePackage', () => {
  beforeEach(() => startEmulator());

  test('COPYING for copyMs, VALIDATING for validationMs, then AVAILABLE at v1', async () => {
    const created = await createDictionary('stopwords', 'stopwords.txt', { PackageDescription: 'Stop words' });

    expect(created).toEqual({
      PackageID: FIRST_DICTIONARY_ID,
      PackageName: 'stopwords',
      PackageType: 'TXT-DICTIONARY',
      PackageDescription: 'Stop words',
      PackageStatus: 'COPYING',
      CreatedAt: at(0),
      LastUpdatedAt: at(0),
      PackageOwner: ACCOUNT,
    });
    clock.advance(1999);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('COPYING -');
    clock.advance(1);
    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({ PackageStatus: 'VALIDATING', LastUpdatedAt: at(2000) });
    clock.advance(2999);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('VALIDATING -');
    clock.advance(1);
    expect(await described(FIRST_DICTIONARY_ID)).toEqual({ ...created, PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v1', LastUpdatedAt: at(5000) });
    expect(await history(FIRST_DICTIONARY_ID)).toEqual([{ PackageVersion: 'v1', CreatedAt: at(0) }]);
  });

  test('a created dictionary associates like a known one, with its reference path', async () => {
    await createDictionary();
    clock.advance(5000);
    expect(await associate(FIRST_DICTIONARY_ID)).toMatchObject({ PackageVersion: 'v1', ReferencePath: `analyzers/${FIRST_DICTIONARY_ID}`, PackageName: 'stopwords' });
  });

  test('a plugin gets a pkg- id after the dictionaries; its engine version and configuration are echoed', async () => {
    await createDictionary();
    const plugin = await createPlugin('my-plugin', { PackageConfiguration: PLUGIN_CONFIGURATION });

    expect(plugin).toMatchObject({ PackageID: SECOND_PLUGIN_ID, PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19', PackageStatus: 'COPYING' });
    expect(plugin.AvailablePackageConfiguration).toBeUndefined();
    clock.advance(5000);
    expect(await described(SECOND_PLUGIN_ID)).toMatchObject({ PackageStatus: 'AVAILABLE', AvailablePackageConfiguration: PLUGIN_CONFIGURATION });
    expect(await history(SECOND_PLUGIN_ID)).toEqual([{ PackageVersion: 'v1', CreatedAt: at(0), PackageConfiguration: PLUGIN_CONFIGURATION }]);
  });

  test('a plugin needs an engine version; other types cannot have one', async () => {
    const withoutEngine = { PackageName: 'my-plugin', PackageType: 'ZIP-PLUGIN', PackageSource: source('plugin.zip') } as const;
    await expectApiError(
      client.send(new CreatePackageCommand(withoutEngine)),
      'ValidationException',
      400,
      'EngineVersion is a required parameter for this operation',
    );
    await expectApiError(createDictionary('stopwords', 'stopwords.txt', { EngineVersion: 'OpenSearch_2.19' }), 'ValidationException', 400);
    expect(emulator.packages().map((pkg) => pkg.id)).toEqual(['F111', 'G222']);
  });

  test('a name the account already uses is a 409 ResourceAlreadyExistsException; AWS-owned names do not count', async () => {
    await expectApiError(createDictionary('synonyms'), 'ResourceAlreadyExistsException', 409, 'Package name synonyms is already used by package F111');
    await createDictionary('stopwords');
    await expectApiError(createDictionary('stopwords', 'stopwords-v2.txt'), 'ResourceAlreadyExistsException', 409);
    expect(await createPlugin('analysis-nori')).toMatchObject({ PackageOwner: ACCOUNT, PackageStatus: 'COPYING' });
  });

  test.each([
    ['a too short name', { PackageName: 'ab' }],
    ['a too long name', { PackageName: `a${'b'.repeat(256)}` }],
    ['an upper-case name', { PackageName: 'Stopwords' }],
    ['a name starting with a digit', { PackageName: '1stopwords' }],
    ['an unknown type', { PackageType: 'TXT-SYNONYMS' }],
    ['a source without key', { PackageSource: { S3BucketName: BUCKET } }],
    ['a too short bucket name', { PackageSource: { S3BucketName: 'ab', S3Key: 'stopwords.txt' } }],
    ['a description over 1024 characters', { PackageDescription: 'x'.repeat(1025) }],
    ['a malformed engine version', { PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch-2.19' }],
    ['an unknown license requirement', { PackageConfiguration: { LicenseRequirement: 'MAYBE', ConfigurationRequirement: 'NONE' } }],
  ])('%s is a ValidationException', async (_, input) => {
    const request = { PackageName: 'stopwords', PackageType: 'TXT-DICTIONARY', PackageSource: source('stopwords.txt'), ...input };
    await expectApiError(client.send(new CreatePackageCommand(request as CreatePackageCommandInput)), 'ValidationException', 400);
    expect(emulator.packages()).toHaveLength(2);
  });

  test('a missing source object: COPYING, then COPY_FAILED with ErrorDetails, nothing to associate', async () => {
    const created = await createDictionary('stopwords', 'missing.txt');
    clock.advance(1999);
    expect(await status(created.PackageID as string)).toBe('COPYING -');
    clock.advance(1);

    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({
      PackageStatus: 'COPY_FAILED',
      LastUpdatedAt: at(2000),
      ErrorDetails: {
        ErrorType: 'CopyFailed',
        ErrorMessage: `Unable to copy the package from s3://${BUCKET}/missing.txt: the object does not exist or cannot be read`,
      },
    });
    clock.advance(10_000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('COPY_FAILED -');
    await expectApiError(associate(FIRST_DICTIONARY_ID), 'ValidationException', 400, `Package ${FIRST_DICTIONARY_ID} has no available version to associate`);
    expect(await history(FIRST_DICTIONARY_ID)).toEqual([]);
  });

  test('the source is read when the import starts; putObject makes a later one succeed', async () => {
    await createDictionary('stopwords', 'later.txt');
    emulator.putObject(BUCKET, 'later.txt');
    clock.advance(2000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('COPY_FAILED -');

    expect(await update(FIRST_DICTIONARY_ID, 'later.txt')).toMatchObject({ PackageStatus: 'COPYING' });
    clock.advance(5000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('AVAILABLE v1');
  });

  test('failNextValidation by name: VALIDATION_FAILED after copy and validation; only the next validation fails', async () => {
    emulator.failNextValidation('stopwords', 'InvalidDictionary', 'Line 3 is not a stop word');
    await createDictionary();
    clock.advance(4999);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('VALIDATING -');
    clock.advance(1);
    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({
      PackageStatus: 'VALIDATION_FAILED',
      ErrorDetails: { ErrorType: 'InvalidDictionary', ErrorMessage: 'Line 3 is not a stop word' },
    });

    const retried = await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt');
    expect(retried.ErrorDetails).toBeUndefined();
    clock.advance(5000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('AVAILABLE v1');
  });

  test('a failed copy validates nothing: the armed validation failure waits for the next validation', async () => {
    emulator.failNextValidation('stopwords', 'InvalidDictionary', 'Line 3 is not a stop word');
    await createDictionary('stopwords', 'missing.txt');
    clock.advance(2000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('COPY_FAILED -');
    await update(FIRST_DICTIONARY_ID, 'stopwords.txt');
    clock.advance(5000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('VALIDATION_FAILED -');
  });
});

describe('UpdatePackage', () => {
  beforeEach(async () => {
    await startEmulator();
    await createDictionary();
    clock.advance(5000);
  });

  test('COPYING, VALIDATING, then v2 AVAILABLE; domains keep v1 until associated again', async () => {
    await associate(FIRST_DICTIONARY_ID);
    clock.advance(1000);

    const updated = await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt', { CommitMessage: 'More stop words' });
    expect(updated).toMatchObject({ PackageStatus: 'COPYING', AvailablePackageVersion: 'v1', LastUpdatedAt: at(6000) });
    clock.advance(2000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('VALIDATING v1');
    clock.advance(3000);
    expect(await status(FIRST_DICTIONARY_ID)).toBe('AVAILABLE v2');
    expect(await domainVersion(FIRST_DICTIONARY_ID)).toBe('v1');

    expect(await associate(FIRST_DICTIONARY_ID)).toMatchObject({ DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v2' });
    clock.advance(1000);
    expect(await domainVersion(FIRST_DICTIONARY_ID)).toBe('v2');
    expect(await history(FIRST_DICTIONARY_ID)).toEqual([
      { PackageVersion: 'v1', CreatedAt: at(0) },
      { PackageVersion: 'v2', CommitMessage: 'More stop words', CreatedAt: at(6000) },
    ]);
  });

  test('while an import runs the package cannot be updated again, but its available version can be associated', async () => {
    await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt');
    await expectApiError(
      update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt'),
      'ValidationException',
      400,
      `Package ${FIRST_DICTIONARY_ID} cannot be updated while its status is COPYING`,
    );
    clock.advance(2000);
    await expectApiError(update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt'), 'ValidationException', 400);
    expect(await associate(FIRST_DICTIONARY_ID)).toMatchObject({ PackageVersion: 'v1' });
  });

  test('a failed update keeps the available version; the next successful one is v2', async () => {
    await update(FIRST_DICTIONARY_ID, 'missing.txt');
    clock.advance(2000);
    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({ PackageStatus: 'COPY_FAILED', AvailablePackageVersion: 'v1', ErrorDetails: { ErrorType: 'CopyFailed' } });
    expect(await associate(FIRST_DICTIONARY_ID)).toMatchObject({ PackageVersion: 'v1' });

    emulator.failNextValidation(FIRST_DICTIONARY_ID, 'InvalidDictionary', 'Empty file');
    await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt');
    clock.advance(5000);
    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({ PackageStatus: 'VALIDATION_FAILED', AvailablePackageVersion: 'v1' });

    await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt');
    clock.advance(5000);
    expect(await described(FIRST_DICTIONARY_ID)).toMatchObject({ PackageStatus: 'AVAILABLE', AvailablePackageVersion: 'v2' });
    expect((await described(FIRST_DICTIONARY_ID))?.ErrorDetails).toBeUndefined();
  });

  test('the description changes at once; the configuration is the new version’s, or the newest one’s when omitted', async () => {
    await createPlugin('my-plugin', { PackageConfiguration: PLUGIN_CONFIGURATION });
    clock.advance(5000);
    expect(await update(SECOND_PLUGIN_ID, 'plugin.zip', { PackageDescription: 'Second cut' })).toMatchObject({ PackageDescription: 'Second cut' });
    clock.advance(5000);
    const configuration = { LicenseRequirement: 'REQUIRED', ConfigurationRequirement: 'NONE', LicenseFilepath: 'license.txt' } as const;
    await update(SECOND_PLUGIN_ID, 'plugin.zip', { PackageConfiguration: configuration });
    expect(await described(SECOND_PLUGIN_ID)).toMatchObject({ AvailablePackageVersion: 'v2', AvailablePackageConfiguration: PLUGIN_CONFIGURATION });
    clock.advance(5000);

    expect(await described(SECOND_PLUGIN_ID)).toMatchObject({
      AvailablePackageVersion: 'v3',
      AvailablePackageConfiguration: configuration,
      EngineVersion: 'OpenSearch_2.19',
      PackageDescription: 'Second cut',
    });
    expect((await history(SECOND_PLUGIN_ID)).map((version) => [version.PackageVersion, version.PackageConfiguration?.LicenseRequirement])).toEqual([
      ['v1', 'NONE'],
      ['v2', 'NONE'],
      ['v3', 'REQUIRED'],
    ]);
  });

  test('a known package continues from its fixture version; publishVersion counts as one', async () => {
    emulator.publishVersion('F111', 'v4');
    await update('F111', 'stopwords.txt');
    clock.advance(5000);
    expect(await status('F111')).toBe('AVAILABLE v5');
  });

  test('an unknown package is a 409 ResourceNotFoundException; an AWS-owned one cannot be updated', async () => {
    await expectApiError(update('F999', 'stopwords.txt'), 'ResourceNotFoundException', 409, 'Package not found: F999');
    await expectApiError(update('G222', 'plugin.zip'), 'ValidationException', 400, 'Operation not allowed. This package cannot be updated.');
    await expectApiError(update('X1', 'plugin.zip'), 'ValidationException', 400);
    await expectApiError(update(FIRST_DICTIONARY_ID, 'stopwords.txt', { CommitMessage: 'x'.repeat(161) }), 'ValidationException', 400);
  });

  test('recorded with the package id of its body', async () => {
    await update(FIRST_DICTIONARY_ID, 'stopwords-v2.txt');
    expect(emulator.count('UpdatePackage', { packageId: FIRST_DICTIONARY_ID })).toBe(1);
    expect(emulator.count('CreatePackage')).toBe(1);
  });
});

describe('PackageEncryptionOptions', () => {
  const KEY_A = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444';
  const KEY_B = 'arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444';
  const encrypted = (key: string) => ({ EncryptionEnabled: true, KmsKeyIdentifier: key });

  test('CreatePackage stores them and PackageDetails reports them; a package created without them reports none', async () => {
    await startEmulator();
    const plugin = await createPlugin('my-plugin', { PackageEncryptionOptions: encrypted(KEY_A) });
    const dictionary = await createDictionary();

    expect(plugin.PackageEncryptionOptions).toEqual(encrypted(KEY_A));
    expect((await described(plugin.PackageID!))?.PackageEncryptionOptions).toEqual(encrypted(KEY_A));
    expect(dictionary).not.toHaveProperty('PackageEncryptionOptions');
  });

  test('validated like the model: EncryptionEnabled a required boolean, KmsKeyIdentifier 1-500 characters; nothing is created', async () => {
    await startEmulator();
    const options = (value: unknown) => ({ PackageEncryptionOptions: value as never });
    await expectApiError(createPlugin('my-plugin', options({ KmsKeyIdentifier: KEY_A })), 'ValidationException', 400,
      "1 validation error detected: Value null at 'packageEncryptionOptions.encryptionEnabled' failed to satisfy constraint: Member must not be null");
    await expectApiError(createPlugin('my-plugin', options({ EncryptionEnabled: 'yes' })), 'ValidationException', 400,
      'packageEncryptionOptions.encryptionEnabled must be a boolean');
    await expectApiError(createPlugin('my-plugin', options(encrypted(''))), 'ValidationException', 400);
    await expectApiError(createPlugin('my-plugin', options(encrypted('k'.repeat(501)))), 'ValidationException', 400);
    expect(await createPlugin('my-plugin', options(encrypted('k'.repeat(500))))).toMatchObject({ PackageStatus: 'COPYING' });
    // Only the last, valid request created a package: the first id the sequence gives.
    expect(emulator.packages().map((pkg) => pkg.id)).toEqual(['F111', 'G222', 'pkg-00000000000000000001']);
  });

  test('UpdatePackage replaces them when it has them and keeps them when it has none', async () => {
    await startEmulator();
    const { PackageID: id } = await createPlugin('my-plugin', { PackageEncryptionOptions: encrypted(KEY_A) });
    clock.advance(5000);
    await update(id!, 'plugin.zip');
    expect((await described(id!))?.PackageEncryptionOptions).toEqual(encrypted(KEY_A));
    clock.advance(5000);

    await update(id!, 'plugin.zip', { PackageEncryptionOptions: encrypted(KEY_B) });
    clock.advance(5000);

    expect(await described(id!)).toMatchObject({ AvailablePackageVersion: 'v3', PackageEncryptionOptions: encrypted(KEY_B) });
  });

  test('disabling: accepted by default; refuseEncryptionDisabling answers ValidationException and changes nothing', async () => {
    for (const refuse of [false, true]) {
      await startEmulator({ refuseEncryptionDisabling: refuse });
      const { PackageID: id } = await createPlugin('my-plugin', { PackageEncryptionOptions: encrypted(KEY_A) });
      clock.advance(5000);
      const disabling = update(id!, 'plugin.zip', { PackageEncryptionOptions: { EncryptionEnabled: false } });
      if (refuse) {
        await expectApiError(disabling, 'ValidationException', 400, `Encryption cannot be disabled for package ${id}`);
      } else {
        await disabling;
      }
      clock.advance(5000);
      expect(await described(id!)).toMatchObject(refuse
        ? { AvailablePackageVersion: 'v1', PackageEncryptionOptions: encrypted(KEY_A) }
        : { AvailablePackageVersion: 'v2', PackageEncryptionOptions: { EncryptionEnabled: false } });
      await stopWithClient({ emulator, client });
    }
  });
});

describe('DeletePackage', () => {
  test('answers DELETING; the package is gone from every call at once', async () => {
    await startEmulator();
    await createDictionary();
    clock.advance(5000);

    expect(await remove(FIRST_DICTIONARY_ID)).toMatchObject({ PackageID: FIRST_DICTIONARY_ID, PackageStatus: 'DELETING', AvailablePackageVersion: 'v1' });
    expect(await described(FIRST_DICTIONARY_ID)).toBeUndefined();
    await expectApiError(remove(FIRST_DICTIONARY_ID), 'ResourceNotFoundException', 409, `Package not found: ${FIRST_DICTIONARY_ID}`);
    await expectApiError(history(FIRST_DICTIONARY_ID), 'ResourceNotFoundException', 409);
    await expectApiError(associate(FIRST_DICTIONARY_ID), 'ResourceNotFoundException', 409);
    expect(await createDictionary()).toMatchObject({ PackageID: 'F100000002', PackageStatus: 'COPYING' });
  });

  test('a package any domain holds, in any status, is a 409 ConflictException; deletable once dissociated', async () => {
    await startEmulator();
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(OTHER_DOMAIN, 'F111', { status: 'ASSOCIATION_FAILED' });
    const inUse = `Package F111 is in use: it is associated with domain ${OTHER_DOMAIN}, ${DOMAIN}. Dissociate it first.`;

    await expectApiError(remove('F111'), 'ConflictException', 409, inUse);
    await client.send(new DissociatePackageCommand({ PackageID: 'F111', DomainName: DOMAIN }));
    await client.send(new DissociatePackageCommand({ PackageID: 'F111', DomainName: OTHER_DOMAIN }));
    await expectApiError(remove('F111'), 'ConflictException', 409);
    clock.advance(1000);

    expect(await remove('F111')).toMatchObject({ PackageStatus: 'DELETING' });
    expect(emulator.packages().map((pkg) => pkg.id)).toEqual(['G222']);
  });

  test('an entry hidden by the list lag still holds the package', async () => {
    await startEmulator({ listLagMs: 5000 });
    await associate('F111');
    await expectApiError(remove('F111'), 'ConflictException', 409);
  });

  test('a package being imported can be deleted: the import is abandoned', async () => {
    await startEmulator();
    emulator.failNextValidation('stopwords', 'InvalidDictionary', 'never seen');
    await createDictionary();
    await remove(FIRST_DICTIONARY_ID);
    clock.advance(5000);
    expect(emulator.packages().map((pkg) => pkg.id)).toEqual(['F111', 'G222']);
  });

  test('AWS-owned: "Operation not allowed", a ValidationException by default', async () => {
    await startEmulator();
    await expectApiError(remove('G222'), 'ValidationException', 400, 'Operation not allowed. This package cannot be deleted.');
  });

  test('awsPackageRefusal: AccessDeniedException makes it a 403 for delete and update', async () => {
    await startEmulator({ awsPackageRefusal: 'AccessDeniedException' });
    await expectApiError(remove('G222'), 'AccessDeniedException', 403, 'Operation not allowed. This package cannot be deleted.');
    await expectApiError(update('G222', 'plugin.zip'), 'AccessDeniedException', 403, 'Operation not allowed. This package cannot be updated.');
  });

  test.each([
    [undefined, 'ResourceNotFoundException', 409],
    ['ResourceNotFoundException' as const, 'ResourceNotFoundException', 409],
    ['ValidationException' as const, 'ValidationException', 400],
  ])('unknown or malformed ids (missingPackage %s): every call naming a missing package answers %s', async (missingPackage, name, httpStatus) => {
    await startEmulator({ missingPackage });
    await expectApiError(remove('F999'), name, httpStatus, 'Package not found: F999');
    await expectApiError(update('F999', 'stopwords.txt'), name, httpStatus, 'Package not found: F999');
    await expectApiError(history('F999'), name, httpStatus, 'Package not found: F999');
    await expectApiError(associate('F999'), name, httpStatus, 'Package not found: F999');
    await expectApiError(client.send(new ListDomainsForPackageCommand({ PackageID: 'F999' })), name, httpStatus, 'Package not found: F999');
    await expectApiError(remove('pkg-XYZ'), 'ValidationException', 400);
    expect(await described('F999')).toBeUndefined(); // DescribePackages lists nothing by default
  });

  test('with deletionMs, DescribePackages lists it DELETING that long and its name stays taken', async () => {
    await startEmulator({ deletionMs: 3000 });
    await remove('F111');
    expect(await described('F111')).toMatchObject({ PackageStatus: 'DELETING', LastUpdatedAt: at(0) });
    expect(await describe_({ Name: 'PackageStatus', Value: ['DELETING'] })).toHaveLength(1);
    await expectApiError(createDictionary('synonyms'), 'ResourceAlreadyExistsException', 409);
    await expectApiError(remove('F111'), 'ResourceNotFoundException', 409);
    await expectApiError(update('F111', 'stopwords.txt'), 'ResourceNotFoundException', 409);

    clock.advance(3000);
    expect(await described('F111')).toBeUndefined();
    expect(await createDictionary('synonyms')).toMatchObject({ PackageStatus: 'COPYING' });
  });
});

describe('DescribePackages filters and paging', () => {
  beforeEach(async () => {
    await startEmulator({
      awsPackages: [
        { name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' },
        { name: 'analysis-nori', engineVersion: 'OpenSearch_2.17' },
        { name: 'analysis-sudachi', engineVersion: 'OpenSearch_2.19' },
      ],
    });
    await createDictionary();
    await createPlugin();
  });

  const noriFor = (engineVersion: string) => emulator.packages().find((pkg) => pkg.name === 'analysis-nori' && pkg.engineVersion === engineVersion)?.id;

  test('name, engine version and type find the AWS-owned plugin of that engine version', async () => {
    const found = await describe_(
      { Name: 'PackageName', Value: ['analysis-nori'] },
      { Name: 'EngineVersion', Value: ['OpenSearch_2.19'] },
      { Name: 'PackageType', Value: ['ZIP-PLUGIN'] },
    );

    expect(found).toEqual([
      {
        PackageID: noriFor('OpenSearch_2.19'),
        PackageName: 'analysis-nori',
        PackageType: 'ZIP-PLUGIN',
        PackageStatus: 'AVAILABLE',
        CreatedAt: at(0),
        LastUpdatedAt: at(0),
        AvailablePackageVersion: 'v1',
        EngineVersion: 'OpenSearch_2.19',
        PackageOwner: 'AWS',
      },
    ]);
  });

  test('several values of one filter are alternatives; filters all apply', async () => {
    const engines = await describe_({ Name: 'EngineVersion', Value: ['OpenSearch_2.17', 'OpenSearch_2.11'] });
    expect(ids(engines)).toEqual(['G222', noriFor('OpenSearch_2.17')].sort());
    const statuses = await describe_({ Name: 'PackageStatus', Value: ['COPYING'] }, { Name: 'PackageType', Value: ['TXT-DICTIONARY', 'ZIP-PLUGIN'] });
    expect(ids(statuses)).toEqual([FIRST_DICTIONARY_ID, SECOND_PLUGIN_ID]);
    clock.advance(5000);
    expect(await describe_({ Name: 'PackageStatus', Value: ['COPYING', 'VALIDATING'] })).toEqual([]);
  });

  test('owner AWS lists the AWS-owned packages, the account id the others', async () => {
    const aws = await describe_({ Name: 'PackageOwner', Value: ['AWS'] });
    expect(aws).toHaveLength(4);
    expect(aws.every((pkg) => pkg.PackageID?.startsWith('G'))).toBe(true);
    expect(ids(await describe_({ Name: 'PackageOwner', Value: [ACCOUNT] }))).toEqual([FIRST_DICTIONARY_ID, 'F111', SECOND_PLUGIN_ID]);
    expect(ids(await describe_({ Name: 'PackageID', Value: ['F111', SECOND_PLUGIN_ID] }))).toEqual(['F111', SECOND_PLUGIN_ID]);
  });

  test('a package without an engine version never matches an EngineVersion filter', async () => {
    expect(ids(await describe_({ Name: 'PackageName', Value: ['synonyms'] }, { Name: 'EngineVersion', Value: ['OpenSearch_2.19'] }))).toEqual([]);
  });

  test.each([
    ['a value with a space', { Name: 'PackageName', Value: ['analysis nori'] }],
    ['a value with a comma', { Name: 'PackageID', Value: ['F111,F222'] }],
    ['an empty value', { Name: 'PackageName', Value: [''] }],
    ['an empty list of values', { Name: 'PackageName', Value: [] }],
    ['no values', { Name: 'PackageName' }],
    ['an unknown name', { Name: 'PackageVersion', Value: ['v1'] }],
  ])('%s is a ValidationException', async (_, filter) => {
    await expectApiError(describe_(filter as DescribePackagesFilter), 'ValidationException', 400);
  });

  test('wildcard characters pass validation and are compared literally', async () => {
    expect(await describe_({ Name: 'PackageName', Value: ['analysis-*'] })).toEqual([]);
  });

  test('pages in id order with the SDK paginator', async () => {
    const pages: string[][] = [];
    for await (const page of paginateDescribePackages({ client }, { MaxResults: 2 })) {
      pages.push(ids(page.PackageDetailsList ?? []) as string[]);
    }
    const all = emulator.packages().map((pkg) => pkg.id);
    expect(all).toHaveLength(7);
    expect(pages).toEqual([all.slice(0, 2), all.slice(2, 4), all.slice(4, 6), all.slice(6)]);
  });
});

describe('DescribePackages answer forms the service does not document', () => {
  test.each([
    ['ResourceNotFoundException' as const, 409],
    ['ValidationException' as const, 400],
  ])('describeNoMatch error: filters that match nothing answer the missing-package error (%s)', async (missingPackage, httpStatus) => {
    await startEmulator({ describeNoMatch: 'error', missingPackage });
    await expectApiError(describe_({ Name: 'PackageID', Value: ['F999'] }), missingPackage, httpStatus, 'Package not found: F999');
    await expectApiError(describe_({ Name: 'PackageName', Value: ['nothing-here'] }), missingPackage, httpStatus, 'Package not found: no package matches the filters');
    expect(ids(await describe_({ Name: 'PackageID', Value: ['F111'] }))).toEqual(['F111']);
  });

  test('packageOwnerField omitted: no PackageOwner in any PackageDetails; the PackageOwner filter still applies', async () => {
    await startEmulator({ packageOwnerField: 'omitted', awsPackages: [{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' }] });
    const created = await createDictionary();
    const all = await describe_();
    expect(created).not.toHaveProperty('PackageOwner');
    expect(all.length).toBeGreaterThan(1);
    expect(all.filter((pkg) => 'PackageOwner' in pkg)).toEqual([]);
    expect((await describe_({ Name: 'PackageOwner', Value: ['AWS'] })).every((pkg) => pkg.PackageID?.startsWith('G'))).toBe(true);
  });

  test('packageOwnerFilter rejected: a PackageOwner filter is a ValidationException; other filters work', async () => {
    await startEmulator({ packageOwnerFilter: 'rejected' });
    await expectApiError(describe_({ Name: 'PackageOwner', Value: ['AWS'] }), 'ValidationException', 400);
    expect(ids(await describe_({ Name: 'PackageName', Value: ['analysis-nori'] }))).toEqual(['G222']);
  });
});

describe('AWS-owned packages', () => {
  test('one stable G-id per name and engine version, whatever the order; an explicit id is kept', async () => {
    const nori = { name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' };
    const sudachi = { name: 'analysis-sudachi', engineVersion: 'OpenSearch_2.19' };
    await startEmulator({ packages: [], awsPackages: [nori, sudachi, { name: 'analysis-nori', engineVersion: 'OpenSearch_2.17' }] });
    const first = emulator.packages().map((pkg) => `${pkg.id} ${pkg.name} ${pkg.engineVersion}`);
    client.destroy();
    await emulator.close();
    await startEmulator({ packages: [], awsPackages: [{ name: 'analysis-pinyin', engineVersion: 'OpenSearch_2.19', id: 'G123' }, sudachi, nori] });
    const second = emulator.packages().map((pkg) => `${pkg.id} ${pkg.name} ${pkg.engineVersion}`);

    expect(first.filter((line) => line.includes('OpenSearch_2.19'))).toEqual(second.filter((line) => !line.startsWith('G123') && line.includes('OpenSearch_2.19')));
    expect(second).toContain('G123 analysis-pinyin OpenSearch_2.19');
    expect(new Set(first.map((line) => line.split(' ')[0])).size).toBe(3);
    expect(first.every((line) => /^G[0-9]+ /.test(line))).toBe(true);
  });

  test('associate like any plugin', async () => {
    await startEmulator({ awsPackages: [{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' }] });
    const [nori] = await describe_({ Name: 'PackageName', Value: ['analysis-nori'] }, { Name: 'PackageOwner', Value: ['AWS'] }, { Name: 'EngineVersion', Value: ['OpenSearch_2.19'] });
    expect(await associate(nori?.PackageID as string)).toMatchObject({ PackageType: 'ZIP-PLUGIN', PackageVersion: 'v1', DomainPackageStatus: 'ASSOCIATING' });
  });

  test.each([
    ['listed twice', [{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' }, { name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' }]],
    ['a malformed engine version', [{ name: 'analysis-nori', engineVersion: '2.19' }]],
    ['an id that is not a G-id', [{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19', id: 'F1' }]],
    ['an id a fixture already has', [{ name: 'analysis-nori', engineVersion: 'OpenSearch_2.19', id: 'G222' }]],
  ])('%s is refused at start', async (_, awsPackages) => {
    await expect(PackagesApiEmulator.start({ domains: [], packages: [NORI_FIXTURE], awsPackages })).rejects.toThrow();
  });
});

describe('GetPackageVersionHistory and ListDomainsForPackage', () => {
  test('the version history pages oldest first', async () => {
    await startEmulator();
    for (const version of ['v2', 'v3', 'v10']) {
      emulator.publishVersion('F111', version);
    }
    const pages: string[][] = [];
    for await (const page of paginateGetPackageVersionHistory({ client }, { PackageID: 'F111', MaxResults: 3 })) {
      expect(page.PackageID).toBe('F111');
      pages.push((page.PackageVersionHistoryList ?? []).map((version) => version.PackageVersion as string));
    }
    expect(pages).toEqual([['v1', 'v2', 'v3'], ['v10']]);
    await expectApiError(history('F999'), 'ResourceNotFoundException', 409);
  });

  test('every domain holding the package, in domain order, as ListPackagesForDomain shows it', async () => {
    await startEmulator({ pageSize: 1 });
    emulator.seedAssociation(DOMAIN, 'F111');
    await associate('F111', OTHER_DOMAIN);
    emulator.seedAssociation(DOMAIN, 'G222');

    const pages = [];
    for await (const page of paginateListDomainsForPackage({ client }, { PackageID: 'F111' })) {
      pages.push((page.DomainPackageDetailsList ?? []).map((d) => `${d.DomainName}:${d.DomainPackageStatus}:${d.PackageName}`));
    }
    expect(pages).toEqual([[`${OTHER_DOMAIN}:ASSOCIATING:synonyms`], [`${DOMAIN}:ACTIVE:synonyms`]]);
    expect((await client.send(new ListDomainsForPackageCommand({ PackageID: SYNONYMS.id, MaxResults: 5 }))).NextToken).toBeDefined();
  });

  test('a package no domain holds lists nothing; an unknown one is a 409 ResourceNotFoundException; denied domains do not matter', async () => {
    await startEmulator({ deniedDomains: [DOMAIN] });
    expect((await client.send(new ListDomainsForPackageCommand({ PackageID: 'G222' }))).DomainPackageDetailsList).toEqual([]);
    await expectApiError(client.send(new ListDomainsForPackageCommand({ PackageID: 'F999' })), 'ResourceNotFoundException', 409);
    await createDictionary();
    await remove(FIRST_DICTIONARY_ID);
    expect(emulator.requests.map((request) => `${request.operation} ${request.status}`)).toEqual([
      'ListDomainsForPackage 200',
      'ListDomainsForPackage 409',
      'CreatePackage 200',
      'DeletePackage 200',
    ]);
  });
});

describe('faults and recording', () => {
  test('a faulted CreatePackage creates nothing', async () => {
    await startEmulator({ faults: { rate: 1, kinds: ['throttle'], operations: ['CreatePackage'] } });
    await expectApiError(createDictionary(), 'ThrottlingException', 429);
    expect(emulator.packages()).toHaveLength(2);
    expect(await describe_()).toHaveLength(2);
    emulator.setFaults(undefined);
    expect(await createDictionary()).toMatchObject({ PackageID: FIRST_DICTIONARY_ID });
  });

  test.each([
    ['reset' as const, 'socket hang up'],
    ['silence' as const, 'TimeoutError'],
    ['internal' as const, 'InternalException'],
  ])('a lost answer (%s): the CreatePackage took effect, the client got %s, and its retry meets ResourceAlreadyExists', async (how, got) => {
    await startEmulator();
    emulator.loseNextAnswers('CreatePackage', how);
    const lostClient = newClient(emulator.endpoint, 1, 300);
    try {
      const error = await failure(lostClient.send(new CreatePackageCommand({ PackageName: 'stopwords', PackageType: 'TXT-DICTIONARY', PackageSource: source('stopwords.txt') })));
      // A reset is Node's own error, from outside jest's realm: the SDK wraps it, keeping only its text.
      expect(how === 'reset' ? error.message : error.name).toContain(got);
    } finally {
      lostClient.destroy();
    }

    expect(emulator.packages().map((pkg) => pkg.name)).toContain('stopwords');
    expect(emulator.requests.at(-1)).toMatchObject({ operation: 'CreatePackage', status: how === 'internal' ? 500 : 0, lost: { how, status: 200 } });
    await expectApiError(createDictionary(), 'ResourceAlreadyExistsException', 409);
    expect(emulator.requests.at(-1)).toMatchObject({ operation: 'CreatePackage', status: 409 });
  });

  test('the new operations are counted per package id', async () => {
    await startEmulator();
    await history('F111');
    await client.send(new ListDomainsForPackageCommand({ PackageID: 'F111' }));
    await remove('F111');
    expect(emulator.count('GetPackageVersionHistory', { packageId: 'F111' })).toBe(1);
    expect(emulator.count('ListDomainsForPackage', { packageId: 'F111' })).toBe(1);
    expect(emulator.count('DeletePackage', { packageId: 'F111' })).toBe(1);
    expect(emulator.requests.at(-1)).toEqual({ operation: 'DeletePackage', packageId: 'F111', status: 200, time: clock.now() });
  });

  test('durations must not be negative', async () => {
    await expect(PackagesApiEmulator.start({ domains: [], packages: [], copyMs: -1 })).rejects.toThrow(RangeError);
  });
});
