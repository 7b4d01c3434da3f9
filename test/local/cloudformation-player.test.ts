/**
 * The CloudFormation player's own semantics, with fake handlers: what it sends, in which
 * order, and how the provider framework's rules (timeout, Data, physical ids) apply.
 */
import { CloudFormationPlayer, CustomResourceHandlers, ProgressEvent, StackView } from '../../local/cloudformation-player';
import { crossStackReferences } from '../../local/cross-stack';

const TYPE = 'Custom::OpenSearchPackageAssociation';
const TOKEN = { 'Fn::GetAtt': ['ProviderFramework', 'Arn'] };

function association(domain: unknown, packageId: unknown, extra: Record<string, unknown> = {}, dependsOn?: string[]) {
  return {
    Type: TYPE,
    Properties: { ServiceToken: TOKEN, DomainName: domain, PackageID: packageId, ...extra },
    ...(dependsOn && { DependsOn: dependsOn }),
  };
}

function template(resources: Record<string, unknown>) {
  return { Resources: { ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} }, ...resources } };
}

/** Handlers whose associations take `polls` isComplete calls; physical id = domain/package. */
function fakeHandlers(options: { polls?: number; failOn?: string } = {}) {
  const calls: Array<{ kind: string; event: any; at: number }> = [];
  const started = Date.now();
  const handlers: CustomResourceHandlers = {
    async onEvent(event) {
      calls.push({ kind: 'onEvent', event, at: Date.now() - started });
      return { PhysicalResourceId: `${event.ResourceProperties.DomainName}/${event.ResourceProperties.PackageID}`, Count: 0 };
    },
    async isComplete(event) {
      calls.push({ kind: 'isComplete', event, at: Date.now() - started });
      if (event.ResourceProperties.PackageID === options.failOn && event.RequestType === 'Create') {
        throw new Error(`ASSOCIATION_FAILED: ${options.failOn}`);
      }
      if (event.RequestType === 'Delete') {
        return { IsComplete: true };
      }
      const seen = calls.filter((call) => call.kind === 'isComplete' && call.event.RequestId === event.RequestId).length;
      return seen >= (options.polls ?? 1) ? { IsComplete: true, Data: { PackageName: `name-${event.ResourceProperties.PackageID}` } } : { IsComplete: false };
    },
  };
  return { handlers, calls };
}

test('properties are resolved and every scalar becomes a string, as CloudFormation sends them', async () => {
  const { handlers, calls } = fakeHandlers();
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10, stackName: 'Resolve' });

  await player.deploy({
    Parameters: { Suffix: { Type: 'String', Default: 'one' } },
    Resources: {
      ProviderFramework: { Type: 'AWS::Lambda::Function', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      First: association({ 'Fn::Join': ['-', ['search', { Ref: 'Suffix' }]] }, 'F1', {
        AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: true, KeyAccessRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
        Extra: { 'Fn::Sub': '${AWS::Region}/${AWS::AccountId}/${AWS::Partition}/${AWS::URLSuffix}' },
        Count: 42,
        Picked: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
        Gone: { Ref: 'AWS::NoValue' },
      }),
      Second: association('search-one', 'F2', { After: { 'Fn::GetAtt': ['First', 'PackageName'] } }),
    },
  });

  const first = calls.find((call) => call.event.LogicalResourceId === 'First')!.event;
  expect(first.ResourceProperties).toEqual({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:ProviderFramework',
    DomainName: 'search-one',
    PackageID: 'F1',
    AssociationConfiguration: { KeyStoreAccessOption: { KeyStoreAccessEnabled: 'true', KeyAccessRoleArn: 'arn:aws:iam::123456789012:role/Role' } },
    Extra: 'us-east-1/123456789012/aws/amazonaws.com',
    Count: '42',
    Picked: 'b',
  });
  // A GetAtt of another association is its Data, and makes it a dependency.
  const second = calls.find((call) => call.event.LogicalResourceId === 'Second')!;
  expect(second.event.ResourceProperties.After).toBe('name-F1');
  expect(calls.findIndex((call) => call === second)).toBeGreaterThan(calls.findIndex((call) => call.kind === 'isComplete' && call.event.LogicalResourceId === 'First'));
});

test('every Custom::OpenSearch… type is played through the handlers, its attributes (onEvent\'s Data, then isComplete\'s) read with Fn::GetAtt; other custom types are created at once', async () => {
  const calls: string[] = [];
  const player = new CloudFormationPlayer({
    queryIntervalMs: 10,
    handlers: {
      async onEvent(event) {
        calls.push(`${event.RequestType} ${event.ResourceType} ${event.LogicalResourceId}`);
        // As the handler: a lookup answers at once with Data; a package's attributes come when it is AVAILABLE.
        if (event.ResourceType === 'Custom::OpenSearchPackageLookup') {
          return { PhysicalResourceId: 'G123', Data: { PackageID: 'G123', AvailablePackageVersion: 'v1' } };
        }
        return { PhysicalResourceId: event.ResourceType === 'Custom::OpenSearchPackage' ? 'F100000001' : `${event.ResourceProperties.DomainName}/${event.ResourceProperties.PackageID}` };
      },
      async isComplete(event) {
        return event.ResourceType === 'Custom::OpenSearchPackage' && event.RequestType !== 'Delete'
          ? { IsComplete: true, Data: { PackageID: event.PhysicalResourceId, AvailablePackageVersion: 'v1' } }
          : { IsComplete: true };
      },
    },
  });
  const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

  const outcome = await player.deploy(template({
    Synonyms: { Type: 'Custom::OpenSearchPackage', Properties: { ServiceToken: TOKEN, PackageName: 'synonyms', PackageType: 'TXT-DICTIONARY' } },
    Nori: { Type: 'Custom::OpenSearchPackageLookup', Properties: { ServiceToken: TOKEN, PackageName: 'analysis-nori' } },
    Other: { Type: 'Custom::SomethingElse', Properties: { ServiceToken: TOKEN } },
    SynonymsOnDomain: association('search-one', getAtt('Synonyms', 'PackageID'), { PackageVersion: getAtt('Synonyms', 'AvailablePackageVersion') }),
    NoriOnDomain: association('search-one', getAtt('Nori', 'PackageID')),
  }));
  await player.destroy();

  expect(outcome.status).toBe('CREATE_COMPLETE');
  const creates = calls.filter((call) => call.startsWith('Create'));
  expect(creates.slice(0, 2).sort()).toEqual(['Create Custom::OpenSearchPackage Synonyms', 'Create Custom::OpenSearchPackageLookup Nori']);
  expect(creates.slice(2).sort()).toEqual(['Create Custom::OpenSearchPackageAssociation NoriOnDomain', 'Create Custom::OpenSearchPackageAssociation SynonymsOnDomain']);
  expect(calls).not.toContainEqual(expect.stringContaining('Custom::SomethingElse'));
  // Deletes in reverse: each association before its package.
  const deletes = calls.filter((call) => call.startsWith('Delete')).map((call) => call.split(' ')[2]);
  expect(deletes.indexOf('SynonymsOnDomain')).toBeLessThan(deletes.indexOf('Synonyms'));
  expect(deletes.indexOf('NoriOnDomain')).toBeLessThan(deletes.indexOf('Nori'));
});

test('an association whose package attribute is missing fails as CloudFormation does, without a call', async () => {
  const calls: string[] = [];
  const player = new CloudFormationPlayer({
    queryIntervalMs: 10,
    handlers: {
      async onEvent(event) {
        calls.push(`${event.RequestType} ${event.LogicalResourceId}`);
        return { PhysicalResourceId: 'F100000001' };
      },
      async isComplete() {
        return { IsComplete: true }; // no Data: the package reports no PackageID
      },
    },
  });

  const outcome = await player.deploy(template({
    Synonyms: { Type: 'Custom::OpenSearchPackage', Properties: { ServiceToken: TOKEN, PackageName: 'synonyms' } },
    OnDomain: association('search-one', { 'Fn::GetAtt': ['Synonyms', 'PackageID'] }),
  }));

  expect(outcome.failures).toEqual([{ logicalId: 'OnDomain', reason: 'CustomResource attribute error: Vendor response doesn\'t contain PackageID key in object of Synonyms' }]);
  expect(calls).toEqual(['Create Synonyms', 'Delete Synonyms']);
});

test('isComplete gets the onEvent answer merged in, at once and then every query interval', async () => {
  const { handlers, calls } = fakeHandlers({ polls: 3 });
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 200 });

  await player.deploy(template({ A: association('search-one', 'F1') }));

  const polls = calls.filter((call) => call.kind === 'isComplete');
  expect(polls).toHaveLength(3);
  expect(polls[0].event).toMatchObject({ RequestType: 'Create', PhysicalResourceId: 'search-one/F1', Count: 0 });
  expect(polls[0].at - calls[0].at).toBeLessThan(150); // not after a first interval
  expect(polls[2].at - polls[1].at).toBeGreaterThanOrEqual(195);
});

test('independent resources run at once; DependsOn waits; delete runs in reverse', async () => {
  const { handlers, calls } = fakeHandlers({ polls: 2 });
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 30 });

  await player.deploy(template({
    A: association('search-one', 'F1'),
    B: association('search-one', 'F2', {}, ['A']),
    C: association('search-two', 'F3'),
  }));
  await player.destroy();

  const order = (type: string) => calls.filter((call) => call.kind === 'onEvent' && call.event.RequestType === type).map((call) => call.event.LogicalResourceId);
  expect(order('Create').slice(0, 2).sort()).toEqual(['A', 'C']);
  expect(order('Create')[2]).toBe('B');
  expect(order('Delete').indexOf('B')).toBeLessThan(order('Delete').indexOf('A'));
});

test('totalTimeout fails the resource with "Operation timed out" and rolls back', async () => {
  const { handlers } = fakeHandlers({ polls: 1000 });
  const progress: ProgressEvent[] = [];
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10, totalTimeoutMs: 50, onProgress: (event) => progress.push(event) });

  const outcome = await player.deploy(template({ A: association('search-one', 'F1') }));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual([{ logicalId: 'A', reason: 'Operation timed out' }]);
  expect(progress.filter((event) => event.logicalId === 'A').map((event) => event.status))
    .toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
});

test('timeoutScale: each Timeout scaled, rounded up to whole seconds (at least 1), in every request of the resource; other values as they are', async () => {
  const { handlers, calls } = fakeHandlers();
  const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10, timeoutScale: 0.07 });
  const version = (marker: string) => template({
    Default: association('search-one', 'F1', { Timeout: 3000, Marker: marker }),
    Short: association('search-two', 'F2', { Timeout: '5' }),
    Invalid: association('search-three', 'F3', { Timeout: '90s' }),
    Unset: association('search-four', 'F4'),
  });

  await player.deploy(version('v1'));
  await player.deploy(version('v2'));
  await player.destroy();

  const timeouts = (logicalId: string) => calls.filter((call) => call.kind === 'onEvent' && call.event.LogicalResourceId === logicalId)
    .map(({ event }) => `${event.RequestType} ${event.ResourceProperties.Timeout} ${event.OldResourceProperties?.Timeout ?? '-'}`);
  // 3000 x 0.07 is 210 (not the 211 that 210.00000000000003 would round up to); the deployed properties are the scaled
  // ones, so an Update's old properties carry the scaled value and an unchanged resource (Short) gets no Update.
  expect(timeouts('Default')).toEqual(['Create 210 -', 'Update 210 210', 'Delete 210 -']);
  expect(timeouts('Short')).toEqual(['Create 1 -', 'Delete 1 -']);
  expect(timeouts('Invalid')).toEqual(['Create 90s -', 'Delete 90s -']);
  expect(timeouts('Unset')).toEqual(['Create undefined -', 'Delete undefined -']);
  expect(() => new CloudFormationPlayer({ handlers, queryIntervalMs: 10, timeoutScale: 0 })).toThrow(RangeError);
});

test('provider framework rules: Data with IsComplete false fails; a Create that failed in onEvent gets no Delete call', async () => {
  const calls: string[] = [];
  const player = new CloudFormationPlayer({
    queryIntervalMs: 10,
    handlers: {
      async onEvent(event) {
        calls.push(`${event.RequestType} ${event.LogicalResourceId}`);
        if (event.LogicalResourceId === 'Invalid') {
          throw new Error('InvalidProperty: PackageID');
        }
        return { PhysicalResourceId: event.LogicalResourceId };
      },
      async isComplete(event) {
        return event.RequestType === 'Delete' ? { IsComplete: true } : { IsComplete: false, Data: { Too: 'early' } };
      },
    },
  });

  const outcome = await player.deploy(template({ Invalid: association('search-one', 'F1'), Early: association('search-two', 'F2') }));

  expect(outcome.status).toBe('ROLLBACK_COMPLETE');
  expect(outcome.failures).toEqual(expect.arrayContaining([
    { logicalId: 'Invalid', reason: 'InvalidProperty: PackageID' },
    { logicalId: 'Early', reason: '"Data" is not allowed if "IsComplete" is "False"' },
  ]));
  expect(calls.filter((call) => call.startsWith('Delete'))).toEqual(['Delete Early']);
});

describe('cross-stack references: outputs read with Fn::ImportValue and Fn::GetStackOutput, exports in use', () => {
  const exporter = (version: string) => ({
    Resources: { Marker: { Type: 'AWS::SNS::Topic', Properties: {} } },
    Outputs: {
      Version: { Value: version, Export: { Name: 'Exporter:Version' } },
      Plain: { Value: { 'Fn::Join': ['-', ['plain', { Ref: 'Marker' }]] } },
    },
  });
  const importer = template({
    Strong: association('search-one', 'F1', { Version: { 'Fn::ImportValue': 'Exporter:Version' } }),
    Weak: association('search-one', 'F2', { Plain: { 'Fn::GetStackOutput': { StackName: 'Exporter', OutputName: 'Plain', Region: { Ref: 'AWS::Region' } } } }),
  });

  /** Two players that see each other's outputs. */
  function pair() {
    const { handlers, calls } = fakeHandlers();
    const players: CloudFormationPlayer[] = [];
    const crossStack = crossStackReferences(() => players.map((player) => player.outputs()));
    const make = (stackName: string) => new CloudFormationPlayer({ handlers, queryIntervalMs: 10, stackName, crossStack });
    players.push(make('Exporter'), make('Importer'));
    return { exporterPlayer: players[0], importerPlayer: players[1], calls };
  }

  test('the importer gets the deployed values; the exporter can neither change nor delete an export in use, then can once it is not', async () => {
    const { exporterPlayer, importerPlayer, calls } = pair();
    await exporterPlayer.deploy(exporter('v1'));
    await importerPlayer.deploy(importer);

    const properties = (id: string) => calls.find((call) => call.event.LogicalResourceId === id)!.event.ResourceProperties;
    expect(properties('Strong').Version).toBe('v1');
    expect(properties('Weak').Plain).toBe('plain-Marker');
    expect(importerPlayer.outputs()?.imports).toEqual(new Set(['Exporter:Version']));

    const changed = await exporterPlayer.deploy(exporter('v2'));
    expect(changed).toMatchObject({ status: 'UPDATE_ROLLBACK_COMPLETE', failures: [{ logicalId: 'Exporter', reason: 'Export Exporter:Version cannot be updated as it is in use by Importer' }] });
    expect(exporterPlayer.outputs()?.exports.get('Exporter:Version')).toBe('v1');
    const deleted = await exporterPlayer.destroy();
    expect(deleted).toMatchObject({ status: 'DELETE_FAILED', failures: [{ logicalId: 'Exporter', reason: 'Export Exporter:Version cannot be deleted as it is in use by Importer' }] });
    expect(exporterPlayer.stackView().status).toBe('UPDATE_ROLLBACK_COMPLETE'); // refused before anything happened

    expect((await importerPlayer.destroy()).status).toBe('DELETE_COMPLETE');
    expect((await exporterPlayer.deploy(exporter('v2'))).status).toBe('UPDATE_COMPLETE');
    expect((await exporterPlayer.destroy()).status).toBe('DELETE_COMPLETE');
  });

  test('an import of nothing exported fails the resource with CloudFormation\'s wording', async () => {
    const { importerPlayer } = pair();

    const outcome = await importerPlayer.deploy(importer);

    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    expect(outcome.failures).toEqual(expect.arrayContaining([
      { logicalId: 'Strong', reason: 'No export named Exporter:Version found' },
      { logicalId: 'Weak', reason: 'Stack with id Exporter does not exist' },
    ]));
  });
});

describe('stackView(): the stack as CloudFormation\'s read API shows it', () => {
  /** `logicalId → "STATUS physicalId"`, '-' for no physical id. */
  const entries = (view: StackView) => Object.fromEntries(view.resources.map((resource) => [resource.logicalId, `${resource.status} ${resource.physicalId ?? '-'}`]));

  /** Fake handlers that take a view of the stack whenever onEvent gets a request matching `when`. */
  function viewingHandlers(when: (event: any) => boolean, options: { failOn?: string } = {}) {
    const { handlers, calls } = fakeHandlers(options);
    const views: StackView[] = [];
    const events: any[] = [];
    let player: CloudFormationPlayer | undefined;
    const viewing: CustomResourceHandlers = {
      async onEvent(event) {
        events.push(event);
        if (when(event)) {
          views.push(player!.stackView());
        }
        return handlers.onEvent(event);
      },
      isComplete: (event) => handlers.isComplete(event),
    };
    const attach = (created: CloudFormationPlayer) => (player = created);
    return { handlers: viewing, views, events, calls, attach };
  }

  test('a create: the association without physical id while in progress, the template\'s other resources CREATE_COMPLETE', async () => {
    const viewing = viewingHandlers((event) => event.RequestType === 'Create');
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10, stackName: 'Viewed' }));
    const before = player.stackView();

    await player.deploy(template({ Synonyms: association('search-one', 'F1') }));

    expect(before).toEqual({ stackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Viewed\//), stackName: 'Viewed', status: 'REVIEW_IN_PROGRESS', resources: [] });
    const [during] = viewing.views;
    expect(during.stackId).toBe(viewing.events[0].StackId);
    expect(during.status).toBe('CREATE_IN_PROGRESS');
    expect(entries(during)).toEqual({ ProviderFramework: 'CREATE_COMPLETE ProviderFramework', Synonyms: 'CREATE_IN_PROGRESS -' });
    expect(during.resources.find((resource) => resource.logicalId === 'Synonyms')).toEqual({ logicalId: 'Synonyms', type: TYPE, status: 'CREATE_IN_PROGRESS' });
    expect(player.stackView().status).toBe('CREATE_COMPLETE');
    expect(entries(player.stackView())).toEqual({ ProviderFramework: 'CREATE_COMPLETE ProviderFramework', Synonyms: 'CREATE_COMPLETE search-one/F1' });
  });

  test('a renamed construct: the Delete of the old logical id runs in cleanup, the new one already CREATE_COMPLETE', async () => {
    const viewing = viewingHandlers((event) => event.RequestType === 'Delete');
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10 }));
    await player.deploy(template({ Synonyms: association('search-one', 'F1'), Plugin: association('search-one', 'G1') }));

    const outcome = await player.deploy(template({ Dictionary: association('search-one', 'F1'), Plugin: association('search-one', 'G1') }));

    expect(outcome.status).toBe('UPDATE_COMPLETE');
    expect(viewing.views).toHaveLength(1);
    expect(viewing.views[0].status).toBe('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(entries(viewing.views[0])).toEqual({
      ProviderFramework: 'CREATE_COMPLETE ProviderFramework',
      Synonyms: 'DELETE_IN_PROGRESS search-one/F1',
      Plugin: 'CREATE_COMPLETE search-one/G1',
      Dictionary: 'CREATE_COMPLETE search-one/F1',
    });
    expect(entries(player.stackView())).toEqual({
      ProviderFramework: 'CREATE_COMPLETE ProviderFramework',
      Plugin: 'CREATE_COMPLETE search-one/G1',
      Dictionary: 'CREATE_COMPLETE search-one/F1',
    });
    expect(player.stackView().status).toBe('UPDATE_COMPLETE');
  });

  test('a replacement: one entry, with the new physical id, while the old one is deleted in cleanup', async () => {
    const viewing = viewingHandlers((event) => event.RequestType !== 'Create');
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10 }));
    await player.deploy(template({ Synonyms: association('search-one', 'F1') }));

    await player.deploy(template({ Synonyms: association('search-one', 'F2') }));

    const [updating, cleaning] = viewing.views;
    expect(updating.status).toBe('UPDATE_IN_PROGRESS');
    expect(entries(updating).Synonyms).toBe('UPDATE_IN_PROGRESS search-one/F1');
    expect(viewing.events.at(-1)).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'search-one/F1' });
    expect(cleaning.status).toBe('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(entries(cleaning).Synonyms).toBe('UPDATE_COMPLETE search-one/F2');
    expect(entries(player.stackView()).Synonyms).toBe('UPDATE_COMPLETE search-one/F2');
  });

  test('a failed create rolls back: ROLLBACK_IN_PROGRESS, the failed resource with the id it reported; nothing listed afterwards', async () => {
    const viewing = viewingHandlers((event) => event.RequestType === 'Delete', { failOn: 'F2' });
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10 }));

    const outcome = await player.deploy(template({ Synonyms: association('search-one', 'F1'), Stopwords: association('search-one', 'F2', {}, ['Synonyms']) }));

    expect(outcome.status).toBe('ROLLBACK_COMPLETE');
    // Reverse dependency order: Stopwords (failed) first, then Synonyms.
    const [first, second] = viewing.views;
    expect(first.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(entries(first)).toEqual({
      ProviderFramework: 'CREATE_COMPLETE ProviderFramework',
      Synonyms: 'CREATE_COMPLETE search-one/F1',
      Stopwords: 'DELETE_IN_PROGRESS search-one/F2',
    });
    expect(entries(second)).toEqual({ ProviderFramework: 'CREATE_COMPLETE ProviderFramework', Synonyms: 'DELETE_IN_PROGRESS search-one/F1' });
    expect(player.stackView()).toMatchObject({ status: 'ROLLBACK_COMPLETE', resources: [] });
  });

  test('a create rejected before any call (missing attribute) is listed CREATE_FAILED until the rollback ends', async () => {
    const progress: Array<{ status: string; listed?: string }> = [];
    const { handlers } = fakeHandlers();
    const player: CloudFormationPlayer = new CloudFormationPlayer({
      handlers,
      queryIntervalMs: 10,
      onProgress: (event) => event.logicalId === 'Broken' && progress.push({ status: event.status, listed: entries(player.stackView()).Broken }),
    });

    await player.deploy(template({
      Synonyms: association('search-one', 'F1'),
      Broken: association('search-one', 'F2', { After: { 'Fn::GetAtt': ['Synonyms', 'Missing'] } }),
    }));

    expect(progress).toEqual([{ status: 'CREATE_FAILED', listed: 'CREATE_FAILED -' }]);
    expect(player.stackView()).toMatchObject({ status: 'ROLLBACK_COMPLETE', resources: [] });
  });

  test.each([
    ['update-current', ['Update search-one/F2']],
    ['update-previous', ['Update search-one/F1']],
    ['delete-only', []],
  ] as const)('a failed update rolls back (%s): the replaced resource restored, then the created one and the replacement\'s new id deleted', async (model, rollbackUpdates) => {
    const viewing = viewingHandlers((event) => event.RequestType === 'Delete', { failOn: 'F3' });
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10, replacementRollback: model }));
    await player.deploy(template({ Synonyms: association('search-one', 'F1') }));
    viewing.events.length = 0;

    const outcome = await player.deploy(template({ Synonyms: association('search-one', 'F2'), Stopwords: association('search-one', 'F3', {}, ['Synonyms']) }));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const requests = viewing.events.map((event) => `${event.RequestType} ${event.PhysicalResourceId ?? event.ResourceProperties.PackageID}`);
    // The update phase, then the rollback's Update back (if any), then its cleanup: Stopwords, then the id Synonyms had during the update.
    expect(requests).toEqual(['Update search-one/F1', 'Create F3', ...rollbackUpdates, 'Delete search-one/F3', 'Delete search-one/F2']);
    const back = viewing.events.find((event, i) => i > 1 && event.RequestType === 'Update');
    expect(back?.ResourceProperties.PackageID ?? 'F1').toBe('F1');
    expect(back?.OldResourceProperties.PackageID ?? 'F2').toBe('F2');
    // While the cleanup deletes, the stack lists the restored id: the handler's claims read it.
    expect(viewing.views.map((view) => `${view.status} ${entries(view).Synonyms}`)).toEqual([
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS UPDATE_COMPLETE search-one/F1',
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS UPDATE_COMPLETE search-one/F1',
    ]);
    expect(entries(player.stackView())).toEqual({ ProviderFramework: 'CREATE_COMPLETE ProviderFramework', Synonyms: 'UPDATE_COMPLETE search-one/F1' });
  });

  test('a failed Update whose FAILED response carries a new id: CloudFormation records it, and the rollback deletes it', async () => {
    const requests: string[] = [];
    const handlers: CustomResourceHandlers = {
      async onEvent(event) {
        requests.push(`${event.RequestType} ${event.PhysicalResourceId ?? '-'}`);
        return { PhysicalResourceId: `${event.ResourceProperties.DomainName}/${event.ResourceProperties.PackageID}` };
      },
      async isComplete(event) {
        if (event.RequestType === 'Update' && event.ResourceProperties.PackageID === 'F2') {
          throw new Error('Timeout: ASSOCIATING for 30 seconds');
        }
        return { IsComplete: true };
      },
    };
    const player = new CloudFormationPlayer({ handlers, queryIntervalMs: 10 });
    await player.deploy(template({ Synonyms: association('search-one', 'F1') }));

    const outcome = await player.deploy(template({ Synonyms: association('search-one', 'F2') }));

    expect(outcome.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(requests).toEqual(['Create -', 'Update search-one/F1', 'Update search-one/F2', 'Delete search-one/F2']);
    expect(player.physicalIds.get('Synonyms')).toBe('search-one/F1');
  });

  test('other resources: a new one listed from the update\'s start, a removed one until the cleanup ends', async () => {
    const viewing = viewingHandlers((event) => event.RequestType === 'Delete');
    const player = viewing.attach(new CloudFormationPlayer({ handlers: viewing.handlers, queryIntervalMs: 10 }));
    const role = { Type: 'AWS::IAM::Role', Properties: { RoleName: 'key-access' } };
    await player.deploy(template({ Role: role, Synonyms: association('search-one', 'F1') }));

    await player.deploy(template({ Topic: { Type: 'AWS::SNS::Topic', Properties: {} }, Dictionary: association('search-one', 'F1') }));

    expect(entries(viewing.views[0])).toMatchObject({ Role: 'CREATE_COMPLETE key-access', Topic: 'CREATE_COMPLETE Topic' });
    expect(entries(player.stackView())).toEqual({
      ProviderFramework: 'CREATE_COMPLETE ProviderFramework',
      Topic: 'CREATE_COMPLETE Topic',
      Dictionary: 'CREATE_COMPLETE search-one/F1',
    });
  });

  test('every progress event finds the view in step; destroy leaves DELETE_COMPLETE, same stack id, its resources DELETE_COMPLETE', async () => {
    const outOfStep: string[] = [];
    const { handlers } = fakeHandlers({ polls: 2 });
    const player: CloudFormationPlayer = new CloudFormationPlayer({
      handlers,
      queryIntervalMs: 10,
      stackName: 'InStep',
      onProgress: (event) => {
        const view = player.stackView();
        const listed = event.logicalId === 'InStep' ? view.status : view.resources.find((resource) => resource.logicalId === event.logicalId)?.status;
        if (listed !== event.status && !(event.status === 'DELETE_COMPLETE' && listed === undefined)) {
          outOfStep.push(`${event.logicalId} ${event.status}: view says ${listed}`);
        }
      },
    });
    const stackId = player.stackView().stackId;

    await player.deploy(template({ A: association('search-one', 'F1'), B: association('search-one', 'F2', {}, ['A']) }));
    // A changes in place (a replacement's old id is deleted apart from the entry, see above); B is renamed C.
    await player.deploy(template({ A: association('search-one', 'F1', { Extra: 'changed' }), C: association('search-one', 'F2', {}, ['A']) }));
    await player.destroy();

    expect(outOfStep).toEqual([]);
    // CloudFormation keeps a deleted stack readable by its id, with what its last template held.
    expect(player.physicalIds.size).toBe(0);
    expect(player.stackView()).toMatchObject({ stackId, stackName: 'InStep', status: 'DELETE_COMPLETE' });
    expect(player.stackView().resources.map((resource) => `${resource.logicalId} ${resource.status}`).sort())
      .toEqual(['A DELETE_COMPLETE', 'C DELETE_COMPLETE', 'ProviderFramework DELETE_COMPLETE']);
  });
});
