/**
 * One packages-API emulator per account and region of the run's stacks: domains and packages
 * are per account and region on AWS, so same-named domains of two environments stay apart, while
 * the stacks of one environment share its domains.
 */
import type { CliOptions } from './cli-options';
import type { AssemblyStack } from './cloud-assembly';
import { BusyDomain, EmulatorFixture, fixtureFromStacks, readFixture } from './emulator-fixture';
import { plannedPlacements, ResourcePlanner } from './planned-resources';
import { environmentName, StackEnvironment } from './stack-environment';
import { PackagesApiEmulator } from '../emulator/packages-api-emulator';

export interface EmulatedEnvironment {
  readonly environment: StackEnvironment;
  /** `aws://<account>/<region>` */
  readonly name: string;
  readonly fixture: EmulatorFixture;
  readonly packages: PackagesApiEmulator;
}

/** The environments of `stacks`, each with its emulator started, seeded, failures armed and domains kept busy. */
export async function startEnvironments(
  stacks: readonly AssemblyStack[], options: CliOptions, planner: ResourcePlanner,
): Promise<EmulatedEnvironment[]> {
  const environments = [...new Map(stacks.map((stack) => [environmentName(stack.environment), stack.environment])).values()];
  const started: EmulatedEnvironment[] = [];
  try {
    for (const environment of environments) {
      const fixture = options.fixture ? readFixture(options.fixture) : fixtureFromStacks(stacks, environment);
      started.push({ environment, name: environmentName(environment), fixture, packages: await startEmulator(environment, fixture, options) });
    }
    armFailures(started, options.fail, planner);
    keepBusy(started, options.busy);
  } catch (error) {
    await closeEnvironments(started);
    throw error;
  }
  return started;
}

export async function closeEnvironments(environments: readonly EmulatedEnvironment[]): Promise<void> {
  await Promise.all(environments.map((environment) => environment.packages.close()));
}

/**
 * How the output names a domain: by its name when the run has one environment, else with its
 * environment (`aws://<account>/<region>/<domain>`), since two environments may each have one of that name.
 */
export function domainLabel(environment: EmulatedEnvironment, domain: string, environments: readonly EmulatedEnvironment[]): string {
  return environments.length > 1 ? `${environment.name}/${domain}` : domain;
}

async function startEmulator(environment: StackEnvironment, fixture: EmulatorFixture, options: CliOptions): Promise<PackagesApiEmulator> {
  const emulator = await PackagesApiEmulator.start({
    account: { accountId: environment.account, region: environment.region },
    domains: fixture.domains,
    packages: fixture.packages,
    awsPackages: fixture.awsPackages,
    s3Objects: fixture.s3Objects,
    // COPYING, then VALIDATING: each half of --package-ms.
    copyMs: fixture.copyMs ?? options.packageMs / 2,
    validationMs: fixture.validationMs ?? options.packageMs / 2,
    associationMs: fixture.associationMs ?? options.associationMs,
    dissociationMs: fixture.dissociationMs ?? options.dissociationMs,
    blueGreenMs: fixture.blueGreenMs ?? options.blueGreenMs,
    listLagMs: fixture.listLagMs ?? 0,
  });
  try {
    fixture.associations?.forEach((seed) => emulator.seedAssociation(seed.domain, seed.packageId, seed));
    keepDomainsBusy(emulator, fixture.busy ?? [], fixture.domains);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return emulator;
}

/**
 * `--fail`: for a package id, its first association fails on every domain the templates associate
 * it with; for the name of a package of the templates, its first validation (create or update)
 * fails. In each environment whose stacks name it; an error when none does.
 */
function armFailures(environments: readonly EmulatedEnvironment[], targets: readonly string[], planner: ResourcePlanner): void {
  for (const target of targets) {
    let armed = false;
    for (const { environment, packages } of environments) {
      const planned = planner.planAll(environment);
      const domains = new Set(plannedPlacements(planned).filter((placement) => placement.packageId === target).map((placement) => placement.domain));
      domains.forEach((domain) => packages.failNextAssociation(domain, target, 'SimulatedFailure', `association failed on purpose (--fail ${target})`));
      if (planned.packages.some((pkg) => pkg.name === target)) {
        packages.failNextValidation(target, 'SimulatedFailure', `validation failed on purpose (--fail ${target})`);
        armed = true;
      }
      armed ||= domains.size > 0;
    }
    if (!armed) {
      throw new Error(`--fail ${target}: no association of that package id, and no package of that name, in the template`);
    }
  }
}

/** `--busy`: a configuration change on each named domain, from now, in every environment that has it. */
function keepBusy(environments: readonly EmulatedEnvironment[], busy: readonly BusyDomain[]): void {
  for (const entry of busy) {
    const holders = environments.filter((environment) => environment.fixture.domains.includes(entry.domain));
    if (holders.length === 0) {
      const domains = [...new Set(environments.flatMap((environment) => environment.fixture.domains))];
      throw new Error(`cannot keep ${entry.domain} busy: the emulator has no such domain (domains: ${domains.join(', ')})`);
    }
    holders.forEach((environment) => environment.packages.startConfigurationChange(entry.domain, entry.ms));
  }
}

/** The fixture's `busy`: a configuration change on each domain, from now. */
function keepDomainsBusy(emulator: PackagesApiEmulator, busy: readonly BusyDomain[], domains: readonly string[]): void {
  for (const { domain, ms } of busy) {
    if (!domains.includes(domain)) {
      throw new Error(`cannot keep ${domain} busy: the emulator has no such domain (domains: ${domains.join(', ')})`);
    }
    emulator.startConfigurationChange(domain, ms);
  }
}
