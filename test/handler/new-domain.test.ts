/**
 * A domain created in the same deploy as its packages: DescribeDomain shows it being created
 * (`Created` false, `Processing` true, DomainProcessingStatus `Creating`), and no package write goes
 * to it before it is done. How the service would refuse one is undocumented (AWS's samples only wait
 * before the first package call), so both answers are played: the busy ConflictException and a
 * ValidationException. The wait ends with the resource's Timeout, on the harness's scaled clock.
 */
import { createEvent, DICTIONARY, DOMAIN, Harness, LICENSE, play, playFailure, PLUGIN, properties, silenceAndCloseEachTest, startHarness } from './handler-harness';
import type { CreationAnswer, EmulatedPackage } from '../../emulator/packages-api-emulator';

let harness: Harness;
silenceAndCloseEachTest(() => harness);

const TYPE = 'Custom::OpenSearchDomainPackages';
/** The domain is created 45 s after the deploy reaches its packages. */
const CREATION_MS = 45_000;
const ANSWERS: CreationAnswer[] = ['conflict', 'validation'];

const writes = () => harness.emulator.requests.filter((r) => /^(Associate|Dissociate)Package/.test(r.operation));

function setProps(packages: EmulatedPackage[], timeout = '3000') {
  return {
    ServiceToken: 'token',
    DomainName: DOMAIN,
    Timeout: timeout,
    PackageList: packages.map((p) => (p === LICENSE ? { PackageID: p.id, PrerequisitePackageIDList: [PLUGIN.id] } : { PackageID: p.id })),
    PackageKeys: packages.map((p) => p.name),
  };
}

async function startCreatingDomain(answer: CreationAnswer, creationMs = CREATION_MS): Promise<number> {
  harness = await startHarness({ blueGreenMs: 30_000 });
  harness.emulator.startDomainCreation(DOMAIN, creationMs, answer);
  return harness.clock.now() + creationMs;
}

describe.each(ANSWERS)('a domain being created (a write meanwhile would be refused with %s)', (answer) => {
  test('an association waits until the domain is created, then sends one AssociatePackage and succeeds', async () => {
    const createdAt = await startCreatingDomain(answer);

    const { started, complete } = await play(harness, createEvent(properties(DICTIONARY.id)));

    expect(started.PendingOperation).toBe('AssociatePackage');
    expect(complete.Data?.DomainPackageStatus).toBe('ACTIVE');
    expect(writes().map((r) => `${r.operation} ${r.status}`)).toEqual(['AssociatePackage 200']);
    expect(writes()[0].time).toBeGreaterThanOrEqual(createdAt);
  });

  test('a set waits until the domain is created, then sends one AssociatePackages and completes when its own blue/green ends', async () => {
    const createdAt = await startCreatingDomain(answer);

    const { complete, polls } = await play(harness, createEvent(setProps([PLUGIN, LICENSE, DICTIONARY]), TYPE));

    expect(Object.keys(complete.Data ?? {})).toHaveLength(6);
    expect(writes().map((r) => `${r.operation} ${r.status}`)).toEqual(['AssociatePackages 200']);
    expect(writes()[0].time).toBeGreaterThanOrEqual(createdAt);
    // polls at 0-40 s wait for the creation, the one at 50 s writes, the blue/green ends at 80 s
    expect(polls).toBe(9);
    expect(harness.emulator.associations(DOMAIN).map((a) => `${a.packageId}:${a.status}`).sort()).toEqual(['F111:ACTIVE', 'pkg-a1:ACTIVE', 'pkg-a2:ACTIVE']);
  });

  test('an association whose domain is still being created when its Timeout passes fails saying so, having sent nothing', async () => {
    await startCreatingDomain(answer, 600_000);

    const { error } = await playFailure(harness, createEvent(properties(DICTIONARY.id, { Timeout: '60' })));

    expect(error.message).toBe(`Timeout: domain ${DOMAIN} still busy after 1 minute (in flight: domain being created) (domain ${DOMAIN}, package ${DICTIONARY.id})`);
    expect(writes()).toEqual([]);
  });

  test('a set whose domain is still being created when its Timeout passes fails saying so, having sent nothing', async () => {
    await startCreatingDomain(answer, 600_000);

    const { error } = await playFailure(harness, createEvent(setProps([PLUGIN, LICENSE], '60'), TYPE));

    expect(error.message).toBe(`Timeout: domain ${DOMAIN} still busy after 1 minute (in flight: domain being created) (domain ${DOMAIN}, packages ${PLUGIN.id}, ${LICENSE.id})`);
    expect(writes()).toEqual([]);
  });
});
