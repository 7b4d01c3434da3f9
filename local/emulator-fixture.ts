/**
 * The emulator's domains and packages for a local deploy: guessed from the templates'
 * associations, or read from a fixture file.
 */
import * as fs from 'node:fs';
import type { DomainPackageStatus, EmulatedPackage, PackageType } from '../emulator/packages-api-emulator';
import { resolveValue } from './intrinsics';
import { resolveContext } from './stack-state';
import { ASSOCIATION_TYPE, parseTemplate, StackTemplate, TemplateResource } from './stack-template';

/** The fixture file's format (`--fixture <file>`); every field but domains and packages is optional. */
export interface EmulatorFixture {
  readonly domains: string[];
  readonly packages: EmulatedPackage[];
  /** Default association / dissociation time of the emulator, in ms. */
  readonly associationMs?: number;
  readonly dissociationMs?: number;
  /** A new association is missing from ListPackagesForDomain for this long. */
  readonly listLagMs?: number;
  /** Associations that exist before the deploy (the handler adopts them). */
  readonly associations?: Array<{ domain: string; packageId: string; status?: DomainPackageStatus; version?: string }>;
  /** Domains that a configuration change keeps busy from the start of the run (as `--busy`). */
  readonly busy?: BusyDomain[];
}

/** A domain busy with a configuration change for `ms` from the start: package operations answer a conflict. */
export interface BusyDomain {
  readonly domain: string;
  readonly ms: number;
}

export interface PlannedAssociation {
  readonly logicalId: string;
  readonly domain: string;
  readonly packageId: string;
  readonly prerequisites: string[];
  /** A readable name from the construct path, e.g. `plugin-license`. */
  readonly name: string;
}

export function readFixture(file: string): EmulatorFixture {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EmulatorFixture>;
  if (!Array.isArray(fixture.domains) || !Array.isArray(fixture.packages)) {
    throw new Error(`${file}: a fixture needs "domains" (names) and "packages" ({ id, name, type })`);
  }
  return fixture as EmulatorFixture;
}

/**
 * Every domain and package the templates name. Package types are guessed from prerequisites:
 * a prerequisite is a plugin, a package with prerequisites its license, any other a dictionary
 * (a G-id is an AWS-owned plugin).
 */
export function fixtureFromTemplates(templates: unknown[]): EmulatorFixture {
  const planned = templates.flatMap((template) => plannedAssociations(parseTemplate(template)));
  const prerequisiteIds = new Set(planned.flatMap((association) => association.prerequisites));
  const packages = new Map<string, EmulatedPackage>();
  for (const association of planned) {
    if (!packages.has(association.packageId)) {
      const type = guessType(association, prerequisiteIds);
      packages.set(association.packageId, { id: association.packageId, name: association.name, type });
    }
  }
  // A prerequisite that no association of the stack names still has to exist.
  for (const id of prerequisiteIds) {
    if (!packages.has(id)) {
      packages.set(id, { id, name: `plugin-${id.toLowerCase()}`, type: 'ZIP-PLUGIN' });
    }
  }
  return {
    domains: unique(planned.map((association) => association.domain)),
    packages: [...packages.values()],
  };
}

/** The (domain, package) pairs of a template's associations, with their properties resolved. */
export function plannedAssociations(template: StackTemplate): PlannedAssociation[] {
  const context = resolveContext({ stackName: 'fixture', stackId: 'fixture' }, template, new Map());
  return [...template.resources.values()]
    .filter((resource) => resource.type === ASSOCIATION_TYPE)
    .flatMap((resource) => {
      const value = (key: string) => {
        try {
          return resolveValue(resource.properties[key], context);
        } catch {
          return undefined; // resolvable only once other resources exist: not guessable here
        }
      };
      const domain = value('DomainName');
      const packageId = value('PackageID');
      if (typeof domain !== 'string' || typeof packageId !== 'string') {
        return [];
      }
      const prerequisites = value('PrerequisitePackageIDList');
      return [{ logicalId: resource.logicalId, domain, packageId, prerequisites: Array.isArray(prerequisites) ? prerequisites.map(String) : [], name: nameOf(resource, packageId) }];
    });
}

function guessType(association: PlannedAssociation, prerequisiteIds: Set<string>): PackageType {
  if (prerequisiteIds.has(association.packageId) || association.packageId.startsWith('G')) {
    return 'ZIP-PLUGIN';
  }
  return association.prerequisites.length > 0 ? 'PACKAGE-LICENSE' : 'TXT-DICTIONARY';
}

/** `OpenSearchPackagesExample/PluginLicense/Resource/Default` → `plugin-license`. */
function nameOf(resource: TemplateResource, packageId: string): string {
  // The association construct's id: the segment before `Resource/Default`.
  const segment = resource.cdkPath?.split('/').slice(-3)[0];
  return segment ? segment.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() : `package-${packageId.toLowerCase()}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
