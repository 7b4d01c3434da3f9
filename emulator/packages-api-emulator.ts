/**
 * In-process HTTP emulator of the Amazon OpenSearch Service packages API (restJson1, 2021-01-01):
 * the package lifecycle (create, update, delete, describe, version history), associations with
 * domains one package at a time or a whole set per operation (AssociatePackages,
 * DissociatePackages), the blue/green deployments plugins cost, and DescribeDomain so that a
 * client can tell a busy domain from a refusal.
 * Point the real SDK at it with `AWS_ENDPOINT_URL_OPENSEARCH=<endpoint>` or the client's `endpoint`.
 * Deterministic and timer-free: operations settle lazily from the clock (see domain-model.ts and
 * package-catalogue.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCOUNT_ID, EmulatedAccount, REGION } from './account';
import { accessDenied, ApiError, disabledOperation, MissingPackageAnswer, packageNotFound, validationError } from './api-error';
import type { BlueGreenDeployment } from './blue-green';
import type { Clock } from './clock';
import { AssociationView, CreationAnswer, DomainPackageRecord, InUseOptions, PackagesModel, SeedOptions } from './domain-model';
import { FaultInjector, FaultKind, FaultOptions, LostAnswer, Operation } from './faults';
import { LocalServer, readBody, requestId } from './local-server';
import { AwsPackage, AwsPackageRefusal, EmulatedPackage, PackageCatalogue, PackageRecord } from './package-catalogue';
import { S3Location, SourceObjects } from './package-import';
import { matchesFilters, parseCreateBody, parseDescribeBody, parseUpdateBody, renderPackage, renderVersion } from './package-wire';
import { PageRequest, pageSizeOption, paginate } from './pagination';
import { ScriptedFaults } from './scripted-faults';
import { wrongRegion } from './signing-region';
import {
  parseAssociateBody,
  parseAssociatePackagesBody,
  parseDissociatePackagesBody,
  parseListQuery,
  renderDomainPackage,
  renderDomainStatus,
  validDomainName,
  validPackageId,
} from './wire';

export type { BlueGreenDeployment, PackageOperationKind } from './blue-green';
export { ManualClock } from './clock';
export type { Clock } from './clock';
export type { DomainProcessingStatus } from './domain-activity';
export type { AssociationView, CreationAnswer, DomainPackageStatus, InUseAnswer, InUseOptions, SeedOptions } from './domain-model';
export type { MissingPackageAnswer } from './api-error';
export type { FaultKind, FaultOptions, LostAnswer, Operation } from './faults';
export type { AwsPackage, AwsPackageRefusal, EmulatedPackage, PackageRecord } from './package-catalogue';
export type { S3Location } from './package-import';
export type { ErrorDetails, PackageConfiguration, PackageStatus, PackageType } from './package-shapes';

export interface EmulatorOptions {
  readonly domains: string[];
  /** Packages that exist from the start, AVAILABLE; G-ids are AWS-owned. */
  readonly packages: EmulatedPackage[];
  /** AWS-owned optional plugins (one G-id per name and engine version), AVAILABLE at v1. */
  readonly awsPackages?: AwsPackage[];
  /** The S3 objects packages can be imported from (more with putObject); importing any other ends COPY_FAILED. */
  readonly s3Objects?: S3Location[];
  /** Default 1000: how long CreatePackage and UpdatePackage stay COPYING. */
  readonly copyMs?: number;
  /** Default 1000: how long they then stay VALIDATING. */
  readonly validationMs?: number;
  /** Default 0: DescribePackages lists a deleted package as DELETING this long; every other call answers ResourceNotFoundException at once. */
  readonly deletionMs?: number;
  /**
   * The error UpdatePackage and DeletePackage of an AWS-owned package answer, with the message
   * "Operation not allowed. This package cannot be updated/deleted.". Only the message is known
   * from the field. Default 'ValidationException' (400); 'AccessDeniedException' is a 403.
   */
  readonly awsPackageRefusal?: AwsPackageRefusal;
  /**
   * Default false: UpdatePackage may disable a package's encryption (`EncryptionEnabled: false`). The service
   * documents a new key on UpdatePackage, not whether it accepts disabling: true answers ValidationException.
   */
  readonly refuseEncryptionDisabling?: boolean;
  /**
   * How a call naming a package that does not exist (deleted, or never made) answers. Default
   * 'ResourceNotFoundException' (409, the model's); 'ValidationException' is a 400 "Package not
   * found: <id>", as seen in the field.
   */
  readonly missingPackage?: MissingPackageAnswer;
  /**
   * How DescribePackages answers when its filters match nothing: 'empty' (default) lists nothing;
   * 'error' answers the missing-package error, as Terraform's provider expects it may.
   */
  readonly describeNoMatch?: 'empty' | 'error';
  /**
   * Whether PackageDetails carries PackageOwner (its values are undocumented: the emulator reports
   * 'AWS' or the account id): 'reported' (default), or 'omitted' as in answers without the field.
   */
  readonly packageOwnerField?: 'reported' | 'omitted';
  /**
   * Whether DescribePackages takes a PackageOwner filter ('accepted', default) or answers it with a
   * ValidationException ('rejected'): the filter's values are not documented.
   */
  readonly packageOwnerFilter?: 'accepted' | 'rejected';
  /** Default: real time (Date.now). */
  readonly clock?: Clock;
  /** Default 1000. */
  readonly associationMs?: number;
  /** Default 1000. */
  readonly dissociationMs?: number;
  /**
   * A domain's blue/green deployment time, one for every domain or per domain name. Every package
   * operation (single or batch) that associates or dissociates a ZIP-PLUGIN, PACKAGE-LICENSE or
   * PACKAGE-CONFIG is one blue/green deployment (see blueGreens()), and those packages take this
   * time instead of their own; dictionaries keep theirs, and the operation lasts as long as its
   * longest package. Default (and for a domain the record leaves out): each package's own
   * association or dissociation time.
   */
  readonly blueGreenMs?: number | Readonly<Record<string, number>>;
  /**
   * Operations that answer 409 DisabledOperationException, as in a region without them: for
   * example `['AssociatePackages', 'DissociatePackages']`. Default none.
   */
  readonly disabledOperations?: Operation[];
  /**
   * Default unlimited, as in the service model: AssociatePackages and DissociatePackages with a
   * longer PackageList answer ValidationException. An empty list always does.
   */
  readonly maxPackagesPerCall?: number;
  /** Default 0: after AssociatePackage creates a NEW entry, it is absent from ListPackagesForDomain for this long. */
  readonly listLagMs?: number;
  /** Default 0: after AssociatePackage or DissociatePackage changes an EXISTING entry, the list shows its previous state this long. */
  readonly staleListMs?: number;
  readonly faults?: FaultOptions;
  /** Every call naming one of these domains answers 403 AccessDeniedException. */
  readonly deniedDomains?: string[];
  /** Default and maximum page size: 100 (maxResults is honoured up to it). */
  readonly pageSize?: number;
  /** Default 0: a free port chosen by the system. */
  readonly port?: number;
  /**
   * The account and region the emulator plays, which DescribeDomain's ids and ARNs and the account's
   * packages' owner show: one emulator per account and region, as the service's domains and
   * packages are. Default 123456789012 in us-east-1.
   */
  readonly account?: EmulatedAccount;
  /** Default unlimited: AssociatePackage of a package new to a domain holding this many answers 409 LimitExceededException. */
  readonly maxPackagesPerDomain?: number;
  /**
   * The message of the 409 ConflictException answered while a domain is busy; the service does not
   * document it. Default: `Another package operation is in progress on domain <name>`.
   */
  readonly busyMessage?: string | ((domain: string) => string);
  /** When AssociatePackage answers "already in desired state" (see ModelOptions.desiredState). Default 'exact'. */
  readonly desiredState?: 'exact' | 'version';
  /** The wording of "not associated" (a ValidationException); the real one is only known from the field. */
  readonly notAssociatedMessage?: string;
}

export interface RecordedRequest {
  readonly operation: Operation | 'Unknown';
  readonly domain?: string;
  readonly packageId?: string;
  /** The packages AssociatePackages and DissociatePackages list, in request order. */
  readonly packageIds?: string[];
  /** HTTP status answered; 0 when the connection was dropped without an answer (or the answer was lost). */
  readonly status: number;
  /** The answer the service made and the client never got (see loseNextAnswers). */
  readonly lost?: { readonly how: LostAnswer; readonly status: number; readonly errorType?: string };
  readonly errorType?: string;
  /** Clock time at arrival. */
  readonly time: number;
  /** Parsed JSON body (the raw text when it is not JSON); absent when empty. */
  readonly body?: unknown;
  readonly fault?: FaultKind;
}

interface Route {
  readonly operation: Operation | 'Unknown';
  readonly domain?: string;
  readonly packageId?: string;
  readonly packageIds?: string[];
}

interface RouteDefinition {
  readonly method: string;
  readonly pattern: RegExp;
  readonly operation: Operation;
  /** Names of the pattern's capture groups, in order. */
  readonly params: ReadonlyArray<'domain' | 'packageId'>;
}

interface Reply {
  readonly status: number;
  readonly payload: unknown;
  readonly errorType?: string;
}

interface ParsedBody {
  readonly body?: unknown;
  readonly error?: ApiError;
}

const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', pattern: /^\/2021-01-01\/packages$/, operation: 'CreatePackage', params: [] },
  { method: 'POST', pattern: /^\/2021-01-01\/packages\/update$/, operation: 'UpdatePackage', params: [] },
  { method: 'DELETE', pattern: /^\/2021-01-01\/packages\/([^/]+)$/, operation: 'DeletePackage', params: ['packageId'] },
  { method: 'GET', pattern: /^\/2021-01-01\/packages\/([^/]+)\/history$/, operation: 'GetPackageVersionHistory', params: ['packageId'] },
  { method: 'GET', pattern: /^\/2021-01-01\/packages\/([^/]+)\/domains$/, operation: 'ListDomainsForPackage', params: ['packageId'] },
  {
    method: 'POST',
    pattern: /^\/2021-01-01\/packages\/associate\/([^/]+)\/([^/]+)$/,
    operation: 'AssociatePackage',
    params: ['packageId', 'domain'],
  },
  {
    method: 'POST',
    pattern: /^\/2021-01-01\/packages\/dissociate\/([^/]+)\/([^/]+)$/,
    operation: 'DissociatePackage',
    params: ['packageId', 'domain'],
  },
  { method: 'POST', pattern: /^\/2021-01-01\/packages\/associateMultiple$/, operation: 'AssociatePackages', params: [] },
  { method: 'POST', pattern: /^\/2021-01-01\/packages\/dissociateMultiple$/, operation: 'DissociatePackages', params: [] },
  { method: 'GET', pattern: /^\/2021-01-01\/domain\/([^/]+)\/packages$/, operation: 'ListPackagesForDomain', params: ['domain'] },
  { method: 'POST', pattern: /^\/2021-01-01\/packages\/describe$/, operation: 'DescribePackages', params: [] },
  { method: 'GET', pattern: /^\/2021-01-01\/opensearch\/domain\/([^/]+)$/, operation: 'DescribeDomain', params: ['domain'] },
];

const FAULT_ERRORS: Record<Exclude<FaultKind, 'drop'>, ApiError> = {
  throttle: new ApiError(429, 'ThrottlingException', 'Rate exceeded'),
  internal: new ApiError(500, 'InternalException', 'Internal failure, please retry'),
  unavailable: new ApiError(503, 'ServiceUnavailable', 'Service unavailable, please retry'),
};

const MAX_PAGE_SIZE = 100;
const defaultBusyMessage = (domain: string) => `Another package operation is in progress on domain ${domain}`;
const realTime: Clock = { now: () => Date.now() };

export class PackagesApiEmulator {
  static async start(options: EmulatorOptions): Promise<PackagesApiEmulator> {
    const emulator = new PackagesApiEmulator(options);
    await emulator.server.listen(options.port ?? 0);
    return emulator;
  }

  /** Every request in arrival order, faulted ones included. */
  readonly requests: RecordedRequest[] = [];

  private readonly server: LocalServer;
  private readonly sources: SourceObjects;
  private readonly catalogue: PackageCatalogue;
  private readonly model: PackagesModel;
  private readonly clock: Clock;
  private readonly account: EmulatedAccount;
  private readonly deniedDomains: Set<string>;
  private readonly disabledOperations: ReadonlySet<Operation>;
  private readonly maxPackagesPerCall?: number;
  private readonly pageSize: number;
  private readonly describeOptions: Pick<EmulatorOptions, 'missingPackage' | 'describeNoMatch' | 'packageOwnerField' | 'packageOwnerFilter'>;
  private readonly lostAnswers = new ScriptedFaults<Operation, LostAnswer>();
  private faults?: FaultInjector;

  private constructor(options: EmulatorOptions) {
    this.clock = options.clock ?? realTime;
    this.sources = new SourceObjects(options.s3Objects);
    this.account = options.account ?? { accountId: ACCOUNT_ID, region: REGION };
    this.catalogue = new PackageCatalogue({
      account: this.account.accountId,
      packages: options.packages,
      awsPackages: options.awsPackages ?? [],
      sources: this.sources,
      clock: this.clock,
      copyMs: durationOption('copyMs', options.copyMs),
      validationMs: durationOption('validationMs', options.validationMs),
      deletionMs: durationOption('deletionMs', options.deletionMs, 0),
      awsPackageRefusal: options.awsPackageRefusal ?? 'ValidationException',
      refuseEncryptionDisabling: options.refuseEncryptionDisabling ?? false,
      missingPackage: options.missingPackage ?? 'ResourceNotFoundException',
    });
    this.describeOptions = options;
    this.model = new PackagesModel({
      domains: options.domains,
      catalogue: this.catalogue,
      clock: this.clock,
      associationMs: options.associationMs ?? 1000,
      dissociationMs: options.dissociationMs ?? 1000,
      blueGreenMs: blueGreenOption(options.blueGreenMs),
      listLagMs: options.listLagMs ?? 0,
      staleListMs: options.staleListMs ?? 0,
      maxPackagesPerDomain: countOption('maxPackagesPerDomain', options.maxPackagesPerDomain),
      busyMessage: busyMessageOption(options.busyMessage),
      desiredState: options.desiredState,
      notAssociatedMessage: options.notAssociatedMessage,
    });
    this.deniedDomains = new Set(options.deniedDomains);
    this.disabledOperations = new Set(options.disabledOperations);
    this.maxPackagesPerCall = countOption('maxPackagesPerCall', options.maxPackagesPerCall);
    this.pageSize = pageSizeOption(options.pageSize, MAX_PAGE_SIZE);
    this.setFaults(options.faults);
    this.server = new LocalServer((req, res) => this.handle(req, res));
  }

  /** 'http://127.0.0.1:<port>' */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Requests of that operation (faulted ones included), optionally only those naming a domain / package (a batch names several). */
  count(operation: Operation, filter: { domain?: string; packageId?: string } = {}): number {
    return this.requests.filter(
      (request) =>
        request.operation === operation &&
        (filter.domain === undefined || request.domain === filter.domain) &&
        (filter.packageId === undefined || request.packageId === filter.packageId || request.packageIds?.includes(filter.packageId)),
    ).length;
  }

  /** How many blue/green deployments package operations started on the domain (running ones included). */
  blueGreens(domain: string): number {
    return this.model.blueGreens(domain).length;
  }

  /** The blue/green deployments package operations started on the domain, oldest first, with the packages and times of each. */
  blueGreenDeployments(domain: string): BlueGreenDeployment[] {
    return this.model.blueGreens(domain);
  }

  /** Current settled state, sorted by package id, as ListPackagesForDomain shows it once the list lag has passed. */
  associations(domain: string): AssociationView[] {
    return this.model.associations(domain);
  }

  /** A pre-existing association (default ACTIVE at the package's newest version). */
  seedAssociation(domain: string, packageId: string, options?: SeedOptions): void {
    this.model.seedAssociation(domain, packageId, options);
  }

  /** Like an UpdatePackage that ends AVAILABLE now: domains keep their old version until associated again. */
  publishVersion(packageId: string, version: string): void {
    this.catalogue.publishVersion(packageId, version);
  }

  /** Every package as DescribePackages lists it now, sorted by id. */
  packages(): PackageRecord[] {
    return this.catalogue.describe();
  }

  /** An S3 object CreatePackage and UpdatePackage can import from; the emulator keeps no content. */
  putObject(bucket: string, key: string): void {
    this.sources.put({ bucket, key });
  }

  /**
   * The next validation of that package (by name, so that it can be armed before CreatePackage, or by
   * id) to end fails: VALIDATION_FAILED with these ErrorDetails. A failed copy validates nothing.
   */
  failNextValidation(packageNameOrId: string, errorType: string, errorMessage: string): void {
    this.catalogue.failNextValidation(packageNameOrId, { errorType, errorMessage });
  }

  /** The next association of that package on that domain to settle ends in ASSOCIATION_FAILED. */
  failNextAssociation(domain: string, packageId: string, errorType: string, errorMessage: string): void {
    this.model.failNextAssociation(domain, packageId, { errorType, errorMessage });
  }

  /** The next `count` AssociatePackage calls of that package on that domain are refused with 409 ConflictException and `message`, while the domain stays idle. */
  refuseNextAssociation(domain: string, packageId: string, message: string, count = 1): void {
    this.model.refuseNextAssociation(domain, packageId, message, count);
  }

  /**
   * While in use, the package cannot be dissociated: by default a dissociation ends in DISSOCIATION_FAILED;
   * with `{ answer: 'conflict' }` DissociatePackage answers 409 ConflictException at once and the domain stays idle.
   */
  markInUse(domain: string, packageId: string, inUse: boolean, options?: InUseOptions): void {
    this.model.markInUse(domain, packageId, inUse, options);
  }

  /** Another actor's package operation: the domain is busy for durationMs. */
  startForeignOperation(domain: string, packageId: string, durationMs: number): void {
    this.model.startForeignOperation(domain, packageId, durationMs);
  }

  /**
   * A configuration change (not a package operation) for durationMs: package operations answer the busy
   * ConflictException, ListPackagesForDomain shows nothing in flight, DescribeDomain shows
   * `Processing: true, DomainProcessingStatus: 'Modifying'`.
   */
  startConfigurationChange(domain: string, durationMs: number): void {
    this.model.startDomainChange(domain, 'configuration', durationMs);
  }

  /**
   * The domain is being created for durationMs (a domain created in the same deploy as its packages):
   * DescribeDomain shows `Created: false, Processing: true, DomainProcessingStatus: 'Creating'`, and
   * package operations are refused as `answer` says (default 'conflict', the busy ConflictException).
   */
  startDomainCreation(domain: string, durationMs: number, answer: CreationAnswer = 'conflict'): void {
    this.model.startDomainCreation(domain, durationMs, answer);
  }

  /**
   * An engine version upgrade for durationMs: package operations answer the busy ConflictException,
   * DescribeDomain shows `UpgradeProcessing: true, DomainProcessingStatus: 'UpgradingEngineVersion'`
   * and `Processing` false unless something else runs. Package ids do not change.
   */
  startEngineUpgrade(domain: string, durationMs: number): void {
    this.model.startDomainChange(domain, 'engineUpgrade', durationMs);
  }

  /**
   * The next `count` requests of `operation` take effect, and then their answers are lost (see
   * LostAnswer): a CreatePackage that made its package, whose retry by the SDK meets
   * ResourceAlreadyExistsException.
   */
  loseNextAnswers(operation: Operation, how: LostAnswer, count = 1): void {
    this.lostAnswers.add(how, count, operation);
  }

  /** Replaces the fault options; the PRNG restarts from the new seed. */
  setFaults(faults: FaultOptions | undefined): void {
    this.faults = faults && new FaultInjector(faults);
  }

  denyDomain(domain: string, denied: boolean): void {
    if (denied) {
      this.deniedDomains.add(domain);
    } else {
      this.deniedDomains.delete(domain);
    }
  }

  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = parseBody(await readBody(req));
    const time = this.clock.now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = withBodyNames(matchRoute(req.method ?? '', url.pathname), parsed.body);
    const fault = route.operation === 'Unknown' ? undefined : this.faults?.draw(route.operation);
    const recorded = { ...route, time, ...(parsed.body !== undefined && { body: parsed.body }), ...(fault && { fault }) };
    if (fault === 'drop') {
      this.requests.push({ ...recorded, status: 0 });
      req.socket.destroy();
      return;
    }
    // A faulted request, or one signed for another region, is answered before reaching the model, so it changes no state.
    const refusal = fault ? FAULT_ERRORS[fault] : wrongRegion(req.headers.authorization, this.account.region);
    const reply = refusal ? errorReply(refusal) : this.reply(route, url.searchParams, parsed);
    const lost = refusal || route.operation === 'Unknown' ? undefined : this.lostAnswers.draw(route.operation);
    const answered = lost === 'internal' ? errorReply(FAULT_ERRORS.internal) : reply;
    const lostRecord = lost && { lost: { how: lost, status: reply.status, ...(reply.errorType && { errorType: reply.errorType }) } };
    if (lost === 'reset' || lost === 'silence') {
      this.requests.push({ ...recorded, status: 0, ...lostRecord });
      if (lost === 'reset') {
        req.socket.destroy();
      } // 'silence': the response stays open until the client gives up or the server closes.
      return;
    }
    this.requests.push({ ...recorded, status: answered.status, ...(answered.errorType && { errorType: answered.errorType }), ...lostRecord });
    send(res, answered, requestId(this.requests.length));
  }

  private reply(route: Route, query: URLSearchParams, parsed: ParsedBody): Reply {
    try {
      this.authorize(route);
      if (route.operation !== 'Unknown' && this.disabledOperations.has(route.operation)) {
        throw disabledOperation(`${route.operation} is not supported in this region`);
      }
      if (parsed.error) {
        throw parsed.error;
      }
      return { status: 200, payload: this.execute(route, query, parsed.body) };
    } catch (error) {
      return errorReply(error instanceof ApiError ? error : new ApiError(500, 'InternalException', String(error)));
    }
  }

  private execute(route: Route, query: URLSearchParams, body: unknown): unknown {
    switch (route.operation) {
      case 'AssociatePackage': {
        const domain = validDomainName(route.domain);
        const packageId = validPackageId(route.packageId);
        const [record] = this.model.associate(domain, [{ packageId, ...parseAssociateBody(body) }]);
        return { DomainPackageDetails: renderDomainPackage(record) };
      }
      case 'DissociatePackage': {
        const [record] = this.model.dissociate(validDomainName(route.domain), [validPackageId(route.packageId)]);
        return { DomainPackageDetails: renderDomainPackage(record) };
      }
      case 'AssociatePackages': {
        const request = parseAssociatePackagesBody(body, this.maxPackagesPerCall);
        return { DomainPackageDetailsList: this.model.associate(request.domainName, request.packages).map(renderDomainPackage) };
      }
      case 'DissociatePackages': {
        const request = parseDissociatePackagesBody(body, this.maxPackagesPerCall);
        return { DomainPackageDetailsList: this.model.dissociate(request.domainName, request.packages).map(renderDomainPackage) };
      }
      case 'ListPackagesForDomain': {
        const records = this.model.listForDomain(validDomainName(route.domain));
        return this.domainPackagePage(records, (record) => record.packageId, parseListQuery(query));
      }
      case 'ListDomainsForPackage': {
        const records = this.model.domainsForPackage(validPackageId(route.packageId));
        return this.domainPackagePage(records, (record) => record.domainName, parseListQuery(query));
      }
      case 'DescribePackages':
        return this.describePackages(body);
      case 'CreatePackage':
        return { PackageDetails: this.render(this.catalogue.create(parseCreateBody(body))) };
      case 'UpdatePackage':
        return { PackageDetails: this.render(this.catalogue.update(parseUpdateBody(body))) };
      case 'DeletePackage':
        return { PackageDetails: this.render(this.model.deletePackage(validPackageId(route.packageId))) };
      case 'GetPackageVersionHistory': {
        const packageId = validPackageId(route.packageId);
        // Keyed by position: version names need not sort in the order they were made.
        const versions = this.catalogue.history(packageId).map((version, index) => ({ version, key: String(index).padStart(10, '0') }));
        const page = paginate(versions, (item) => item.key, parseListQuery(query), this.pageSize);
        return {
          PackageID: packageId,
          PackageVersionHistoryList: page.items.map((item) => renderVersion(item.version)),
          ...(page.nextToken && { NextToken: page.nextToken }),
        };
      }
      case 'DescribeDomain':
        return { DomainStatus: renderDomainStatus(this.model.domainStatus(validDomainName(route.domain)), this.account) };
      case 'Unknown':
        throw new ApiError(404, 'UnknownOperationException', 'The requested operation is not supported by this emulator');
    }
  }

  /** With the answer forms the options choose: PackageOwner filter and field, and what matching nothing answers. */
  private describePackages(body: unknown): unknown {
    const { missingPackage = 'ResourceNotFoundException', describeNoMatch = 'empty', packageOwnerFilter = 'accepted' } = this.describeOptions;
    const request = parseDescribeBody(body);
    if (packageOwnerFilter === 'rejected' && request.filters.some((filter) => filter.name === 'PackageOwner')) {
      throw validationError('1 validation error detected: Value at \'filters.member.name\' failed to satisfy constraint: PackageOwner is not a supported filter');
    }
    const packages = this.catalogue.describe().filter((pkg) => matchesFilters(pkg, request.filters));
    if (packages.length === 0 && describeNoMatch === 'error') {
      const id = request.filters.find((filter) => filter.name === 'PackageID')?.values.join(', ');
      throw packageNotFound(id ?? 'no package matches the filters', missingPackage);
    }
    const page = paginate(packages, (pkg) => pkg.id, request, this.pageSize);
    return { PackageDetailsList: page.items.map((pkg) => this.render(pkg)), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  private render(pkg: PackageRecord): unknown {
    return renderPackage(pkg, this.describeOptions.packageOwnerField !== 'omitted');
  }

  private domainPackagePage(records: DomainPackageRecord[], keyOf: (record: DomainPackageRecord) => string, request: PageRequest): unknown {
    const page = paginate(records, keyOf, request, this.pageSize);
    return { DomainPackageDetailsList: page.items.map(renderDomainPackage), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  /** IAM is evaluated on the domain resource the call names (in the path, or the batch calls' body); the package calls name none. */
  private authorize(route: Route): void {
    if (route.domain !== undefined && this.deniedDomains.has(route.domain)) {
      throw accessDenied(`User is not authorized to perform: es:${route.operation} on resource: domain/${route.domain}`);
    }
  }
}

function busyMessageOption(option: EmulatorOptions['busyMessage']): (domain: string) => string {
  if (option === undefined) {
    return defaultBusyMessage;
  }
  return typeof option === 'string' ? () => option : option;
}

function durationOption(name: string, value: number | undefined, fallback = 1000): number {
  const duration = value ?? fallback;
  if (!(duration >= 0)) {
    throw new RangeError(`${name} must be at least 0 ms, got ${value}`);
  }
  return duration;
}

function countOption(name: string, limit: number | undefined): number | undefined {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${limit}`);
  }
  return limit;
}

function blueGreenOption(option: EmulatorOptions['blueGreenMs']): (domain: string) => number | undefined {
  if (option === undefined || typeof option === 'number') {
    const duration = option === undefined ? undefined : durationOption('blueGreenMs', option);
    return () => duration;
  }
  const durations = new Map(Object.entries(option).map(([domain, ms]) => [domain, durationOption(`blueGreenMs.${domain}`, ms)]));
  return (domain) => durations.get(domain);
}

function matchRoute(method: string, path: string): Route {
  for (const definition of ROUTES) {
    const match = method === definition.method ? definition.pattern.exec(path) : null;
    if (match) {
      const params = Object.fromEntries(definition.params.map((name, index) => [name, decodeSegment(match[index + 1] ?? '')]));
      return { operation: definition.operation, ...params };
    }
  }
  return { operation: 'Unknown' };
}

/**
 * UpdatePackage names its package, and the batch calls their domain and packages, in the body:
 * recorded like the names in paths, so that count() can filter on them and deniedDomains applies.
 * Read as sent, before any validation.
 */
function withBodyNames(route: Route, body: unknown): Route {
  if (typeof body !== 'object' || body === null) {
    return route;
  }
  const input = body as { PackageID?: unknown; DomainName?: unknown; PackageList?: unknown };
  switch (route.operation) {
    case 'UpdatePackage':
      return typeof input.PackageID === 'string' ? { ...route, packageId: input.PackageID } : route;
    case 'AssociatePackages':
    case 'DissociatePackages':
      return {
        ...route,
        ...(typeof input.DomainName === 'string' && { domain: input.DomainName }),
        ...(Array.isArray(input.PackageList) && { packageIds: input.PackageList.flatMap(listedPackageId) }),
      };
    default:
      return route;
  }
}

/** An item of PackageList: an id (DissociatePackages) or an object with PackageID (AssociatePackages). */
function listedPackageId(item: unknown): string[] {
  const id = typeof item === 'object' && item !== null ? (item as { PackageID?: unknown }).PackageID : item;
  return typeof id === 'string' ? [id] : [];
}

/** A segment that is not valid percent-encoding is kept as is: the parameter validation rejects it. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseBody(text: string): ParsedBody {
  if (text.trim() === '') {
    return {};
  }
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { body: text, error: validationError('The request body is not valid JSON') };
  }
}

function errorReply(error: ApiError): Reply {
  return { status: error.status, errorType: error.type, payload: { __type: error.type, message: error.message } };
}

function send(res: ServerResponse, reply: Reply, id: string): void {
  const text = JSON.stringify(reply.payload);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': id,
    ...(reply.errorType && { 'x-amzn-ErrorType': reply.errorType }),
  });
  res.end(text);
}
