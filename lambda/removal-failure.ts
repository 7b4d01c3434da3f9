/**
 * What a failed removal tells the user. The service refuses to remove a
 * package an index still uses; CloudFormation then fails the Delete, but in
 * its cleanup phase (a package that left the stack in an update) it does not
 * fail the deploy, reports the DELETE_FAILED only in the stack's events and
 * never tries again. So the message says how to finish by hand.
 */
export function inUseAdvice(domainName: string, packageIds: readonly string[]): string {
  return 'likely cause: an index still uses the package. Remove it from the index settings, then delete again; after an update '
    + '(the stack ended UPDATE_COMPLETE, and CloudFormation does not retry its cleanup) dissociate it by hand: '
    + `aws opensearch dissociate-packages --domain-name ${domainName} --package-list ${packageIds.join(' ')}`;
}
