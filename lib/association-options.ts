import { Annotations, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { OPERATION_TIMEOUT_RANGE } from './association-provider';
import { keyAccessRoleArnProblem } from './association-rules';
import type { KeyStoreAccess } from './key-store-access';
import { synthError } from './synth-error';

/**
 * What a single association and a set of packages (DomainPackages) share:
 * the checks of their common properties (timeout, removal policy, key-store
 * access) and how key-store access is rendered.
 */

/** Removal policies a custom resource can carry. */
const REMOVAL_POLICIES: readonly RemovalPolicy[] = [RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** Fails with the property's name and value when `problem` finds one; tokens are left to the handler. */
export function checkValue(scope: IConstruct, property: string, value: string, problem: (value: string) => string | undefined): void {
  const found = Token.isUnresolved(value) ? undefined : problem(value);
  if (found) {
    throw synthError(scope, `invalid ${property}`, found);
  }
}

/** The options both constructs take: timeout, removal policy, and the key-access role's ARN. */
export function validateOperationOptions(scope: IConstruct, options: {
  readonly timeout?: Duration; readonly removalPolicy?: RemovalPolicy; readonly keyStoreAccess?: KeyStoreAccess;
}): void {
  const role = options.keyStoreAccess?.keyAccessRole;
  if (role) {
    checkValue(scope, 'keyStoreAccess.keyAccessRole', role.roleArn, keyAccessRoleArnProblem);
  }
  validateTimeout(scope, options.timeout);
  if (options.removalPolicy !== undefined && !REMOVAL_POLICIES.includes(options.removalPolicy)) {
    throw synthError(scope, 'invalid removalPolicy', `'${options.removalPolicy}' must be one of ${REMOVAL_POLICIES.join(', ')}`);
  }
}

/** A literal between 1 minute and 12 hours (above 55 minutes a WaitCondition waits), in whole seconds: the handler counts seconds. */
function validateTimeout(scope: IConstruct, timeout: Duration | undefined): void {
  if (timeout === undefined) {
    return;
  }
  if (timeout.isUnresolved()) {
    throw synthError(scope, 'invalid timeout', `'${timeout}' must be a literal duration, not a token`);
  }
  const { min, max } = OPERATION_TIMEOUT_RANGE;
  const seconds = timeout.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min.toSeconds() || seconds > max.toSeconds()) {
    throw synthError(scope, 'invalid timeout', `'${seconds} seconds' must be whole seconds from ${min.toHumanString()} to ${max.toHumanString()}`);
  }
}

/**
 * A role is passed only when key-store access is enabled: the service has no
 * use for it otherwise, and the handler then needs no iam:PassRole.
 */
export function effectiveKeyStoreAccess(scope: IConstruct, access: KeyStoreAccess | undefined): KeyStoreAccess | undefined {
  if (access && !access.enabled && access.keyAccessRole) {
    Annotations.of(scope).addWarningV2('cdk-opensearch-packages:keyAccessRoleIgnored',
      'keyStoreAccess.keyAccessRole is not sent while keyStoreAccess.enabled is false');
    return { enabled: false };
  }
  return access;
}

/** `AssociationConfiguration` as the service takes it. */
export function renderAssociationConfiguration(access: KeyStoreAccess | undefined) {
  return access && {
    KeyStoreAccessOption: {
      KeyStoreAccessEnabled: access.enabled,
      KeyAccessRoleArn: access.keyAccessRole?.roleArn,
    },
  };
}
