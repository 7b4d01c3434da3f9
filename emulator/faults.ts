/** Operations of the OpenSearch API that the emulator serves: the packages API, and DescribeDomain. */
export type Operation =
  | 'AssociatePackage'
  | 'DissociatePackage'
  | 'AssociatePackages'
  | 'DissociatePackages'
  | 'ListPackagesForDomain'
  | 'ListDomainsForPackage'
  | 'DescribePackages'
  | 'CreatePackage'
  | 'UpdatePackage'
  | 'DeletePackage'
  | 'GetPackageVersionHistory'
  | 'DescribeDomain';

/**
 * 'throttle' → 429 ThrottlingException, 'internal' → 500 InternalException,
 * 'unavailable' → 503 ServiceUnavailable, 'drop' → socket destroyed without an answer.
 */
export type FaultKind = 'throttle' | 'internal' | 'unavailable' | 'drop';

/**
 * An answer lost after the service acted on the request: 'reset' → the connection is destroyed once
 * the request has taken effect; 'silence' → it takes effect and is never answered (the client's
 * request timeout ends it); 'internal' → it takes effect and is answered 500 InternalException.
 * Armed explicitly (PackagesApiEmulator.loseNextAnswers), never drawn at random.
 */
export type LostAnswer = 'reset' | 'silence' | 'internal';

export interface FaultOptions {
  /** Probability in [0, 1] that a matching request is faulted. */
  readonly rate: number;
  /** Kinds to choose from (uniformly); default all four. */
  readonly kinds?: FaultKind[];
  /** PRNG seed; default 1. */
  readonly seed?: number;
  /** Operations that may be faulted; default all. */
  readonly operations?: Operation[];
}

const ALL_KINDS: readonly FaultKind[] = ['throttle', 'internal', 'unavailable', 'drop'];

/** Decides, reproducibly for a given seed and request sequence, which requests fail and how. */
export class FaultInjector {
  private readonly random: () => number;
  private readonly kinds: readonly FaultKind[];

  constructor(private readonly options: FaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) {
      throw new RangeError(`Fault rate must be within [0, 1], got ${options.rate}`);
    }
    this.kinds = options.kinds ?? ALL_KINDS;
    if (this.kinds.length === 0) {
      throw new RangeError('Fault kinds must not be empty');
    }
    this.random = mulberry32(options.seed ?? 1);
  }

  /** The fault to inject into this request, if any. */
  draw(operation: Operation): FaultKind | undefined {
    if (this.options.operations && !this.options.operations.includes(operation)) {
      return undefined;
    }
    if (this.random() >= this.options.rate) {
      return undefined;
    }
    return this.kinds[Math.floor(this.random() * this.kinds.length)];
  }
}

/** Small, well-known 32-bit PRNG: deterministic and good enough for fault injection. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
