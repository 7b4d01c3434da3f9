import type { AssociatePackageCommandInput } from '@aws-sdk/client-opensearch';
import { HandlerFailure } from './handler-failure';
import type { PackagePair } from './package-pair';
import { domainNameProblem, keyAccessRoleArnProblem, packageIdProblem } from '../lib/association-rules';

/** A domain and a package: what one association is about. */
export type { PackagePair } from './package-pair';

/** An association as the resource's properties describe it, validated and typed. */
export interface AssociationRequest extends PackagePair {
  readonly prerequisites: string[];
  readonly keyStoreAccess?: { readonly enabled: boolean; readonly roleArn?: string };
  readonly packageVersion?: string;
  /**
   * A fingerprint of the content of a package another stack creates: the
   * association follows the package's newest version (see package-revision.ts).
   */
  readonly packageRevision?: string;
}

type Properties = Record<string, unknown>;

/**
 * Reads the custom resource's properties. CloudFormation passes every scalar
 * as a string, so booleans arrive as "true"/"false". Throws before any call to
 * the service when a property is invalid.
 */
export function parseAssociationRequest(properties: Properties | undefined): AssociationRequest {
  const props = properties ?? {};
  const pair = {
    domainName: requiredString(props, 'DomainName'),
    packageId: requiredString(props, 'PackageID'),
  };
  const invalid = (property: string, problem: string) => new HandlerFailure('InvalidProperty', `${property}: ${problem}`, pair);

  const domainProblem = domainNameProblem(pair.domainName);
  if (domainProblem) throw invalid('DomainName', domainProblem);
  const packageProblem = packageIdProblem(pair.packageId);
  if (packageProblem) throw invalid('PackageID', packageProblem);

  return {
    ...pair,
    prerequisites: parsePrerequisites(props.PrerequisitePackageIDList, pair, invalid),
    keyStoreAccess: parseKeyStoreAccess(props.AssociationConfiguration, invalid),
    packageVersion: optionalString(props.PackageVersion),
    packageRevision: optionalString(props.PackageRevision),
  };
}

/** The AssociatePackage input for `request`. */
export function associatePackageInput(request: AssociationRequest): AssociatePackageCommandInput {
  const access = request.keyStoreAccess;
  return {
    DomainName: request.domainName,
    PackageID: request.packageId,
    PrerequisitePackageIDList: request.prerequisites.length > 0 ? request.prerequisites : undefined,
    AssociationConfiguration: access && {
      KeyStoreAccessOption: { KeyStoreAccessEnabled: access.enabled, KeyAccessRoleArn: access.roleArn },
    },
  };
}

/**
 * Whether two requests would send the service the same AssociatePackage call
 * for the same version: the same revision, for a package followed by revision
 * (its version is read at run time, and only a new revision asks for a new one).
 */
export function sameAssociation(a: AssociationRequest, b: AssociationRequest): boolean {
  const sameVersion = a.packageRevision !== undefined || b.packageRevision !== undefined
    ? a.packageRevision === b.packageRevision
    : a.packageVersion === b.packageVersion;
  return JSON.stringify(associatePackageInput(a)) === JSON.stringify(associatePackageInput(b)) && sameVersion;
}

type Invalid = (property: string, problem: string) => HandlerFailure;

function parsePrerequisites(value: unknown, pair: PackagePair, invalid: Invalid): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string')) {
    throw invalid('PrerequisitePackageIDList', `${JSON.stringify(value)} must be a list of package ids`);
  }
  value.forEach((id: string, i) => {
    const problem = packageIdProblem(id);
    if (problem) throw invalid('PrerequisitePackageIDList', problem);
    if (id === pair.packageId) throw invalid('PrerequisitePackageIDList', `'${id}' is the package itself`);
    if (value.indexOf(id) !== i) throw invalid('PrerequisitePackageIDList', `'${id}' is listed twice`);
  });
  return value;
}

function parseKeyStoreAccess(value: unknown, invalid: Invalid): AssociationRequest['keyStoreAccess'] {
  if (value === undefined) return undefined;
  const option = isObject(value) ? value.KeyStoreAccessOption : undefined;
  if (!isObject(option)) {
    throw invalid('AssociationConfiguration', `${JSON.stringify(value)} must be { KeyStoreAccessOption: { KeyStoreAccessEnabled, KeyAccessRoleArn? } }`);
  }
  const enabled = parseBoolean(option.KeyStoreAccessEnabled);
  if (enabled === undefined) {
    throw invalid('KeyStoreAccessEnabled', `${JSON.stringify(option.KeyStoreAccessEnabled)} must be true or false`);
  }
  const roleArn = option.KeyAccessRoleArn;
  if (roleArn !== undefined) {
    const problem = typeof roleArn === 'string' ? keyAccessRoleArnProblem(roleArn) : `${JSON.stringify(roleArn)} must be a string`;
    if (problem) throw invalid('KeyAccessRoleArn', problem);
  }
  return { enabled, roleArn: roleArn as string | undefined };
}

function parseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function requiredString(props: Properties, name: string): string {
  const value = props[name];
  if (typeof value !== 'string' || value === '') {
    throw new HandlerFailure('InvalidProperty', `${name}: ${JSON.stringify(value)} must be a non-empty string`);
  }
  return value;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
