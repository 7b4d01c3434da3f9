import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PackagesProviderOptions } from './association-provider';
import { configureProvider } from './provider-configuration';
import { useProviderOf } from './provider-sharing';

/**
 * The custom resource provider (Lambda functions, a Step Functions waiter,
 * log groups) behind every resource of this library: packages, plugin
 * lookups, associations and package sets.
 *
 * By default each stack builds its own provider with its first such resource.
 * `configure` sets how a stack's provider is built; `useProviderOf` lets a
 * stack use the provider of another stack of the app instead of building one.
 */
export class PackagesProvider {
  /**
   * Sets how the provider of `scope`'s stack is built: its VPC, subnets and
   * security groups, and whether its log groups are removed with the stack.
   * Call it before the first resource of this library that uses the provider
   * (in this stack, or in a stack that uses this stack's provider); a second
   * call with other settings, or a call with other settings than the
   * defaults after such a resource was created, is an error, as is a call
   * for a stack that uses another stack's provider.
   *
   * @param scope a construct of the stack whose provider is configured
   * @param options how the provider is built
   */
  public static configure(scope: IConstruct, options: PackagesProviderOptions): void {
    configureProvider(scope, options);
  }

  /**
   * Makes the resources of `scope`'s stack use the provider of
   * `providerStack` (building it there if needed) instead of a provider of
   * their own: the stack gets no Lambda function, role or log group of this
   * library, only policies that it attaches to the shared handler role, for
   * its own domains, packages and stack. It then refers to `providerStack`
   * (the service token and the role's name, exported by `providerStack`), so
   * it deploys after it, and `providerStack` cannot be deleted, nor its
   * provider removed, while the stack uses it.
   *
   * Call it before the stack's first resource of this library. Decide it
   * before the stack's first deploy: CloudFormation does not let a custom
   * resource change its service token, so moving a deployed stack to
   * another provider (or back to its own) fails its update. Both stacks must
   * be of the same stage, account and region; the provider's stack cannot
   * itself use another stack's provider. All domains and packages of the
   * stacks that share one provider count against the handler role's
   * inline-policy limit (10,240 characters), which synthesis checks.
   *
   * @param scope a construct of the stack whose resources use the shared provider
   * @param providerStack the stack that holds the provider
   */
  public static useProviderOf(scope: IConstruct, providerStack: Stack): void {
    useProviderOf(scope, providerStack);
  }

  private constructor() {}
}
