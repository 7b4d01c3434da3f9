import * as crypto from 'crypto';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { IConstruct } from 'constructs';
import { DomainPackageAssociation } from './domain-package-association';
import type { KeyStoreAccess } from './key-store-access';
import { waitForLongWaitOf } from './long-wait';
import { synthError } from './synth-error';

/** Options of `associateWith`: those of a `DomainPackageAssociation` other than the domain and package. */
export interface AssociateWithOptions {
  /**
   * Associations on the same domain that must be ACTIVE first.
   *
   * @default - no prerequisites
   */
  readonly prerequisites?: DomainPackageAssociation[];

  /**
   * Key-store access for the package.
   *
   * @default - no association configuration is sent
   */
  readonly keyStoreAccess?: KeyStoreAccess;

  /**
   * How long one operation may take: from 1 minute to 12 hours, above 55
   * minutes on a WaitCondition (see `DomainPackageAssociationProps.timeout`).
   *
   * @default Duration.minutes(50)
   */
  readonly timeout?: Duration;

  /**
   * What happens to the association when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The associations made with `associateWith`, per package and domain object. */
const MADE = new WeakMap<IConstruct, Map<opensearch.IDomain, DomainPackageAssociation>>();

/**
 * The association of `pkg` with `domain`, a child of the package whose id
 * derives from the domain's construct id (never from a token or the stack
 * name: an id that changed between deploys would replace the association).
 * `packageVersion`, when given, is the exact version the domain must run.
 */
export function associationOf(
  pkg: IConstruct & { readonly packageId: string },
  domain: opensearch.IDomain,
  options: AssociateWithOptions,
  packageVersion?: string,
): DomainPackageAssociation {
  const made = MADE.get(pkg) ?? new Map<opensearch.IDomain, DomainPackageAssociation>();
  MADE.set(pkg, made);
  const twin = made.get(domain);
  if (twin) {
    throw synthError(pkg, 'associateWith', `the package is already associated with ${domain.node.path} by ${twin.node.path}`);
  }
  const association = new DomainPackageAssociation(pkg, childId(pkg, domain), {
    ...options,
    domain,
    packageId: pkg.packageId,
    packageVersion,
  });
  // The package's id is known before a long validation ends: the association waits for the package's condition.
  waitForLongWaitOf(association, pkg);
  made.set(domain, association);
  return association;
}

/** `Domain-<domain id>`, or with a hash of the domain's path when another domain of that id came first. */
function childId(pkg: IConstruct, domain: opensearch.IDomain): string {
  const id = `Domain-${domain.node.id}`;
  if (!pkg.node.tryFindChild(id)) {
    return id;
  }
  const below = domain.node.scopes.slice(1).map((scope) => scope.node.id).join('/');
  return `${id}-${crypto.createHash('sha256').update(below).digest('hex').slice(0, 8)}`;
}
