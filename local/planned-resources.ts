/**
 * What the played resources of an app's stacks name before anything is deployed: each
 * association's domain and package, each package set's (DomainPackages) domain and packages,
 * each package's name, type and source object, each lookup's plugin. The emulator is seeded from it (emulator-fixture.ts) and the progress table lists it.
 *
 * Properties are resolved as far as templates tell: literals, fake values of resources created
 * instantly, and other stacks' outputs of that kind. What a handler answers (a package's id, read
 * with Fn::GetAtt, directly or through an export) is unknown until the deploy: left out.
 */
import { fakeStackId } from './custom-resource-events';
import { ResolveContext, resolveValue, StackOutputs } from './intrinsics';
import { DEFAULT_ENVIRONMENT, environmentName, StackEnvironment } from './stack-environment';
import { resolveContext } from './stack-state';
import { ASSOCIATION_TYPE, LOOKUP_TYPE, PACKAGE_SET_TYPE, PACKAGE_TYPE, parseTemplate, StackTemplate, TemplateResource } from './stack-template';
import type { S3Location } from '../emulator/packages-api-emulator';

/** A stack to plan: its name (imports and Fn::GetStackOutput name it) and template. */
export interface PlannedStack {
  readonly name: string;
  readonly template: unknown;
  /** Where the stack deploys: its `AWS::Region` and `AWS::AccountId`. @default DEFAULT_ENVIRONMENT */
  readonly environment?: StackEnvironment;
}

/** A package of a domain: an association, or an entry of a package set's PackageList. */
export interface PlannedPlacement {
  readonly domain: string;
  /** Absent when read from another resource (a package or lookup of the app): known once it exists. */
  readonly packageId?: string;
  readonly prerequisites: string[];
  /** A readable name from the construct id, e.g. `plugin-license`. */
  readonly name: string;
}

/** A `Custom::OpenSearchPackageAssociation`. */
export interface PlannedAssociation extends PlannedPlacement {
  readonly logicalId: string;
}

/** A `Custom::OpenSearchDomainPackages`: one domain's set of packages, associated in one call. */
export interface PlannedPackageSet {
  readonly logicalId: string;
  readonly domain: string;
  /** PackageList's entries, in order, each named after its PackageKeys entry (the package's construct id). */
  readonly entries: PlannedPlacement[];
}

export interface PlannedPackage {
  readonly logicalId: string;
  readonly name: string;
  readonly type: string;
  /** The object CreatePackage and UpdatePackage import from; absent when not resolvable before the deploy. */
  readonly source?: S3Location;
}

export interface PlannedLookup {
  readonly logicalId: string;
  /** The AWS-owned plugin's name, e.g. `analysis-nori`. */
  readonly name: string;
  readonly engineVersion: string;
}

export interface PlannedResources {
  readonly associations: PlannedAssociation[];
  readonly packageSets: PlannedPackageSet[];
  readonly packages: PlannedPackage[];
  readonly lookups: PlannedLookup[];
}

/** Resolves one resource property, or a value found in one; undefined when it is not known before the deploy. */
interface PropertyReader {
  (resource: TemplateResource, key: string): unknown;
  value(raw: unknown): unknown;
}

export class ResourcePlanner {
  private readonly parsed: ReadonlyArray<{ readonly name: string; readonly template: StackTemplate; readonly environment: StackEnvironment }>;

  constructor(stacks: readonly PlannedStack[]) {
    this.parsed = stacks.map((stack) => ({
      name: stack.name, template: parseTemplate(stack.template), environment: stack.environment ?? DEFAULT_ENVIRONMENT,
    }));
  }

  /** The played resources of one stack; its imports read the planner's stacks. */
  plan(stack: PlannedStack): PlannedResources {
    return this.planParsed(stack.name, parseTemplate(stack.template), stack.environment ?? DEFAULT_ENVIRONMENT);
  }

  /** Every stack's played resources together; only those of `environment` when given (its account and region). */
  planAll(environment?: StackEnvironment): PlannedResources {
    const plans = this.parsed
      .filter((stack) => !environment || environmentName(stack.environment) === environmentName(environment))
      .map((stack) => this.planParsed(stack.name, stack.template, stack.environment));
    return {
      associations: plans.flatMap((plan) => plan.associations),
      packageSets: plans.flatMap((plan) => plan.packageSets),
      packages: plans.flatMap((plan) => plan.packages),
      lookups: plans.flatMap((plan) => plan.lookups),
    };
  }

  private planParsed(stackName: string, template: StackTemplate, environment: StackEnvironment): PlannedResources {
    const read = this.reader(stackName, template, environment);
    const ofType = (type: string) => [...template.resources.values()].filter((resource) => resource.type === type);
    return {
      associations: ofType(ASSOCIATION_TYPE).flatMap((resource) => plannedAssociation(resource, read)),
      packageSets: ofType(PACKAGE_SET_TYPE).flatMap((resource) => plannedPackageSet(resource, read)),
      packages: ofType(PACKAGE_TYPE).flatMap((resource) => plannedPackage(resource, read)),
      lookups: ofType(LOOKUP_TYPE).flatMap((resource) => plannedLookup(resource, read)),
    };
  }

  private reader(stackName: string, template: StackTemplate, environment: StackEnvironment): PropertyReader {
    const context = this.context(stackName, template, environment);
    const value = (raw: unknown) => {
      try {
        return resolveValue(raw, context);
      } catch {
        return undefined; // resolvable only once other resources exist
      }
    };
    return Object.assign((resource: TemplateResource, key: string) => value(resource.properties[key]), { value });
  }

  /** Nothing is deployed: a played resource's attribute throws, as the handler has not answered yet. */
  private context(stackName: string, template: StackTemplate, environment: StackEnvironment): ResolveContext {
    return resolveContext({ stackName, stackId: fakeStackId(stackName, environment) }, template, new Map(), this.outputs());
  }

  /** Other stacks' outputs, resolved in their own template: literal or instant values only (a handler's attribute throws). */
  private outputs(): StackOutputs {
    const valueOf = (stackName: string, outputName: string): string => {
      const stack = this.parsed.find((candidate) => candidate.name === stackName);
      const output = stack?.template.outputs.get(outputName);
      if (!stack || !output) {
        throw new Error(`no output ${outputName} in stack ${stackName}`);
      }
      return String(resolveValue(output.value, this.context(stackName, stack.template, stack.environment)));
    };
    return {
      stackOutput: valueOf,
      importValue: (exportName) => {
        for (const stack of this.parsed) {
          for (const [outputName, output] of stack.template.outputs) {
            if (output.exportName === exportName) {
              return valueOf(stack.name, outputName);
            }
          }
        }
        throw new Error(`No export named ${exportName} found`);
      },
    };
  }
}

function plannedAssociation(resource: TemplateResource, read: PropertyReader): PlannedAssociation[] {
  const domain = read(resource, 'DomainName');
  if (typeof domain !== 'string') {
    return [];
  }
  const packageId = read(resource, 'PackageID');
  return [{
    logicalId: resource.logicalId,
    domain,
    ...(typeof packageId === 'string' && { packageId }),
    prerequisites: knownIds(resource.properties.PrerequisitePackageIDList, read),
    name: nameOf(resource, typeof packageId === 'string' ? packageId : resource.logicalId),
  }];
}

function plannedPackageSet(resource: TemplateResource, read: PropertyReader): PlannedPackageSet[] {
  const domain = read(resource, 'DomainName');
  if (typeof domain !== 'string') {
    return [];
  }
  // Entry by entry: a package id read from a package of the app is unknown, its neighbours' are not.
  const raw = resource.properties.PackageList;
  const list = Array.isArray(raw) ? raw : read(resource, 'PackageList');
  const keys = read(resource, 'PackageKeys');
  type Entry = { PackageID?: unknown; PrerequisitePackageIDList?: unknown } | undefined;
  const entries = (Array.isArray(list) ? list : []).map((entry: Entry, i): PlannedPlacement => {
    const packageId = read.value(entry?.PackageID);
    const key = Array.isArray(keys) && typeof keys[i] === 'string' ? keys[i] : undefined;
    return {
      domain,
      ...(typeof packageId === 'string' && { packageId }),
      prerequisites: knownIds(entry?.PrerequisitePackageIDList, read),
      name: key ? kebabCase(key) : `package-${typeof packageId === 'string' ? packageId.toLowerCase() : `${resource.logicalId.toLowerCase()}-${i + 1}`}`,
    };
  });
  return [{ logicalId: resource.logicalId, domain, entries }];
}

/** The ids of a list known before the deploy, item by item (one read from a package of the app is not). */
function knownIds(raw: unknown, read: PropertyReader): string[] {
  const list = Array.isArray(raw) ? raw : read.value(raw);
  return Array.isArray(list) ? list.map((item) => read.value(item)).filter((id): id is string => typeof id === 'string') : [];
}

/** Every package placed on a domain: each association's, and each entry of each package set. */
export function plannedPlacements(planned: PlannedResources): PlannedPlacement[] {
  return [...planned.associations, ...planned.packageSets.flatMap((set) => set.entries)];
}

function plannedPackage(resource: TemplateResource, read: PropertyReader): PlannedPackage[] {
  const name = read(resource, 'PackageName');
  if (typeof name !== 'string') {
    return [];
  }
  const source = read(resource, 'PackageSource') as { S3BucketName?: unknown; S3Key?: unknown } | undefined;
  const bucket = source?.S3BucketName;
  const key = source?.S3Key;
  return [{
    logicalId: resource.logicalId,
    name,
    type: String(read(resource, 'PackageType') ?? ''),
    ...(typeof bucket === 'string' && typeof key === 'string' && { source: { bucket, key } }),
  }];
}

function plannedLookup(resource: TemplateResource, read: PropertyReader): PlannedLookup[] {
  const name = read(resource, 'PackageName');
  const engineVersion = read(resource, 'EngineVersion');
  return typeof name === 'string' && typeof engineVersion === 'string' ? [{ logicalId: resource.logicalId, name, engineVersion }] : [];
}

/** `OpenSearchPackagesExample/PluginLicense/Resource/Default` → `plugin-license`. */
function nameOf(resource: TemplateResource, fallback: string): string {
  // The association construct's id: the segment before `Resource/Default`.
  const segment = resource.cdkPath?.split('/').slice(-3)[0];
  return segment ? kebabCase(segment) : `package-${fallback.toLowerCase()}`;
}

/** `PluginLicense` → `plugin-license`. */
function kebabCase(constructId: string): string {
  return constructId.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
