/**
 * `Custom::OpenSearchPackage` and `Custom::OpenSearchPackageLookup` over HTTP against the emulator:
 * a package created from S3 and waited for, a new version from new content, deletion, failures; an
 * AWS-owned plugin found by name. Same provider, dispatched on ResourceType.
 */
import {
  createEvent, deleteEvent, DOMAIN, failureOf, Harness, LOGICAL_ID, play, playFailure, playRollback, properties, silenceAndCloseEachTest, STACK_ID,
  startHarness, updateEvent,
} from './handler-harness';
import type { EmulatorOptions } from '../../emulator/packages-api-emulator';
import { onEvent } from '../../lambda';
import { ownerMarker } from '../../lib/package-description';
import { REPLACEMENT_ROLLBACKS } from '../../local/stack-operation-phases';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const PACKAGE = 'Custom::OpenSearchPackage';
const LOOKUP = 'Custom::OpenSearchPackageLookup';
const BUCKET = 'cdk-assets-bucket';
const NORI = { name: 'analysis-nori', engineVersion: 'OpenSearch_2.19' };

function packageProps(key = 'synonyms-v1.txt', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    PackageName: 'example-synonyms-1a2b3c4d',
    PackageType: 'TXT-DICTIONARY',
    PackageSource: { S3BucketName: BUCKET, S3Key: key },
    ...extra,
  };
}

async function start(options: Partial<EmulatorOptions> = {}): Promise<void> {
  harness = await startHarness({
    s3Objects: [{ bucket: BUCKET, key: 'synonyms-v1.txt' }, { bucket: BUCKET, key: 'synonyms-v2.txt' }, { bucket: BUCKET, key: 'plugin.zip' }],
    copyMs: 5_000,
    validationMs: 10_000,
    awsPackages: [NORI, { name: 'analysis-nori', engineVersion: 'OpenSearch_2.17' }],
    ...options,
  });
}

const NAME = 'example-synonyms-1a2b3c4d';
const catalog = () => harness.emulator.packages().filter((p) => p.name === NAME);
/** What the handler appends to the description of the harness's resource. */
const MARKER = ownerMarker(STACK_ID, LOGICAL_ID);
const createStatuses = () => harness.emulator.requests.filter((r) => r.operation === 'CreatePackage').map((r) => r.status);

describe('OpenSearchPackage', () => {
  test('create: CreatePackage, then waits through COPYING and VALIDATING until AVAILABLE; the physical id is the package id', async () => {
    await start();

    const { physicalId, complete, polls } = await play(harness, createEvent(packageProps(), PACKAGE));

    expect(physicalId).toMatch(/^F[0-9]+$/);
    expect(complete).toEqual({
      IsComplete: true,
      Data: { PackageID: physicalId, AvailablePackageVersion: 'v1', PackageName: 'example-synonyms-1a2b3c4d', PackageType: 'TXT-DICTIONARY' },
    });
    expect(polls).toBe(3); // COPYING at 0, VALIDATING at 10, AVAILABLE at 20 s
    expect(harness.emulator.requests.find((r) => r.operation === 'CreatePackage')?.body).toEqual({
      PackageName: 'example-synonyms-1a2b3c4d',
      PackageType: 'TXT-DICTIONARY',
      PackageSource: { S3BucketName: BUCKET, S3Key: 'synonyms-v1.txt' },
      PackageDescription: MARKER,
    });
  });

  test('the description carries the owner marker after the user\'s text; UpdatePackage keeps it with a new description', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps('synonyms-v1.txt', { PackageDescription: 'Product synonyms' }), PACKAGE));
    expect(catalog()[0].description).toBe(`Product synonyms ${MARKER}`);

    await play(harness, updateEvent(physicalId, packageProps('synonyms-v2.txt', { PackageDescription: 'Product synonyms, v2' }),
      packageProps('synonyms-v1.txt', { PackageDescription: 'Product synonyms' }), PACKAGE));

    expect(catalog()[0].description).toBe(`Product synonyms, v2 ${MARKER}`);
    expect(MARKER).toMatch(/^\[cdk-opensearch-packages [0-9a-f]{32}\]$/);
    expect(ownerMarker(STACK_ID, 'OtherPackage')).not.toBe(MARKER);
    expect(ownerMarker('arn:aws:cloudformation:us-east-1:123456789012:stack/test/2', LOGICAL_ID)).not.toBe(MARKER);
  });

  test('a description with no room left for the marker fails before any call, naming the property', async () => {
    await start();
    const error = await failureOf(onEvent(createEvent(packageProps('synonyms-v1.txt', { PackageDescription: 'd'.repeat(966) }), PACKAGE)));
    expect(error.message).toBe(`InvalidProperty: PackageDescription: '${'d'.repeat(40)}…' is 966 characters; at most 965 fit `
      + '(PackageDescription takes 1024, 59 of them hold the marker that identifies the package\'s resource)');
    expect(harness.emulator.requests).toEqual([]);
  });

  test('new content: UpdatePackage, and complete only at the new version (v1 → v2)', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));

    const { complete, started } = await play(harness, updateEvent(physicalId, packageProps('synonyms-v2.txt'), packageProps(), PACKAGE));

    expect(started.PhysicalResourceId).toBe(physicalId);
    expect(started.Before).toEqual({ Version: 'v1' });
    expect(complete.Data?.AvailablePackageVersion).toBe('v2');
    expect(harness.emulator.count('UpdatePackage')).toBe(1);
  });

  test('properties the service does not see change nothing: no UpdatePackage', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));

    const { complete } = await play(harness, updateEvent(physicalId, { ...packageProps(), ServiceTimeout: '3600' }, packageProps(), PACKAGE));

    expect(complete.Data?.AvailablePackageVersion).toBe('v1');
    expect(harness.emulator.count('UpdatePackage')).toBe(0);
  });

  test('a new type or engine version is a new package (a new physical id); the old one is left for the cleanup', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));

    const renamed = packageProps('plugin.zip', { PackageName: 'example-plugin-99887766', PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19' });
    const { physicalId: replaced } = await play(harness, updateEvent(physicalId, renamed, packageProps(), PACKAGE));

    expect(replaced).not.toBe(physicalId);
    expect(replaced).toMatch(/^pkg-/);
    expect(harness.emulator.count('DeletePackage')).toBe(0);
  });

  test('a missing source object ends COPY_FAILED: fails with the service\'s details', async () => {
    await start();
    const error = await failureOf(play(harness, createEvent(packageProps('missing.txt'), PACKAGE)));
    expect(error.message).toMatch(/^COPY_FAILED: CopyFailed: .*missing\.txt.* \(package F[0-9]+\)$/);
  });

  test('a bad dictionary line ends VALIDATION_FAILED: fails with the service\'s details', async () => {
    await start();
    harness.emulator.failNextValidation('example-synonyms-1a2b3c4d', 'InvalidDictionary', 'Line 3: a => is not a valid synonym rule');
    const error = await failureOf(play(harness, createEvent(packageProps(), PACKAGE)));
    expect(error.message).toMatch(/^VALIDATION_FAILED: InvalidDictionary: Line 3: a => is not a valid synonym rule \(package F[0-9]+\)$/);
  });

  test('an update to another type under the same packageName: the package of that name is this resource\'s but no match, so it fails', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));
    const asPlugin = packageProps('plugin.zip', { PackageType: 'ZIP-PLUGIN', EngineVersion: 'OpenSearch_2.19' });

    const error = await failureOf(onEvent(updateEvent(physicalId, asPlugin, packageProps(), PACKAGE)));

    expect(error.message).toBe(`ResourceAlreadyExistsException: package ${physicalId} (TXT-DICTIONARY, AVAILABLE) holds the name and was made by this resource, `
      + 'but as another type or engine version, or is being deleted; choose another packageName, or use that package with OpenSearchPackage.fromPackageId '
      + `(package ${NAME})`);
    expect(catalog()).toHaveLength(1);
  });

  test.each([
    ['ResourceNotFoundException' as const, 'empty' as const, 409],
    ['ValidationException' as const, 'empty' as const, 400],
    ['ResourceNotFoundException' as const, 'error' as const, 409],
    ['ValidationException' as const, 'error' as const, 400],
  ])('delete: DeletePackage, then gone; not found (%s; DescribePackages of a missing id: %s) counts as deleted', async (missingPackage, describeNoMatch, status) => {
    await start({ missingPackage, describeNoMatch });
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));

    await play(harness, deleteEvent(physicalId, packageProps(), PACKAGE));
    const again = await play(harness, deleteEvent(physicalId, packageProps(), PACKAGE));

    expect(catalog()).toEqual([]);
    expect(again.complete.IsComplete).toBe(true);
    expect(harness.emulator.requests.filter((r) => r.operation === 'DeletePackage').map((r) => r.status)).toEqual([200, status]);
    expect(harness.emulator.requests.filter((r) => r.operation === 'DescribePackages').map((r) => r.status))
      .toContain(describeNoMatch === 'error' ? status : 200);
  });

  test('delete of a package still associated with a domain outside the stack fails with the domains that hold it', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(packageProps(), PACKAGE));
    await play(harness, createEvent(properties(physicalId)));

    const error = await failureOf(play(harness, deleteEvent(physicalId, packageProps(), PACKAGE)));

    expect(error.message).toMatch(new RegExp(`^ConflictException: .* \\(still associated with: ${DOMAIN}; dissociate it there first\\) \\(package ${physicalId}\\)$`));
    expect(catalog()).toHaveLength(1);
  });

  test('a Delete of an id the handler never issued makes no call', async () => {
    await start();
    await play(harness, deleteEvent('Stack-SynonymsPackage-1A2B3C', packageProps(), PACKAGE));
    expect(harness.emulator.requests).toEqual([]);
  });
});

describe('package encryption (PackageEncryptionOptions)', () => {
  const KEY_A = 'arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444';
  const KEY_B = 'arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444';
  /** A plugin, as CloudFormation sends it: every scalar a string. */
  const plugin = (key?: string) => packageProps('plugin.zip', {
    PackageName: 'example-plugin-99887766',
    PackageType: 'ZIP-PLUGIN',
    EngineVersion: 'OpenSearch_2.19',
    ...(key && { PackageEncryptionOptions: { EncryptionEnabled: 'true', KmsKeyIdentifier: key } }),
  });
  const bodiesOf = (operation: 'CreatePackage' | 'UpdatePackage') =>
    harness.emulator.requests.filter((r) => r.operation === operation).map((r) => r.body as Record<string, unknown>);
  const encryptionOf = (packageId: string) => harness.emulator.packages().find((p) => p.id === packageId)?.encryption;

  test('a key: CreatePackage carries it (EncryptionEnabled a boolean), and the package holds it', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(plugin(KEY_A), PACKAGE));

    expect(bodiesOf('CreatePackage')[0].PackageEncryptionOptions).toEqual({ EncryptionEnabled: true, KmsKeyIdentifier: KEY_A });
    expect(encryptionOf(physicalId)).toEqual({ encryptionEnabled: true, kmsKeyIdentifier: KEY_A });
  });

  test('no key: CreatePackage has no PackageEncryptionOptions at all', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(plugin(), PACKAGE));

    expect(bodiesOf('CreatePackage')[0]).not.toHaveProperty('PackageEncryptionOptions');
    expect(encryptionOf(physicalId)).toBeUndefined();
  });

  test('a new key: UpdatePackage with the new key, the same package, complete at v2', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(plugin(KEY_A), PACKAGE));

    const { started, complete } = await play(harness, updateEvent(physicalId, plugin(KEY_B), plugin(KEY_A), PACKAGE));

    expect(started.PhysicalResourceId).toBe(physicalId);
    expect(bodiesOf('UpdatePackage')[0].PackageEncryptionOptions).toEqual({ EncryptionEnabled: true, KmsKeyIdentifier: KEY_B });
    expect(complete.Data?.AvailablePackageVersion).toBe('v2');
    expect(encryptionOf(physicalId)).toEqual({ encryptionEnabled: true, kmsKeyIdentifier: KEY_B });
    expect(harness.emulator.count('CreatePackage')).toBe(1);
  });

  test('the key removed, and the service accepts that: UpdatePackage disables encryption explicitly', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(plugin(KEY_A), PACKAGE));

    const { complete } = await play(harness, updateEvent(physicalId, plugin(), plugin(KEY_A), PACKAGE));

    expect(bodiesOf('UpdatePackage')[0].PackageEncryptionOptions).toEqual({ EncryptionEnabled: false });
    expect(complete.Data?.AvailablePackageVersion).toBe('v2');
    expect(encryptionOf(physicalId)).toEqual({ encryptionEnabled: false });
  });

  test('the key removed, and the service refuses that: fails with its message; the package keeps its key and version', async () => {
    harness = await startHarness({ s3Objects: [{ bucket: BUCKET, key: 'plugin.zip' }], copyMs: 5_000, validationMs: 10_000, refuseEncryptionDisabling: true });
    const { physicalId } = await play(harness, createEvent(plugin(KEY_A), PACKAGE));

    const error = await failureOf(play(harness, updateEvent(physicalId, plugin(), plugin(KEY_A), PACKAGE)));

    expect(error.message).toBe(`ValidationException: Encryption cannot be disabled for package ${physicalId} (package ${physicalId})`);
    expect(harness.emulator.packages().find((p) => p.id === physicalId)).toMatchObject({
      availableVersion: 'v1', status: 'AVAILABLE', encryption: { encryptionEnabled: true, kmsKeyIdentifier: KEY_A },
    });
  });

  test('no key before or after: an update of other content sends no PackageEncryptionOptions', async () => {
    await start();
    const { physicalId } = await play(harness, createEvent(plugin(), PACKAGE));

    await play(harness, updateEvent(physicalId, { ...plugin(), PackageDescription: 'second cut' }, plugin(), PACKAGE));

    expect(bodiesOf('UpdatePackage')[0]).not.toHaveProperty('PackageEncryptionOptions');
  });

  test.each([
    ['not an object', 'arn:aws:kms:key', 'PackageEncryptionOptions: "arn:aws:kms:key" must be { EncryptionEnabled, KmsKeyIdentifier }'],
    ['EncryptionEnabled not a boolean', { EncryptionEnabled: 'yes', KmsKeyIdentifier: KEY_A }, 'PackageEncryptionOptions.EncryptionEnabled: "yes" must be true or false'],
    ['EncryptionEnabled missing', { KmsKeyIdentifier: KEY_A }, 'PackageEncryptionOptions.EncryptionEnabled: undefined must be true or false'],
    ['an empty KmsKeyIdentifier', { EncryptionEnabled: 'true', KmsKeyIdentifier: '' }, 'PackageEncryptionOptions.KmsKeyIdentifier: "" must be 1-500 characters'],
  ])('%s: InvalidProperty naming the property and the value, before any call', async (_why, value, message) => {
    await start();
    const error = await failureOf(onEvent(createEvent({ ...plugin(), PackageEncryptionOptions: value }, PACKAGE)));
    expect(error.message).toBe(`InvalidProperty: ${message}`);
    expect(harness.emulator.requests).toEqual([]);
  });
});

describe('OpenSearchPackage: CreatePackage is not idempotent', () => {
  test.each([
    ['its connection reset: the SDK\'s retry meets ResourceAlreadyExistsException', 'reset' as const, 1, [0, 409]],
    ['never answered (the 5 s request timeout ends it): the retry meets ResourceAlreadyExistsException', 'silence' as const, 1, [0, 409]],
    ['answered 500 at every attempt, still failing after the SDK\'s retries', 'internal' as const, 5, [500, 500, 500, 500, 500]],
  ])('a create that made the package, %s: exactly one package, adopted', async (_name, how, count, statuses) => {
    await start();
    harness.emulator.loseNextAnswers('CreatePackage', how, count);

    const { physicalId, complete } = await play(harness, createEvent(packageProps(), PACKAGE));

    expect(catalog().map((p) => p.id)).toEqual([physicalId]);
    expect(catalog()[0].description).toBe(MARKER);
    expect(complete.Data?.AvailablePackageVersion).toBe('v1');
    expect(createStatuses()).toEqual(statuses);
  }, 30_000);

  test.each([
    ['no marker (made outside this library)', 'was not made by this resource'],
    ['another resource\'s marker', 'was made by another resource (another stack, construct or deployment of the stack)'],
  ])('a package of the same name with %s is not adopted: the create fails naming it', async (holder, whose) => {
    await start(holder.startsWith('no marker') ? { packages: [{ id: 'F222', name: NAME, type: 'TXT-DICTIONARY' }] } : {});
    if (!holder.startsWith('no marker')) {
      await play(harness, { ...createEvent(packageProps(), PACKAGE), LogicalResourceId: 'OtherPackage' });
    }
    const [foreign] = catalog();
    harness.emulator.loseNextAnswers('CreatePackage', 'reset');

    const error = await failureOf(onEvent(createEvent(packageProps('synonyms-v2.txt'), PACKAGE)));

    expect(error.message).toBe(`ResourceAlreadyExistsException: package ${foreign.id} (TXT-DICTIONARY, AVAILABLE) holds the name and ${whose}; `
      + `choose another packageName, or use that package with OpenSearchPackage.fromPackageId (package ${NAME})`);
    expect(catalog().map((p) => p.id)).toEqual([foreign.id]);
  });

  const pluginProps = (engine: '2.17' | '2.19') => packageProps('plugin.zip', {
    PackageName: `example-plugin-${engine.replace('.', '')}`, PackageType: 'ZIP-PLUGIN', EngineVersion: `OpenSearch_${engine}`,
  });

  test.each(REPLACEMENT_ROLLBACKS.flatMap((model) => [[model, 'made by this handler'], [model, 'made before the owner marker existed']]))(
    'a replacement that fails rolls back (%s), the old package %s: it is reused, its name never created again', async (model, made) => {
      const unmarked = made.startsWith('made before');
      await start(unmarked ? { packages: [{ id: 'pkg-c1', name: 'example-plugin-217', type: 'ZIP-PLUGIN', engineVersion: 'OpenSearch_2.17' }] } : {});
      const oldId = unmarked ? 'pkg-c1' : (await play(harness, createEvent(pluginProps('2.17'), PACKAGE))).physicalId;
      harness.emulator.failNextValidation('example-plugin-219', 'InvalidPlugin', 'no plugin descriptor');
      const failed = await playFailure(harness, updateEvent(oldId, pluginProps('2.19'), pluginProps('2.17'), PACKAGE));

      const restored = await playRollback(harness, {
        previous: { physicalId: oldId, properties: pluginProps('2.17') },
        current: { physicalId: failed.physicalId, properties: pluginProps('2.19') },
        attempted: pluginProps('2.19'),
      }, model, PACKAGE);

      expect(restored).toBe(oldId);
      // The rows of a package without marker guard the reuse kept for packages made by older handler versions.
      expect(harness.emulator.packages().filter((p) => p.name.startsWith('example-plugin')).map((p) => [p.id, p.name, p.description]))
        .toEqual([[oldId, 'example-plugin-217', unmarked ? undefined : MARKER]]);
      expect(harness.emulator.requests.filter((r) => r.operation === 'CreatePackage').map((r) => (r.body as { PackageName: string }).PackageName))
        .toEqual([...(unmarked ? [] : ['example-plugin-217']), 'example-plugin-219']);
    });

  test('a create that kept failing before it took effect: fails with the service\'s error, nothing adopted', async () => {
    await start({ faults: { rate: 1, kinds: ['internal'], operations: ['CreatePackage'] } });

    const error = await failureOf(onEvent(createEvent(packageProps(), PACKAGE)));

    expect(error.message).toMatch(new RegExp(`^InternalException: .+ \\(package ${NAME}\\)$`));
    expect(catalog()).toEqual([]);
    expect(createStatuses()).toEqual([500, 500, 500, 500, 500]);
    expect(harness.emulator.count('DescribePackages')).toBe(1); // the look for a package the create may have made
  }, 30_000);
});

describe.each([
  ['reported' as const, 'accepted' as const],
  ['reported' as const, 'rejected' as const],
  ['omitted' as const, 'accepted' as const],
  ['omitted' as const, 'rejected' as const],
])('AWS-owned plugin lookup (PackageOwner in answers: %s; PackageOwner filter: %s)', (packageOwnerField, packageOwnerFilter) => {
  const lookupProps = (engineVersion: string, name = NORI.name) => ({ PackageName: name, EngineVersion: engineVersion, PackageType: 'ZIP-PLUGIN' });
  const owner = { packageOwnerField, packageOwnerFilter };

  test('found by name and engine version: its G-id is the physical id and an attribute', async () => {
    await start(owner);
    const { physicalId, started } = await play(harness, createEvent(lookupProps('OpenSearch_2.19'), LOOKUP));

    expect(physicalId).toMatch(/^G[0-9]+$/);
    expect(started.Data).toEqual({ PackageID: physicalId, AvailablePackageVersion: expect.any(String) });
    const filters = harness.emulator.requests.find((r) => r.operation === 'DescribePackages')?.body as { Filters: Array<{ Name: string }> };
    expect(filters.Filters.map((f) => f.Name).sort()).toEqual(['EngineVersion', 'PackageName', 'PackageType']);
  });

  test('the account\'s own plugin of the same name and engine version is not taken for AWS\'s', async () => {
    await start({ ...owner, packages: [{ id: 'pkg-b1', name: NORI.name, type: 'ZIP-PLUGIN', engineVersion: NORI.engineVersion }] });
    const { physicalId } = await play(harness, createEvent(lookupProps(NORI.engineVersion), LOOKUP));
    expect(physicalId).toMatch(/^G[0-9]+$/);
  });

  test('a new engine version resolves another id', async () => {
    await start(owner);
    const first = await play(harness, createEvent(lookupProps('OpenSearch_2.17'), LOOKUP));
    const second = await play(harness, updateEvent(first.physicalId, lookupProps('OpenSearch_2.19'), lookupProps('OpenSearch_2.17'), LOOKUP));
    expect(second.physicalId).not.toBe(first.physicalId);
  });

  test('no match for the engine version: lists the versions the name exists for', async () => {
    await start(owner);
    const error = await failureOf(onEvent(createEvent(lookupProps('OpenSearch_1.3'), LOOKUP)));
    expect(error.message).toBe('PackageNotFound: no AWS-owned package analysis-nori for OpenSearch_1.3; it exists for OpenSearch_2.17, OpenSearch_2.19 (package analysis-nori)');
  });

  test('several matches fail and list them', async () => {
    // A fixture package of AWS's (a G-id) next to the generated one of the same name and engine version.
    harness = await startHarness({
      packages: [{ id: 'G999', name: NORI.name, type: 'ZIP-PLUGIN', engineVersion: NORI.engineVersion }],
      awsPackages: [NORI],
      ...owner,
    });
    const error = await failureOf(onEvent(createEvent(lookupProps(NORI.engineVersion), LOOKUP)));
    expect(error.message).toMatch(/^AmbiguousPackage: 2 AWS-owned packages named analysis-nori for OpenSearch_2\.19: (G[0-9]+, G[0-9]+) \(package analysis-nori\)$/);
    expect(error.message).toContain('G999');
  });

  test.each([{}, { describeNoMatch: 'error' as const, missingPackage: 'ValidationException' as const }])('an unknown name says so (no match answered as %j)', async (noMatch) => {
    await start({ ...owner, ...noMatch });
    const error = await failureOf(onEvent(createEvent(lookupProps('OpenSearch_2.19', 'analysis-nope'), LOOKUP)));
    expect(error.message).toBe('PackageNotFound: no AWS-owned package is named analysis-nope: check the plugin\'s name (package analysis-nope)');
  });

  test('a Delete never deletes the AWS package (dispatched on ResourceType, not on the id)', async () => {
    await start(owner);
    const { physicalId } = await play(harness, createEvent(lookupProps('OpenSearch_2.19'), LOOKUP));
    await play(harness, deleteEvent(physicalId, lookupProps('OpenSearch_2.19'), LOOKUP));
    expect(harness.emulator.count('DeletePackage')).toBe(0);
  });
});
