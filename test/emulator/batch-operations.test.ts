import {
  AssociatePackageCommand,
  AssociatePackagesCommand,
  DescribeDomainCommand,
  DissociatePackageCommand,
  DissociatePackagesCommand,
  DomainPackageDetails,
  ListPackagesForDomainCommand,
  OpenSearchClient,
  PackageDetailsForAssociation,
} from '@aws-sdk/client-opensearch';
import { CONFIG, DICTIONARY, DOMAIN, LICENSE, NORI, OTHER_DOMAIN, PLUGIN, ROLE_ARN } from './catalogue';
import { emulatorStarter, expectApiError, stopWithClient } from './sdk-client';
import { EmulatedPackage, ManualClock, PackagesApiEmulator } from '../../emulator/packages-api-emulator';

const STOPWORDS: EmulatedPackage = { id: 'F222', name: 'stopwords', type: 'TXT-DICTIONARY', associationMs: 3000, dissociationMs: 2500 };

/** A third-party plugin with its license and configuration, in one call: the companions name the plugin as prerequisite. */
const THIRD_PARTY: PackageDetailsForAssociation[] = [
  { PackageID: 'pkg-abc' },
  { PackageID: 'pkg-abd', PrerequisitePackageIDList: ['pkg-abc'] },
  { PackageID: 'pkg-abe', PrerequisitePackageIDList: ['pkg-abc'] },
];
const ALREADY = 'Package is already in desired state';
const BUSY = `Another package operation is in progress on domain ${DOMAIN}`;
const IDLE = 'Processing=false Active';
const MODIFYING = 'Processing=true Modifying';

let emulator: PackagesApiEmulator;
let clock: ManualClock;
let client: OpenSearchClient;

const startEmulator = emulatorStarter({
  domains: [DOMAIN, OTHER_DOMAIN],
  packages: [DICTIONARY, STOPWORDS, PLUGIN, LICENSE, CONFIG, NORI],
}, (started) => ({ emulator, clock, client } = started));

afterEach(() => stopWithClient({ emulator, client }));

const associateAll = (PackageList: PackageDetailsForAssociation[], domain = DOMAIN) =>
  client.send(new AssociatePackagesCommand({ DomainName: domain, PackageList })).then((out) => out.DomainPackageDetailsList);
const dissociateAll = (PackageList: string[], domain = DOMAIN) =>
  client.send(new DissociatePackagesCommand({ DomainName: domain, PackageList })).then((out) => out.DomainPackageDetailsList);
const associate = (packageId: string, domain = DOMAIN) =>
  client.send(new AssociatePackageCommand({ PackageID: packageId, DomainName: domain })).then((out) => out.DomainPackageDetails);
const dissociate = (packageId: string, domain = DOMAIN) =>
  client.send(new DissociatePackageCommand({ PackageID: packageId, DomainName: domain })).then((out) => out.DomainPackageDetails);
const listed = async (domain = DOMAIN): Promise<DomainPackageDetails[]> =>
  (await client.send(new ListPackagesForDomainCommand({ DomainName: domain }))).DomainPackageDetailsList ?? [];
const summary = (details: DomainPackageDetails[] | undefined) => (details ?? []).map((d) => `${d.PackageID}:${d.DomainPackageStatus}`);
const statuses = async (domain = DOMAIN) => summary(await listed(domain));
async function processing(domain = DOMAIN): Promise<string> {
  const status = (await client.send(new DescribeDomainCommand({ DomainName: domain }))).DomainStatus;
  return `Processing=${status?.Processing} ${status?.DomainProcessingStatus}`;
}

describe('AssociatePackages', () => {
  beforeEach(() => startEmulator());

  test('a plugin with its license and configuration: one operation, ASSOCIATING together, ACTIVE together after the longest', async () => {
    const details = await associateAll(THIRD_PARTY);

    expect(details).toEqual([
      {
        PackageID: 'pkg-abc',
        PackageName: 'my-plugin',
        PackageType: 'ZIP-PLUGIN',
        LastUpdated: new Date(clock.now()),
        DomainName: DOMAIN,
        DomainPackageStatus: 'ASSOCIATING',
        PackageVersion: 'v1',
      },
      expect.objectContaining({ PackageID: 'pkg-abd', PackageType: 'PACKAGE-LICENSE', DomainPackageStatus: 'ASSOCIATING', PrerequisitePackageIDList: ['pkg-abc'] }),
      expect.objectContaining({ PackageID: 'pkg-abe', PackageType: 'PACKAGE-CONFIG', DomainPackageStatus: 'ASSOCIATING', PrerequisitePackageIDList: ['pkg-abc'] }),
    ]);
    expect(await statuses()).toEqual(['pkg-abc:ASSOCIATING', 'pkg-abd:ASSOCIATING', 'pkg-abe:ASSOCIATING']);
    // The license alone takes 1000 ms, but it settles with the plugin's 5000.
    clock.advance(4999);
    expect(await statuses()).toEqual(['pkg-abc:ASSOCIATING', 'pkg-abd:ASSOCIATING', 'pkg-abe:ASSOCIATING']);
    clock.advance(1);
    const settled = await listed();
    expect(summary(settled)).toEqual(['pkg-abc:ACTIVE', 'pkg-abd:ACTIVE', 'pkg-abe:ACTIVE']);
    expect(settled.map((d) => d.LastUpdated)).toEqual(Array(3).fill(new Date(clock.now())));
    expect(emulator.blueGreens(DOMAIN)).toBe(1);
  });

  test('the response lists the packages in request order; the association configuration round-trips', async () => {
    const KeyStoreAccessOption = { KeyStoreAccessEnabled: true, KeyAccessRoleArn: ROLE_ARN };
    const details = await associateAll([{ PackageID: 'F222' }, { PackageID: 'pkg-abc', AssociationConfiguration: { KeyStoreAccessOption } }, { PackageID: 'F111' }]);

    expect(details?.map((d) => d.PackageID)).toEqual(['F222', 'pkg-abc', 'F111']);
    expect(details?.[1]?.AssociationConfiguration).toEqual({ KeyStoreAccessOption });
    expect(details?.[0]?.ReferencePath).toBe('analyzers/F222');
    clock.advance(5000);
    expect(emulator.associations(DOMAIN)).toEqual([
      { packageId: 'F111', status: 'ACTIVE', version: 'v1', prerequisites: [] },
      { packageId: 'F222', status: 'ACTIVE', version: 'v1', prerequisites: [] },
      { packageId: 'pkg-abc', status: 'ACTIVE', version: 'v1', prerequisites: [], keyStoreAccessEnabled: true, keyAccessRoleArn: ROLE_ARN },
    ]);
  });

  test('while it runs the domain is busy for single and batch calls, and DescribeDomain shows Processing', async () => {
    emulator.seedAssociation(DOMAIN, 'F222');
    await associateAll(THIRD_PARTY);

    expect(await processing()).toBe(MODIFYING);
    await expectApiError(associate('F111'), 'ConflictException', 409, BUSY);
    await expectApiError(dissociate('F222'), 'ConflictException', 409, BUSY);
    await expectApiError(associateAll([{ PackageID: 'F111' }]), 'ConflictException', 409, BUSY);
    await expectApiError(dissociateAll(['F222']), 'ConflictException', 409, BUSY);
    expect(await processing(OTHER_DOMAIN)).toBe(IDLE);
    expect(summary(await associateAll([{ PackageID: 'F111' }], OTHER_DOMAIN))).toEqual(['F111:ASSOCIATING']);

    clock.advance(5000);
    expect(await processing()).toBe(IDLE);
    expect(summary(await associateAll([{ PackageID: 'F111' }]))).toEqual(['F111:ASSOCIATING']);
  });

  test('a busy domain (another operation, a configuration change) refuses the batch with the busy conflict', async () => {
    emulator.startForeignOperation(DOMAIN, 'G999', 1000);
    await expectApiError(associateAll([{ PackageID: 'F111' }]), 'ConflictException', 409, BUSY);
    clock.advance(1000);
    emulator.startConfigurationChange(DOMAIN, 1000);
    await expectApiError(associateAll([{ PackageID: 'F111' }]), 'ConflictException', 409, BUSY);
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });

  test('prerequisites: in the same call, or ACTIVE on the domain; otherwise a ValidationException and nothing starts', async () => {
    await expectApiError(
      associateAll([{ PackageID: 'pkg-abd', PrerequisitePackageIDList: ['pkg-abc'] }]),
      'ValidationException',
      400,
      `Prerequisite package pkg-abc is not associated with domain ${DOMAIN}`,
    );
    await expectApiError(
      associateAll([{ PackageID: 'F111' }, { PackageID: 'pkg-abd', PrerequisitePackageIDList: ['pkg-abd'] }]),
      'ValidationException',
      400,
      `Prerequisite package pkg-abd is not associated with domain ${DOMAIN}`,
    );
    expect(emulator.associations(DOMAIN)).toEqual([]);
    expect(await processing()).toBe(IDLE);

    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    emulator.seedAssociation(DOMAIN, 'F111', { status: 'ASSOCIATION_FAILED' });
    await expectApiError(
      associateAll([{ PackageID: 'F222', PrerequisitePackageIDList: ['F111'] }]),
      'ValidationException',
      400,
      `Prerequisite package F111 is not associated with domain ${DOMAIN}`,
    );
    expect(summary(await associateAll([{ PackageID: 'pkg-abd', PrerequisitePackageIDList: ['pkg-abc'] }]))).toEqual(['pkg-abd:ASSOCIATING']);
  });

  test('entries identical to what is ACTIVE are left alone and reported as they are; only the others run', async () => {
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    const activeSince = new Date(clock.now());
    clock.advance(10_000);

    const details = await associateAll([{ PackageID: 'pkg-abc' }, { PackageID: 'F222' }]);

    expect(details).toEqual([
      expect.objectContaining({ PackageID: 'pkg-abc', DomainPackageStatus: 'ACTIVE', LastUpdated: activeSince }),
      expect.objectContaining({ PackageID: 'F222', DomainPackageStatus: 'ASSOCIATING', LastUpdated: new Date(clock.now()) }),
    ]);
    expect(await statuses()).toEqual(['F222:ASSOCIATING', 'pkg-abc:ACTIVE']);
    // The operation is the dictionary's alone: its duration, and no blue/green deployment.
    clock.advance(3000);
    expect(await statuses()).toEqual(['F222:ACTIVE', 'pkg-abc:ACTIVE']);
    expect(emulator.blueGreens(DOMAIN)).toBe(0);
  });

  test('when every entry is in desired state: ConflictException "already in desired state", even while the domain is busy', async () => {
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    emulator.seedAssociation(DOMAIN, 'pkg-abd', { prerequisites: ['pkg-abc'] });
    const unchanged = [{ PackageID: 'pkg-abc' }, { PackageID: 'pkg-abd', PrerequisitePackageIDList: ['pkg-abc'] }];
    await expectApiError(associateAll(unchanged), 'ConflictException', 409, ALREADY);

    emulator.startConfigurationChange(DOMAIN, 1000);
    await expectApiError(associateAll(unchanged), 'ConflictException', 409, ALREADY);
    expect(emulator.blueGreens(DOMAIN)).toBe(0);
  });

  test('a newer version or another configuration is not the desired state: that entry is associated again', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    emulator.publishVersion('F111', 'v2');
    const KeyStoreAccessOption = { KeyStoreAccessEnabled: false };

    const details = await associateAll([{ PackageID: 'F111' }, { PackageID: 'pkg-abc', AssociationConfiguration: { KeyStoreAccessOption } }]);

    expect(details).toEqual([
      expect.objectContaining({ PackageID: 'F111', DomainPackageStatus: 'ASSOCIATING', PackageVersion: 'v2' }),
      expect.objectContaining({ PackageID: 'pkg-abc', DomainPackageStatus: 'ASSOCIATING', AssociationConfiguration: { KeyStoreAccessOption } }),
    ]);
    clock.advance(5000);
    expect(await statuses()).toEqual(['F111:ACTIVE', 'pkg-abc:ACTIVE']);
  });

  test('failNextAssociation fails that entry alone: ASSOCIATION_FAILED with its ErrorDetails, the others ACTIVE', async () => {
    emulator.failNextAssociation(DOMAIN, 'pkg-abd', 'InvalidLicense', 'The license file has expired');
    await associateAll(THIRD_PARTY);
    clock.advance(5000);

    const settled = await listed();
    expect(summary(settled)).toEqual(['pkg-abc:ACTIVE', 'pkg-abd:ASSOCIATION_FAILED', 'pkg-abe:ACTIVE']);
    expect(settled[1]?.ErrorDetails).toEqual({ ErrorType: 'InvalidLicense', ErrorMessage: 'The license file has expired' });
    expect(settled[0]?.ErrorDetails).toBeUndefined();
    // A failed entry is not in desired state: the retry runs that entry alone.
    expect(summary(await associateAll(THIRD_PARTY))).toEqual(['pkg-abc:ACTIVE', 'pkg-abd:ASSOCIATING', 'pkg-abe:ACTIVE']);
  });

  test('refuseNextAssociation refuses a batch that would associate that package; nothing starts', async () => {
    emulator.refuseNextAssociation(DOMAIN, 'pkg-abe', 'Configuration package is not compatible');
    await expectApiError(associateAll(THIRD_PARTY), 'ConflictException', 409, 'Configuration package is not compatible');
    expect(emulator.associations(DOMAIN)).toEqual([]);
    expect(summary(await associateAll(THIRD_PARTY))).toEqual(['pkg-abc:ASSOCIATING', 'pkg-abd:ASSOCIATING', 'pkg-abe:ASSOCIATING']);
  });

  test('new entries are absent from the list for listLagMs, while DescribeDomain already shows the operation', async () => {
    client.destroy();
    await emulator.close();
    await startEmulator({ listLagMs: 500 });
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.publishVersion('F111', 'v2');

    await associateAll([{ PackageID: 'F111' }, { PackageID: 'F222' }]);

    expect(await statuses()).toEqual(['F111:ASSOCIATING']);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(500);
    expect(await statuses()).toEqual(['F111:ASSOCIATING', 'F222:ASSOCIATING']);
  });
});

describe('DissociatePackages', () => {
  beforeEach(() => startEmulator());

  test('one operation: DISSOCIATING together, gone together after the longest; Processing meanwhile', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222');
    emulator.seedAssociation(DOMAIN, 'G222');

    const details = await dissociateAll(['F222', 'F111']);

    expect(details).toEqual([
      expect.objectContaining({ PackageID: 'F222', DomainPackageStatus: 'DISSOCIATING', LastUpdated: new Date(clock.now()) }),
      expect.objectContaining({ PackageID: 'F111', DomainPackageStatus: 'DISSOCIATING', ReferencePath: 'analyzers/F111' }),
    ]);
    expect(await processing()).toBe(MODIFYING);
    await expectApiError(associate('pkg-abc'), 'ConflictException', 409, BUSY);
    // F111 alone takes 1000 ms; F222 2500.
    clock.advance(2499);
    expect(await statuses()).toEqual(['F111:DISSOCIATING', 'F222:DISSOCIATING', 'G222:ACTIVE']);
    clock.advance(1);
    expect(await statuses()).toEqual(['G222:ACTIVE']);
    expect(await processing()).toBe(IDLE);
    expect(emulator.blueGreens(DOMAIN)).toBe(0);
  });

  test('a package that is not associated refuses the whole call, like the single call; nothing starts', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    await expectApiError(dissociateAll(['F111', 'F222']), 'ValidationException', 400, 'Package is not associated to this domain');
    expect(await statuses()).toEqual(['F111:ACTIVE']);
    expect(await processing()).toBe(IDLE);
  });

  test('dissociating a plugin also removes its license and configuration when it disappears; one blue/green', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'pkg-abc');
    emulator.seedAssociation(DOMAIN, 'pkg-abd', { prerequisites: ['pkg-abc'] });
    emulator.seedAssociation(DOMAIN, 'pkg-abe', { prerequisites: ['pkg-abc'] });

    expect(summary(await dissociateAll(['pkg-abc', 'F111']))).toEqual(['pkg-abc:DISSOCIATING', 'F111:DISSOCIATING']);
    clock.advance(3999);
    expect(await statuses()).toEqual(['F111:DISSOCIATING', 'pkg-abc:DISSOCIATING', 'pkg-abd:ACTIVE', 'pkg-abe:ACTIVE']);
    clock.advance(1);
    expect(await listed()).toEqual([]);
    expect(emulator.blueGreens(DOMAIN)).toBe(1);
  });

  test('the whole third-party set listed at once is gone together', async () => {
    await associateAll(THIRD_PARTY);
    clock.advance(5000);
    expect(summary(await dissociateAll(['pkg-abd', 'pkg-abe', 'pkg-abc']))).toEqual(['pkg-abd:DISSOCIATING', 'pkg-abe:DISSOCIATING', 'pkg-abc:DISSOCIATING']);
    clock.advance(4000);
    expect(await listed()).toEqual([]);
    expect(emulator.blueGreens(DOMAIN)).toBe(2);
  });

  test('a package in use ends DISSOCIATION_FAILED alone; answered with a conflict, it refuses the whole call', async () => {
    emulator.seedAssociation(DOMAIN, 'F111');
    emulator.seedAssociation(DOMAIN, 'F222');
    emulator.markInUse(DOMAIN, 'F111', true);
    await dissociateAll(['F111', 'F222']);
    clock.advance(2500);
    const settled = await listed();
    expect(summary(settled)).toEqual(['F111:DISSOCIATION_FAILED']);
    expect(settled[0]?.ErrorDetails).toEqual({ ErrorType: 'DissociationFailed', ErrorMessage: 'Package is in use by an index' });

    emulator.seedAssociation(DOMAIN, 'F222');
    emulator.markInUse(DOMAIN, 'F111', true, { answer: 'conflict' });
    await expectApiError(dissociateAll(['F222', 'F111']), 'ConflictException', 409, 'Package F111 is in use by index products and cannot be dissociated');
    expect(await statuses()).toEqual(['F111:DISSOCIATION_FAILED', 'F222:ACTIVE']);
    expect(await processing()).toBe(IDLE);
  });
});

describe('blue/green deployments', () => {
  test('by default a plugin keeps its own time; each single plugin operation counts one, dictionaries none', async () => {
    await startEmulator();
    await associate('F111');
    clock.advance(1000);
    await associate('pkg-abc');
    clock.advance(5000);
    await dissociate('pkg-abc');
    clock.advance(4000);
    await dissociate('F111');
    clock.advance(1000);

    expect(emulator.blueGreens(DOMAIN)).toBe(2);
    expect(emulator.blueGreens(OTHER_DOMAIN)).toBe(0);
  });

  test('the log gives each deployment its kind, packages, start and end', async () => {
    await startEmulator();
    const start = clock.now();
    await associateAll([{ PackageID: 'F222' }, ...THIRD_PARTY]);
    clock.advance(5000);
    await dissociate('pkg-abd');

    expect(emulator.blueGreenDeployments(DOMAIN)).toEqual([
      { domainName: DOMAIN, kind: 'association', packageIds: ['F222', 'pkg-abc', 'pkg-abd', 'pkg-abe'], startedAt: start, endsAt: start + 5000 },
      { domainName: DOMAIN, kind: 'dissociation', packageIds: ['pkg-abd'], startedAt: start + 5000, endsAt: start + 6000 },
    ]);
  });

  test('blueGreenMs: plugin, license and configuration take the blue/green time; a dictionary keeps its own, and the longest wins', async () => {
    await startEmulator({ blueGreenMs: 20_000 });
    await associate('G222');
    clock.advance(19_999);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(1);
    expect(await statuses()).toEqual(['G222:ACTIVE']);

    await associate('F111');
    clock.advance(1000);
    expect(await statuses()).toEqual(['F111:ACTIVE', 'G222:ACTIVE']);

    await associateAll([{ PackageID: 'F222' }, ...THIRD_PARTY]);
    clock.advance(19_999);
    expect(await statuses()).toEqual(['F111:ACTIVE', 'F222:ASSOCIATING', 'G222:ACTIVE', 'pkg-abc:ASSOCIATING', 'pkg-abd:ASSOCIATING', 'pkg-abe:ASSOCIATING']);
    clock.advance(1);
    expect(await statuses()).toEqual(['F111:ACTIVE', 'F222:ACTIVE', 'G222:ACTIVE', 'pkg-abc:ACTIVE', 'pkg-abd:ACTIVE', 'pkg-abe:ACTIVE']);

    await dissociateAll(['G222']);
    clock.advance(20_000);
    expect(emulator.blueGreens(DOMAIN)).toBe(3);
  });

  test('a dictionary longer than the blue/green time sets the operation\'s duration', async () => {
    await startEmulator({ blueGreenMs: 2000 });
    await associateAll([{ PackageID: 'F222' }, { PackageID: 'G222' }]);
    clock.advance(2999);
    expect(await statuses()).toEqual(['F222:ASSOCIATING', 'G222:ASSOCIATING']);
    clock.advance(1);
    expect(await statuses()).toEqual(['F222:ACTIVE', 'G222:ACTIVE']);
  });

  test('per domain: a domain the record leaves out keeps each package\'s own time', async () => {
    await startEmulator({ blueGreenMs: { [DOMAIN]: 60_000 } });
    await associate('pkg-abc');
    await associate('pkg-abc', OTHER_DOMAIN);
    clock.advance(5000);
    expect(await statuses()).toEqual(['pkg-abc:ASSOCIATING']);
    expect(await statuses(OTHER_DOMAIN)).toEqual(['pkg-abc:ACTIVE']);
    clock.advance(55_000);
    expect(await statuses()).toEqual(['pkg-abc:ACTIVE']);
    expect([emulator.blueGreens(DOMAIN), emulator.blueGreens(OTHER_DOMAIN)]).toEqual([1, 1]);
  });

  test('seeded operations in progress take the blue/green time too, but are not logged', async () => {
    await startEmulator({ blueGreenMs: 10_000 });
    emulator.seedAssociation(DOMAIN, 'pkg-abc', { status: 'ASSOCIATING' });
    clock.advance(9999);
    expect(await processing()).toBe(MODIFYING);
    clock.advance(1);
    expect(await statuses()).toEqual(['pkg-abc:ACTIVE']);
    expect(emulator.blueGreens(DOMAIN)).toBe(0);
  });

  test('a failed association still deployed; a refused call did not', async () => {
    await startEmulator();
    emulator.failNextAssociation(DOMAIN, 'pkg-abc', 'PluginError', 'Plugin failed to load');
    await associate('pkg-abc');
    await expectApiError(associateAll(THIRD_PARTY), 'ConflictException', 409, BUSY);
    clock.advance(5000);
    expect(await statuses()).toEqual(['pkg-abc:ASSOCIATION_FAILED']);
    expect(emulator.blueGreens(DOMAIN)).toBe(1);
  });

  test('blue/green times must not be negative; unknown domains are refused', async () => {
    await expect(PackagesApiEmulator.start({ domains: [DOMAIN], packages: [], blueGreenMs: -1 })).rejects.toThrow(RangeError);
    await expect(PackagesApiEmulator.start({ domains: [DOMAIN], packages: [], blueGreenMs: { [DOMAIN]: Number.NaN } })).rejects.toThrow(RangeError);
    await startEmulator();
    expect(() => emulator.blueGreens('missing-domain')).toThrow('Domain not found: missing-domain');
  });
});

describe('errors and validation', () => {
  beforeEach(() => startEmulator({ deniedDomains: ['locked-domain'], maxPackagesPerCall: 3 }));

  test('an empty PackageList is a ValidationException, for both calls', async () => {
    await expectApiError(associateAll([]), 'ValidationException', 400, 'PackageList must name at least one package');
    await expectApiError(dissociateAll([]), 'ValidationException', 400, 'PackageList must name at least one package');
  });

  test('a PackageList longer than maxPackagesPerCall is a ValidationException; nothing starts', async () => {
    await expectApiError(
      associateAll([{ PackageID: 'F222' }, ...THIRD_PARTY]),
      'ValidationException',
      400,
      'PackageList must name at most 3 packages, got 4',
    );
    await expectApiError(dissociateAll(['F111', 'F222', 'G222', 'pkg-abc']), 'ValidationException', 400, 'PackageList must name at most 3 packages, got 4');
    expect(emulator.associations(DOMAIN)).toEqual([]);
    expect(summary(await associateAll(THIRD_PARTY))).toHaveLength(3);
  });

  test('the same package twice is a ValidationException', async () => {
    await expectApiError(associateAll([{ PackageID: 'F111' }, { PackageID: 'F111' }]), 'ValidationException', 400, 'PackageList names package F111 more than once');
    await expectApiError(dissociateAll(['F111', 'F111']), 'ValidationException', 400, 'PackageList names package F111 more than once');
  });

  test('malformed ids and domain names are ValidationExceptions in the service\'s wording', async () => {
    const error = await expectApiError(associateAll([{ PackageID: 'X123' }]), 'ValidationException', 400);
    expect(error.message).toMatch(/^1 validation error detected: Value 'X123' at 'packageList.member.packageID' failed to satisfy constraint/);
    await expectApiError(associateAll([{ PackageID: 'F111', PrerequisitePackageIDList: ['pkg-XYZ'] }]), 'ValidationException', 400);
    await expectApiError(dissociateAll(['pkg-ABC']), 'ValidationException', 400);
    await expectApiError(associateAll([{ PackageID: 'F111' }], 'Upper'), 'ValidationException', 400);
  });

  test('missing members are refused as null', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${emulator.endpoint}/2021-01-01/packages/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const noList = await post('associateMultiple', { DomainName: DOMAIN });
    expect(noList.status).toBe(400);
    expect(await noList.json()).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'packageList' failed to satisfy constraint: Member must not be null",
    });
    const noDomain = await post('dissociateMultiple', { PackageList: ['F111'] });
    expect(((await noDomain.json()) as { message: string }).message).toContain("Value null at 'domainName'");
    const noId = await post('associateMultiple', { DomainName: DOMAIN, PackageList: [{}] });
    expect(((await noId.json()) as { message: string }).message).toContain("Value null at 'packageList.member.packageID'");
  });

  test.each([
    ['ResourceNotFoundException' as const, 409],
    ['ValidationException' as const, 400],
  ])('an unknown domain is a 409 ResourceNotFoundException, an unknown package the missing-package answer (%s); nothing starts', async (missingPackage, status) => {
    await stopWithClient({ emulator, client });
    await startEmulator({ missingPackage });
    await expectApiError(associateAll([{ PackageID: 'F111' }], 'missing-domain'), 'ResourceNotFoundException', 409, 'Domain not found: missing-domain');
    await expectApiError(dissociateAll(['F111'], 'missing-domain'), 'ResourceNotFoundException', 409);
    await expectApiError(associateAll([{ PackageID: 'F111' }, { PackageID: 'F999' }]), missingPackage, status, 'Package not found: F999');
    await expectApiError(dissociateAll(['F999']), missingPackage, status, 'Package not found: F999');
    expect(emulator.associations(DOMAIN)).toEqual([]);
  });

  test('a denied domain answers 403 AccessDeniedException, naming the batch action', async () => {
    await expectApiError(
      associateAll([{ PackageID: 'F111' }], 'locked-domain'),
      'AccessDeniedException',
      403,
      'User is not authorized to perform: es:AssociatePackages on resource: domain/locked-domain',
    );
    emulator.denyDomain(DOMAIN, true);
    await expectApiError(dissociateAll(['F111']), 'AccessDeniedException', 403, `User is not authorized to perform: es:DissociatePackages on resource: domain/${DOMAIN}`);
    expect(summary(await associateAll([{ PackageID: 'F111' }], OTHER_DOMAIN))).toEqual(['F111:ASSOCIATING']);
  });

  test('a package new to a domain at its limit is a LimitExceededException; the batch counts every new package', async () => {
    client.destroy();
    await emulator.close();
    await startEmulator({ maxPackagesPerDomain: 3 });
    emulator.seedAssociation(DOMAIN, 'F111');
    await expectApiError(associateAll(THIRD_PARTY), 'LimitExceededException', 409, `Domain ${DOMAIN} has reached the limit of 3 packages`);
    expect(summary(await associateAll([{ PackageID: 'F111', PrerequisitePackageIDList: [] }, { PackageID: 'F222' }, { PackageID: 'G222' }]))).toEqual([
      'F111:ACTIVE',
      'F222:ASSOCIATING',
      'G222:ASSOCIATING',
    ]);
  });
});

describe('regions without the batch API', () => {
  beforeEach(() => startEmulator({ disabledOperations: ['AssociatePackages', 'DissociatePackages'] }));

  test('both calls answer 409 DisabledOperationException and change nothing; the single calls still work', async () => {
    emulator.seedAssociation(DOMAIN, 'F222');
    await expectApiError(associateAll(THIRD_PARTY), 'DisabledOperationException', 409, 'AssociatePackages is not supported in this region');
    await expectApiError(dissociateAll(['F222']), 'DisabledOperationException', 409, 'DissociatePackages is not supported in this region');
    expect(await statuses()).toEqual(['F222:ACTIVE']);

    expect(await associate('F111')).toMatchObject({ DomainPackageStatus: 'ASSOCIATING' });
  });
});

describe('recording and faults', () => {
  beforeEach(() => startEmulator());

  test('batch requests are recorded with the domain and the listed packages, and counted by either', async () => {
    await associateAll(THIRD_PARTY);
    clock.advance(5000);
    await dissociateAll(['pkg-abe']);

    expect(emulator.requests[0]).toEqual({
      operation: 'AssociatePackages',
      domain: DOMAIN,
      packageIds: ['pkg-abc', 'pkg-abd', 'pkg-abe'],
      status: 200,
      time: clock.now() - 5000,
      body: { DomainName: DOMAIN, PackageList: THIRD_PARTY },
    });
    expect(emulator.requests[1]).toMatchObject({ operation: 'DissociatePackages', domain: DOMAIN, packageIds: ['pkg-abe'] });
    expect(emulator.count('AssociatePackages')).toBe(1);
    expect(emulator.count('AssociatePackages', { domain: DOMAIN, packageId: 'pkg-abd' })).toBe(1);
    expect(emulator.count('AssociatePackages', { packageId: 'F111' })).toBe(0);
    expect(emulator.count('DissociatePackages', { packageId: 'pkg-abe' })).toBe(1);
    expect(emulator.count('AssociatePackage')).toBe(0);
  });

  test('faults can target the batch calls; a faulted call changes nothing', async () => {
    emulator.setFaults({ rate: 1, kinds: ['throttle'], operations: ['AssociatePackages'] });
    await expectApiError(associateAll(THIRD_PARTY), 'ThrottlingException', 429);
    expect(emulator.associations(DOMAIN)).toEqual([]);
    expect(emulator.requests[0]).toMatchObject({ operation: 'AssociatePackages', status: 429, fault: 'throttle', domain: DOMAIN });

    emulator.setFaults(undefined);
    expect(summary(await associateAll(THIRD_PARTY))).toHaveLength(3);
  });
});
