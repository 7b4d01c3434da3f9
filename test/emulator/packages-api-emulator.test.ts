import {
  AssociatePackageCommand,
  DescribeDomainCommand,
  DescribePackagesCommand,
  DissociatePackageCommand,
  DomainPackageDetails,
  ListPackagesForDomainCommand,
  OpenSearchClient,
  paginateListPackagesForDomain,
} from '@aws-sdk/client-opensearch';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { CONFIG, DICTIONARY, DOMAIN, LICENSE, NORI, OTHER_DOMAIN, PLUGIN, ROLE_ARN } from './catalogue';
import { emulatorStarter, expectApiError, failure, newClient, SdkError, stopWithClient } from './sdk-client';
import { EmulatedPackage, ManualClock, PackagesApiEmulator } from '../../emulator/packages-api-emulator';

const STOPWORDS: EmulatedPackage = { id: 'F222', name: 'stopwords', type: 'TXT-DICTIONARY', version: 'v3' };

let emulator: PackagesApiEmulator;
let clock: ManualClock;
let client: OpenSearchClient;

const startEmulator = emulatorStarter({
  domains: [DOMAIN, OTHER_DOMAIN],
  packages: [DICTIONARY, STOPWORDS, PLUGIN, LICENSE, CONFIG, NORI],
}, (started) => ({ emulator, clock, client } = started));

afterEach(() => stopWithClient({ emulator, client }));

const associate = (packageId: string, domain = DOMAIN, extra: Partial<AssociatePackageCommand['input']> = {}) =>
  client.send(new AssociatePackageCommand({ PackageID: packageId, DomainName: domain, ...extra })).then((out) => out.DomainPackageDetails);
const dissociate = (packageId: string, domain = DOMAIN) =>
  client.send(new DissociatePackageCommand({ PackageID: packageId, DomainName: domain })).then((out) => out.DomainPackageDetails);
const listed = async (domain = DOMAIN): Promise<DomainPackageDetails[]> =>
  (await client.send(new ListPackagesForDomainCommand({ DomainName: domain }))).DomainPackageDetailsList ?? [];
const statuses = async (domain = DOMAIN) => (await listed(domain)).map((d) => `${d.PackageID}:${d.DomainPackageStatus}`);
const describeDomain = (domain = DOMAIN) => client.send(new DescribeDomainCommand({ DomainName: domain })).then((out) => out.DomainStatus);
/** DescribeDomain's three fields that tell a busy domain. */
async function processing(domain = DOMAIN): Promise<string> {
  const status = await describeDomain(domain);
  return `Processing=${status?.Processing} UpgradeProcessing=${status?.UpgradeProcessing} ${status?.DomainProcessingStatus}`;
}
const IDLE = 'Processing=false UpgradeProcessing=false Active';
const MODIFYING = 'Processing=true UpgradeProcessing=false Modifying';
const UPGRADING = 'Processing=false UpgradeProcessing=true UpgradingEngineVersion';
const BUSY = `Another package operation is in progress on domain ${DOMAIN}`;

/**
 * Outside jest the SDK surfaces Node's error itself (code ECONNRESET / ECONNREFUSED). Under jest, Node's
 * errors come from another realm, so the SDK wraps them in a plain Error that keeps only the message.
 */
function expectNetworkError(error: SdkError): void {
  expect(error.$metadata?.httpStatusCode).toBeUndefined();
  expect(error.code ?? error.message).toMatch(/ECONNRESET|ECONNREFUSED|socket hang up/);
}

describe('association lifecycle', () => {
  beforeEach(() => startEmulator());

  test('AssociatePackage answers ASSOCIATING, then the entry becomes ACTIVE after associationMs', async () => {
    const details = await associate('F111');

    expect(details).toEqual({
      PackageID: 'F111',
      PackageName: 'synonyms',
      PackageType: 'TXT-DICTIONARY',
      LastUpdated: new Date(clock.now()),
      DomainName: DOMAIN,
      DomainPackageStatus: 'ASSOCIATING',
      PackageVersion: 'v1',
      ReferencePath: 'analyzers/F111',
    });
    clock.advance(999);
    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
    clock.advance(1);
    const [active] = await listed();
    expect(active).toMatchObject({ DomainPackageStatus: 'ACTIVE', LastUpdated: new Date(clock.now()) });
    expect(emulator.associations(DOMAIN)).toEqual([{ packageId: 'F111', status: 'ACTIVE', version: 'v1', prerequisites: [] }]);
  });

  test('per-package durations override the defaults', async () => {
    await associate('pkg-abc');
    clock.advance(4999);
    expect(emulator.associations(DOMAIN)[0]?.status).toBe('ASSOCIATING');
    clock.advance(1);
    expect(emulator.associations(DOMAIN)[0]?.status).toBe('ACTIVE');
  });

  test('an identical ACTIVE association is "already in desired state", even while the domain is busy', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Package is already in desired state');

    await associate('F222');
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Package is already in desired state');
  });

  test('a domain runs one package operation at a time', async () => {
    await associate('F111');
    const busy = BUSY;
    await expectApiError(associate('F222'), 'ConflictException', 409, busy);
    await expectApiError(dissociate('F111'), 'ConflictException', 409, busy);
    expect(await associate('F222', OTHER_DOMAIN)).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });

    clock.advance(1000);
    await dissociate('F111');
    await expectApiError(associate('F222'), 'ConflictException', 409, busy);
  });

  test("another actor's operation keeps the domain busy for its duration", async () => {
    emulator.startForeignOperation(DOMAIN, 'G999', 3000);
    await expectApiError(associate('F111'), 'ConflictException', 409);
    clock.advance(3000);
    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
  });

  test('a seeded ASSOCIATING entry is an operation in progress that settles later', async () => {
    emulator.seedAssociation(DOMAIN, 'F222', { status: 'ASSOCIATING', prerequisites: [] });
    await expectApiError(associate('F111'), 'ConflictException', 409);
    clock.advance(1000);
    expect(emulator.associations(DOMAIN)).toEqual([{ packageId: 'F222', status: 'ACTIVE', version: 'v3', prerequisites: [] }]);
  });

  test('a newer package version is taken only by associating again', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.publishVersion('F111', 'v2');
    expect((await listed())[0]?.PackageVersion).toBe('v1');

    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v2' });
    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
    clock.advance(1000);
    expect(await listed()).toEqual([expect.objectContaining({ DomainPackageStatus: 'ACTIVE', PackageVersion: 'v2' })]);
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Package is already in desired state');
  });

  test('a different association configuration re-associates; the configuration is echoed', async () => {
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    const KeyStoreAccessOption = { KeyStoreAccessEnabled: true, KeyAccessRoleArn: ROLE_ARN };

    const details = await associate('pkg-abc', DOMAIN, { AssociationConfiguration: { KeyStoreAccessOption } });

    expect(details).toMatchObject({ DomainPackageStatus: 'ASSOCIATING', AssociationConfiguration: { KeyStoreAccessOption } });
    expect(details?.ReferencePath).toBeUndefined();
    clock.advance(5000);
    expect(emulator.associations(DOMAIN)).toEqual([
      { packageId: 'pkg-abc', status: 'ACTIVE', version: 'v1', prerequisites: [], keyStoreAccessEnabled: true, keyAccessRoleArn: ROLE_ARN },
    ]);
    await expectApiError(
      associate('pkg-abc', DOMAIN, { AssociationConfiguration: { KeyStoreAccessOption } }),
      'ConflictException',
      409,
      'Package is already in desired state',
    );
  });

  test('failNextAssociation ends that association in ASSOCIATION_FAILED; associating again retries', async () => {
    emulator.failNextAssociation(DOMAIN, 'F111', 'InvalidDictionary', 'Line 3 is not a synonym rule');
    await associate('F111');
    clock.advance(1000);
    expect((await listed())[0]).toMatchObject({
      DomainPackageStatus: 'ASSOCIATION_FAILED',
      ErrorDetails: { ErrorType: 'InvalidDictionary', ErrorMessage: 'Line 3 is not a synonym rule' },
    });

    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
    clock.advance(1000);
    expect(emulator.associations(DOMAIN)).toEqual([{ packageId: 'F111', status: 'ACTIVE', version: 'v1', prerequisites: [] }]);
  });

  test('a 10 KB ErrorMessage round-trips intact', async () => {
    const line = 'Line 3: "tv, television => telly" is not a valid synonym rule; ';
    const message = line.repeat(Math.ceil(10_240 / line.length)).slice(0, 10_240);
    emulator.failNextAssociation(DOMAIN, 'F111', 'InvalidDictionary', message);
    await associate('F111');
    clock.advance(1000);

    const [failed] = await listed();
    expect(failed?.ErrorDetails?.ErrorMessage).toHaveLength(10_240);
    expect(failed?.ErrorDetails).toEqual({ ErrorType: 'InvalidDictionary', ErrorMessage: message });
    expect(emulator.associations(DOMAIN)[0]?.errorDetails?.errorMessage).toBe(message);
  });

  test('prerequisites must be ACTIVE on the domain', async () => {
    const withPrerequisite = { PrerequisitePackageIDList: ['pkg-abc'] };
    await expectApiError(
      associate('pkg-abd', DOMAIN, withPrerequisite),
      'ValidationException',
      400,
      `Prerequisite package pkg-abc is not associated with domain ${DOMAIN}`,
    );

    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    expect(await associate('pkg-abd', DOMAIN, withPrerequisite)).toMatchObject({ PrerequisitePackageIDList: ['pkg-abc'] });
    clock.advance(1000);
    expect(emulator.associations(DOMAIN)[1]).toEqual({ packageId: 'pkg-abd', status: 'ACTIVE', version: 'v1', prerequisites: ['pkg-abc'] });
  });
});

describe('dissociation', () => {
  beforeEach(() => startEmulator());

  test('dissociating a package that is not associated is a ValidationException', async () => {
    await expectApiError(dissociate('F111'), 'ValidationException', 400, 'Package is not associated to this domain');
  });

  test('DISSOCIATING, then the entry disappears', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    expect(await dissociate('F111')).toMatchObject({ DomainPackageStatus: 'DISSOCIATING' });
    expect(await statuses()).toEqual(['F111:DISSOCIATING']);
    clock.advance(1000);
    expect(await listed()).toEqual([]);
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });

  test('a package in use ends in DISSOCIATION_FAILED; associating it again starts over', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.markInUse(DOMAIN, 'F111', true);
    await dissociate('F111');
    clock.advance(1000);
    expect((await listed())[0]).toMatchObject({
      DomainPackageStatus: 'DISSOCIATION_FAILED',
      ErrorDetails: { ErrorType: 'DissociationFailed', ErrorMessage: 'Package is in use by an index' },
    });

    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
    clock.advance(1000);
    emulator.markInUse(DOMAIN, 'F111', false);
    await dissociate('F111');
    clock.advance(1000);
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });

  test('a package in use answered with a conflict: refused at once, nothing starts, the domain stays idle', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.markInUse(DOMAIN, 'F111', true, { answer: 'conflict' });

    await expectApiError(dissociate('F111'), 'ConflictException', 409, 'Package F111 is in use by index products and cannot be dissociated');
    expect(await statuses()).toEqual(['F111:ACTIVE']);
    expect(await processing()).toBe(IDLE);
    expect(await associate('F222')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
    // Refused for what it is, even while the domain is busy.
    await expectApiError(dissociate('F111'), 'ConflictException', 409, 'Package F111 is in use by index products and cannot be dissociated');

    clock.advance(1000);
    emulator.markInUse(DOMAIN, 'F111', false);
    await dissociate('F111');
    clock.advance(1000);
    expect(await statuses()).toEqual(['F222:ACTIVE']);
  });

  test('the conflict names the index given; marked after the dissociation started, it ends DISSOCIATION_FAILED', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222');
    emulator.markInUse(DOMAIN, 'F222', true, { answer: 'conflict', index: 'articles-2025' });
    await expectApiError(dissociate('F222'), 'ConflictException', 409, 'Package F222 is in use by index articles-2025 and cannot be dissociated');

    await dissociate('F111');
    emulator.markInUse(DOMAIN, 'F111', true, { answer: 'conflict' });
    clock.advance(1000);
    expect((await listed())[0]).toMatchObject({ PackageID: 'F111', DomainPackageStatus: 'DISSOCIATION_FAILED' });
  });

  test('dissociating a plugin removes its license and config packages when it disappears', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    emulator.seedAssociation(DOMAIN, 'pkg-abd', { prerequisites: ['pkg-abc'] });
    emulator.seedAssociation(DOMAIN, 'pkg-abe', { prerequisites: ['pkg-abc'] });

    await dissociate('pkg-abc');
    clock.advance(3999);
    expect(await statuses()).toEqual(['F111:ACTIVE', 'pkg-abc:DISSOCIATING', 'pkg-abd:ACTIVE', 'pkg-abe:ACTIVE']);
    clock.advance(1);
    expect(await statuses()).toEqual(['F111:ACTIVE']);
  });
});

describe('DescribeDomain', () => {
  beforeEach(() => startEmulator({ deniedDomains: ['locked-domain'] }));

  test('an idle domain is Active, with the fields the SDK requires', async () => {
    expect(await describeDomain()).toEqual({
      DomainId: `123456789012/${DOMAIN}`,
      DomainName: DOMAIN,
      ARN: `arn:aws:es:us-east-1:123456789012:domain/${DOMAIN}`,
      Created: true,
      Deleted: false,
      Processing: false,
      UpgradeProcessing: false,
      DomainProcessingStatus: 'Active',
      EngineVersion: 'OpenSearch_2.19',
      ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 1, DedicatedMasterEnabled: false, ZoneAwarenessEnabled: false },
    });
  });

  test('Processing while an own association or dissociation runs, Active again once it settles', async () => {
    await associate('F111');
    expect(await processing()).toBe(MODIFYING);
    expect(await processing(OTHER_DOMAIN)).toBe(IDLE);
    clock.advance(999);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(1);
    expect(await processing()).toBe(IDLE);

    await dissociate('F111');
    expect(await processing()).toBe(MODIFYING);
    clock.advance(1000);
    expect(await processing()).toBe(IDLE);
  });

  test("Processing while another actor's operation runs", async () => {
    emulator.startForeignOperation(DOMAIN, 'G999', 3000);
    expect(await processing()).toBe(MODIFYING);
    expect(await listed()).toEqual([]);
    clock.advance(3000);
    expect(await processing()).toBe(IDLE);
  });

  test('a failed operation is not in flight', async () => {
    emulator.seedAssociation(DOMAIN, 'F111', { status: 'ASSOCIATION_FAILED' });
    emulator.seedAssociation(DOMAIN, 'F222', { status: 'DISSOCIATION_FAILED' });
    expect(await processing()).toBe(IDLE);
  });

  test('an unknown domain is a 409 ResourceNotFoundException; a malformed name a ValidationException', async () => {
    await expectApiError(describeDomain('missing-domain'), 'ResourceNotFoundException', 409, 'Domain not found: missing-domain');
    await expectApiError(describeDomain('Upper'), 'ValidationException', 400);
  });

  test('a denied domain answers 403 AccessDeniedException', async () => {
    await expectApiError(
      describeDomain('locked-domain'),
      'AccessDeniedException',
      403,
      'User is not authorized to perform: es:DescribeDomain on resource: domain/locked-domain',
    );
    emulator.denyDomain(DOMAIN, true);
    await expectApiError(describeDomain(), 'AccessDeniedException', 403);
  });

  test('requests are recorded and counted; faults can target DescribeDomain alone', async () => {
    await describeDomain();
    expect(emulator.requests).toEqual([{ operation: 'DescribeDomain', domain: DOMAIN, status: 200, time: clock.now() }]);
    expect(emulator.count('DescribeDomain', { domain: DOMAIN })).toBe(1);

    emulator.setFaults({ rate: 1, kinds: ['throttle'], operations: ['DescribeDomain'] });
    await expectApiError(describeDomain(), 'ThrottlingException', 429);
    expect(await listed()).toEqual([]);
  });
});

describe('account and region', () => {
  const IRELAND = { accountId: '111111111111', region: 'eu-west-1' };

  test("an emulator plays one account and region: DescribeDomain's id and ARN and its packages' owner show them", async () => {
    await startEmulator({ account: IRELAND });
    const irish = new OpenSearchClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      expect(await irish.send(new DescribeDomainCommand({ DomainName: DOMAIN })).then((out) => out.DomainStatus)).toMatchObject({
        DomainId: `111111111111/${DOMAIN}`,
        ARN: `arn:aws:es:eu-west-1:111111111111:domain/${DOMAIN}`,
      });
      expect(emulator.packages().filter((pkg) => pkg.id === DICTIONARY.id || pkg.id === NORI.id).map((pkg) => `${pkg.id} ${pkg.owner}`))
        .toEqual([`${DICTIONARY.id} 111111111111`, `${NORI.id} AWS`]);
    } finally {
      irish.destroy();
    }
  });

  test('a request signed for another region is refused with 403 InvalidSignatureException, and changes nothing', async () => {
    await startEmulator({ account: IRELAND });
    // The shared client signs for us-east-1.
    await expectApiError(associate('F111'), 'InvalidSignatureException', 403,
      "Credential should be scoped to a valid region, not 'us-east-1'. This endpoint serves eu-west-1");
    expect(emulator.requests.map((request) => `${request.operation} ${request.status}`)).toEqual(['AssociatePackage 403']);
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });
});

describe('configuration changes and engine upgrades', () => {
  beforeEach(() => startEmulator());

  test('a configuration change refuses package operations with the busy conflict, with nothing in flight in the list', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.startConfigurationChange(DOMAIN, 3000);

    await expectApiError(associate('F222'), 'ConflictException', 409, BUSY);
    await expectApiError(dissociate('F111'), 'ConflictException', 409, BUSY);
    expect(await statuses()).toEqual(['F111:ACTIVE']);
    expect(await processing()).toBe(MODIFYING);
    expect(await associate('F222', OTHER_DOMAIN)).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });

    clock.advance(2999);
    await expectApiError(associate('F222'), 'ConflictException', 409, BUSY);
    clock.advance(1);
    expect(await processing()).toBe(IDLE);
    expect(await associate('F222')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });

  test('"already in desired state" is still answered during a configuration change', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.startConfigurationChange(DOMAIN, 3000);
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Package is already in desired state');
  });

  test('a configuration change overlapping a package operation: Modifying until both end', async () => {
    await associate('F111');
    emulator.startConfigurationChange(DOMAIN, 3000);
    clock.advance(1000);
    expect(await statuses()).toEqual(['F111:ACTIVE']);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(2000);
    expect(await processing()).toBe(IDLE);
  });

  test('a second change of the same kind extends the first, never shortens it', async () => {
    emulator.startConfigurationChange(DOMAIN, 3000);
    emulator.startConfigurationChange(DOMAIN, 1000);
    clock.advance(2000);
    expect(await processing()).toBe(MODIFYING);
    emulator.startConfigurationChange(DOMAIN, 5000);
    clock.advance(4999);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(1);
    expect(await processing()).toBe(IDLE);
  });

  test('an engine upgrade: UpgradeProcessing and UpgradingEngineVersion, Processing false; package operations refused', async () => {
    emulator.startEngineUpgrade(DOMAIN, 10_000);
    expect(await processing()).toBe(UPGRADING);
    await expectApiError(associate('F111'), 'ConflictException', 409, BUSY);

    emulator.startConfigurationChange(DOMAIN, 1000);
    expect(await processing()).toBe('Processing=true UpgradeProcessing=true UpgradingEngineVersion');
    clock.advance(1000);
    expect(await processing()).toBe(UPGRADING);
    clock.advance(9000);
    expect(await processing()).toBe(IDLE);
    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });

  test('durations must not be negative; unknown domains are refused', () => {
    expect(() => emulator.startConfigurationChange(DOMAIN, -1)).toThrow(RangeError);
    expect(() => emulator.startEngineUpgrade(DOMAIN, Number.NaN)).toThrow(RangeError);
    expect(() => emulator.startConfigurationChange('missing-domain', 1000)).toThrow('Domain not found: missing-domain');
  });
});

describe('busy message', () => {
  test('a fixed text replaces the default for every busy conflict', async () => {
    await startEmulator({ busyMessage: 'Domain is being modified' });
    emulator.startForeignOperation(DOMAIN, 'G999', 1000);
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Domain is being modified');
    clock.advance(1000);
    emulator.startConfigurationChange(DOMAIN, 1000);
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Domain is being modified');
  });

  test('a function receives the domain name; the other conflicts keep their text', async () => {
    await startEmulator({ busyMessage: (domain) => `${domain} has a pending change` });
    emulator.seedAssociation(DOMAIN, 'F111');
    await associate('F222');
    await expectApiError(dissociate('F111'), 'ConflictException', 409, `${DOMAIN} has a pending change`);
    await expectApiError(associate('F111'), 'ConflictException', 409, 'Package is already in desired state');
  });
});

describe('list lag', () => {
  beforeEach(() => startEmulator({ listLagMs: 500 }));

  test('a new entry is absent from ListPackagesForDomain for listLagMs, while the domain is busy', async () => {
    await associate('F111');
    expect(await listed()).toEqual([]);
    expect(emulator.associations(DOMAIN)).toEqual([expect.objectContaining({ packageId: 'F111', status: 'ASSOCIATING' })]);
    await expectApiError(associate('F222'), 'ConflictException', 409);
    clock.advance(500);
    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
  });

  test('DescribeDomain shows the new operation while the list does not yet', async () => {
    await associate('F111');
    expect(await listed()).toEqual([]);
    expect(await processing()).toBe(MODIFYING);
  });

  test('existing entries change status at once', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.publishVersion('F111', 'v2');
    await associate('F111');
    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
  });
});

describe('package limit', () => {
  beforeEach(() => startEmulator({ maxPackagesPerDomain: 2 }));

  test('a new package beyond the limit is a 409 LimitExceededException, which the SDK classifies as throttling', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222', { status: 'ASSOCIATION_FAILED' });

    const error = await failure(associate('pkg-abc'));
    expect(error).toMatchObject({
      name: 'LimitExceededException',
      message: `Domain ${DOMAIN} has reached the limit of 2 packages`,
      $metadata: { httpStatusCode: 409 },
    });
    expect(isThrottlingError(error)).toBe(true);
    expect(emulator.associations(DOMAIN).map((a) => a.packageId)).toEqual(['F111', 'F222']);
    expect(await associate('pkg-abc', OTHER_DOMAIN)).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });

  test('re-associating a package the domain holds is not limited; a dissociation frees a place once it ends', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222', { status: 'ASSOCIATION_FAILED' });
    expect(await associate('F222')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
    clock.advance(1000);

    await dissociate('F111');
    clock.advance(999);
    await expectApiError(associate('pkg-abc'), 'ConflictException', 409, BUSY);
    clock.advance(1);
    expect(await associate('pkg-abc')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });

  test('the limit must be a non-negative integer', async () => {
    await expect(PackagesApiEmulator.start({ domains: [DOMAIN], packages: [], maxPackagesPerDomain: 1.5 })).rejects.toThrow(RangeError);
  });

  test('with its default retry strategy the SDK retries it up to maxAttempts', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222');
    const retrying = newClient(emulator.endpoint, 2);
    try {
      await expectApiError(
        retrying.send(new AssociatePackageCommand({ PackageID: 'pkg-abc', DomainName: DOMAIN })),
        'LimitExceededException',
        409,
      );
    } finally {
      retrying.destroy();
    }
    expect(emulator.count('AssociatePackage', { packageId: 'pkg-abc' })).toBe(2);
  });
});

describe('errors and validation', () => {
  beforeEach(() => startEmulator({ deniedDomains: ['locked-domain'] }));

  test('an unknown domain is a 409 ResourceNotFoundException', async () => {
    await expectApiError(associate('F111', 'missing-domain'), 'ResourceNotFoundException', 409, 'Domain not found: missing-domain');
    await expectApiError(listed('missing-domain'), 'ResourceNotFoundException', 409);
  });

  test('an unknown package is a 409 ResourceNotFoundException on associate', async () => {
    await expectApiError(associate('F999'), 'ResourceNotFoundException', 409);
  });

  test.each([
    ['a too short domain name', 'F111', 'ab'],
    ['an upper-case domain name', 'F111', 'Search'],
    ['a too long domain name', 'F111', 'a'.repeat(29)],
    ['a malformed package id', 'X123', DOMAIN],
    ['a package id with upper-case hex', 'pkg-ABC', DOMAIN],
  ])('%s is a ValidationException', async (_, packageId, domain) => {
    await expectApiError(associate(packageId, domain), 'ValidationException', 400);
  });

  test('KeyStoreAccessEnabled must be a JSON boolean', async () => {
    const response = await fetch(`${emulator.endpoint}/2021-01-01/packages/associate/pkg-abc/${DOMAIN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true' } } }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await response.json()).toEqual({ __type: 'ValidationException', message: expect.stringContaining('KeyStoreAccessEnabled') });
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });

  test('a denied domain answers 403 AccessDeniedException to every call naming it', async () => {
    emulator.denyDomain(DOMAIN, true);
    await expectApiError(associate('F111'), 'AccessDeniedException', 403);
    await expectApiError(dissociate('F111'), 'AccessDeniedException', 403);
    await expectApiError(listed(), 'AccessDeniedException', 403);
    await expectApiError(listed('locked-domain'), 'AccessDeniedException', 403);
    expect(await associate('F111', OTHER_DOMAIN)).toBeDefined();

    emulator.denyDomain(DOMAIN, false);
    expect(await listed()).toEqual([]);
  });
});

describe('pagination and DescribePackages', () => {
  test('ListPackagesForDomain pages in package id order with the SDK paginator', async () => {
    await startEmulator({ pageSize: 2 });
    for (const id of ['pkg-abe', 'F222', 'G222', 'F111', 'pkg-abc']) {
      emulator.seedAssociation(DOMAIN, id);
    }

    const pages: string[][] = [];
    for await (const page of paginateListPackagesForDomain({ client }, { DomainName: DOMAIN })) {
      pages.push((page.DomainPackageDetailsList ?? []).map((d) => d.PackageID ?? ''));
    }

    expect(pages).toEqual([['F111', 'F222'], ['G222', 'pkg-abc'], ['pkg-abe']]);
  });

  test('maxResults is honoured and capped at 100; a foreign token is rejected', async () => {
    await startEmulator({ packages: Array.from({ length: 105 }, (_, i): EmulatedPackage => ({ id: `F${1000 + i}`, name: `d${i}`, type: 'TXT-DICTIONARY' })) });
    for (let i = 0; i < 105; i++) {
      emulator.seedAssociation(DOMAIN, `F${1000 + i}`);
    }

    const first = await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 3 }));
    expect(first.DomainPackageDetailsList?.map((d) => d.PackageID)).toEqual(['F1000', 'F1001', 'F1002']);
    const capped = await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 500, NextToken: first.NextToken }));
    expect(capped.DomainPackageDetailsList).toHaveLength(100);
    const last = await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, NextToken: capped.NextToken }));
    expect(last.DomainPackageDetailsList?.map((d) => d.PackageID)).toEqual(['F1103', 'F1104']);
    expect(last.NextToken).toBeUndefined();

    await expectApiError(client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, NextToken: 'bogus' })), 'ValidationException', 400);
  });

  test('DescribePackages filters and reports the newest available version', async () => {
    await startEmulator();
    emulator.publishVersion('F111', 'v7');

    const byId = await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageID', Value: ['F111', 'F222'] }] }));
    const known = { PackageType: 'TXT-DICTIONARY', PackageStatus: 'AVAILABLE', PackageOwner: '123456789012', CreatedAt: new Date(clock.now()), LastUpdatedAt: new Date(clock.now()) };
    expect(byId.PackageDetailsList).toEqual([
      { PackageID: 'F111', PackageName: 'synonyms', AvailablePackageVersion: 'v7', ...known },
      { PackageID: 'F222', PackageName: 'stopwords', AvailablePackageVersion: 'v3', ...known },
    ]);
    const byName = await client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageName', Value: ['analysis-nori'] }] }));
    expect(byName.PackageDetailsList?.map((p) => p.PackageID)).toEqual(['G222']);
    const all = await client.send(new DescribePackagesCommand({}));
    expect(all.PackageDetailsList).toHaveLength(6);
  });
});

describe('faults', () => {
  test('throttle is a 429 that the SDK classifies as throttling', async () => {
    await startEmulator({ faults: { rate: 1, kinds: ['throttle'] } });
    const error = await failure(listed());
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata?.httpStatusCode).toBe(429);
    expect(isThrottlingError(error)).toBe(true);
  });

  test('internal is a 500 InternalException and unavailable a 503, both transient', async () => {
    await startEmulator({ faults: { rate: 1, kinds: ['internal'] } });
    const internal = await failure(listed());
    expect(internal).toMatchObject({ name: 'InternalException', $metadata: { httpStatusCode: 500 } });
    expect(isTransientError(internal)).toBe(true);

    emulator.setFaults({ rate: 1, kinds: ['unavailable'] });
    const unavailable = await failure(listed());
    expect(unavailable).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    expect(isTransientError(unavailable)).toBe(true);
  });

  test('drop destroys the socket without an answer: a network error', async () => {
    await startEmulator({ faults: { rate: 1, kinds: ['drop'] } });
    const error = await failure(listed());
    expectNetworkError(error);
    expect(emulator.requests).toEqual([expect.objectContaining({ operation: 'ListPackagesForDomain', status: 0, fault: 'drop' })]);
  });

  test('a faulted request changes no state and is recorded with its fault', async () => {
    await startEmulator({ faults: { rate: 1, kinds: ['throttle'], operations: ['AssociatePackage'] } });
    await expectApiError(associate('F111'), 'ThrottlingException', 429);
    expect(emulator.associations(DOMAIN)).toEqual([]);
    expect(await listed()).toEqual([]);
    expect(emulator.requests.map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['AssociatePackage', 429, 'throttle'],
      ['ListPackagesForDomain', 200, undefined],
    ]);

    emulator.setFaults(undefined);
    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });

  test('the same seed faults the same requests with the same kinds', async () => {
    const run = async () => {
      await startEmulator({ faults: { rate: 0.5, kinds: ['throttle', 'internal', 'unavailable'], seed: 42 } });
      for (let i = 0; i < 20; i++) {
        await listed().catch(() => undefined);
      }
      const faults = emulator.requests.map((r) => r.fault ?? '-');
      client.destroy();
      await emulator.close();
      return faults;
    };

    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['-', 'throttle', 'internal', 'unavailable']));
  });
});

describe('recording, protocol and lifecycle', () => {
  beforeEach(() => startEmulator());

  test('requests are recorded in order and counted per operation, domain and package', async () => {
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    await associate('pkg-abd', DOMAIN, { PrerequisitePackageIDList: ['pkg-abc'] });
    await listed();
    await associate('F111', OTHER_DOMAIN);
    await expectApiError(associate('F222'), 'ConflictException', 409);

    expect(emulator.requests[0]).toEqual({
      operation: 'AssociatePackage',
      domain: DOMAIN,
      packageId: 'pkg-abd',
      status: 200,
      time: clock.now(),
      body: { PrerequisitePackageIDList: ['pkg-abc'] },
    });
    expect(emulator.requests[3]).toMatchObject({ status: 409, errorType: 'ConflictException' });
    expect(emulator.count('AssociatePackage')).toBe(3);
    expect(emulator.count('AssociatePackage', { domain: DOMAIN })).toBe(2);
    expect(emulator.count('AssociatePackage', { domain: DOMAIN, packageId: 'F222' })).toBe(1);
    expect(emulator.count('ListPackagesForDomain')).toBe(1);
    expect(emulator.count('DissociatePackage')).toBe(0);
  });

  test('answers JSON with a request id, and unknown routes with 404', async () => {
    const response = await fetch(`${emulator.endpoint}/2021-01-01/domain/${DOMAIN}/packages`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ DomainPackageDetailsList: [] });

    const unknown = await fetch(`${emulator.endpoint}/2021-01-01/packages/F111/versions`);
    expect(unknown.status).toBe(404);
    expect(emulator.requests[1]).toMatchObject({ operation: 'Unknown', status: 404 });
  });

  test('the SDK reaches it through AWS_ENDPOINT_URL_OPENSEARCH', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_OPENSEARCH;
    process.env.AWS_ENDPOINT_URL_OPENSEARCH = emulator.endpoint;
    const envClient = newClient();
    try {
      await envClient.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN }));
      expect(emulator.count('ListPackagesForDomain')).toBe(1);
    } finally {
      envClient.destroy();
      if (previous === undefined) {
        delete process.env.AWS_ENDPOINT_URL_OPENSEARCH;
      } else {
        process.env.AWS_ENDPOINT_URL_OPENSEARCH = previous;
      }
    }
  });

  test('close() also closes kept-alive connections', async () => {
    await listed();
    await emulator.close();
    expectNetworkError(await failure(listed()));
  });
});

describe('real time', () => {
  test('without a clock, operations settle on Date.now()', async () => {
    emulator = await PackagesApiEmulator.start({ domains: [DOMAIN], packages: [DICTIONARY], associationMs: 0 });
    client = newClient(emulator.endpoint);
    await associate('F111');
    expect(await statuses()).toEqual(['F111:ACTIVE']);
  });
});
