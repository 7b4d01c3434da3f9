/** A domain and a package: what one association is about, and what a failure names. */
export interface PackagePair {
  readonly domainName: string;
  readonly packageId: string;
}
