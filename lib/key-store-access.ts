import type * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Key-store access for a package association: the AssociatePackage request's
 * `AssociationConfiguration.KeyStoreAccessOption`.
 */
export interface KeyStoreAccess {
  /**
   * Whether the package may use the domain's key store.
   */
  readonly enabled: boolean;

  /**
   * The role the service assumes to read the key store. The association's
   * handler is granted `iam:PassRole` on it.
   *
   * @default - no role is passed
   */
  readonly keyAccessRole?: iam.IRole;
}
