/**
 * Command line of `npm run deploy:local`.
 */
import { parseArgs } from 'node:util';
import type { BusyDomain } from './emulator-fixture';

export interface CliOptions {
  readonly help: boolean;
  /** A synthesized cloud assembly; default: synthesize the project's app. */
  readonly app?: string;
  /** A second cloud assembly deployed over the first: an update. */
  readonly update?: string;
  /** Context for synthesizing the project's app. */
  readonly context: Record<string, string>;
  /** Context that differs for a second synthesis, deployed as an update. */
  readonly updateContext?: Record<string, string>;
  readonly fixture?: string;
  readonly scale: number;
  /** Multiplies each association's Timeout property; default: `scale`. */
  readonly timeoutScale: number;
  /** Domains kept busy by a configuration change from the start of the run. */
  readonly busy: BusyDomain[];
  readonly associationMs: number;
  readonly dissociationMs: number;
  /** A domain's blue/green deployment: how long an operation (dis)associating a plugin, license or configuration takes. */
  readonly blueGreenMs: number;
  /** How long CreatePackage and UpdatePackage take to end AVAILABLE (COPYING, then VALIDATING, half each). */
  readonly packageMs: number;
  readonly destroy: boolean;
  readonly fail: string[];
  /** Write the run's result (outcomes, associations per domain, requests) as JSON to this file. */
  readonly resultJson?: string;
}

export const DEFAULT_SCALE = 0.05;
export const DEFAULT_ASSOCIATION_MS = 600;
export const DEFAULT_DISSOCIATION_MS = 400;
export const DEFAULT_BLUE_GREEN_MS = 1500;
export const DEFAULT_PACKAGE_MS = 600;

export const USAGE = `Usage: npm run deploy:local -- [options]

Plays a CDK app's OpenSearch packages (Custom::OpenSearchPackage), AWS plugin lookups and package
associations on a local emulator of the packages API: synthesizes the app (cdk.json, default the
example app), starts the emulator on 127.0.0.1 with the domains, packages, AWS-owned plugins and
asset objects the templates name, and runs the bundled handler from the cloud assembly as Lambda
would, fed CloudFormation's events in CloudFormation's order. The handler reads its stack
(ListStackResources, DescribeStacks) from a local CloudFormation emulator that shows each stack
as the run plays it. No AWS account is used. Each run starts from a fresh emulator (empty, or as
--fixture seeds it); nothing is kept between runs.

An app of several stacks is played as cdk deploy --all plays it: the stacks with such resources
(and the stacks they depend on) in dependency order, independent ones at the same time, --destroy
in reverse; Fn::ImportValue and Fn::GetStackOutput read the other stacks' deployed outputs, an
export another stack imports cannot change (the update rolls back, as CloudFormation's does), and
an update skips a stack whose template did not change ("no changes").

Domains and packages belong to an account and region, as on AWS: stacks of one environment (an
environment-agnostic stack counts as aws://123456789012/us-east-1) that name a domain name share
that domain; stacks of different accounts or regions each get an emulator of their own, whose
domains are apart from the others' even when named alike. The handler of each stack runs in its
stack's region against its environment's emulator; the output names each domain's environment
(aws://<account>/<region>/<domain>) when the app spans more than one. --fixture seeds every
environment's emulator alike; --fail and --busy act on every environment that has the package
or domain.

Options:
  --app <dir>                 deploy this synthesized cloud assembly instead (e.g. cdk.out of your app)
  -c, --context <key=value>   context for synthesizing the app (repeatable)
  --update <dir>              after the create, deploy this second cloud assembly over it (an update)
  --update-context <key=value>
                              after the create, synthesize the app again with this context changed
                              and deploy it as an update (repeatable), e.g. in the example app
                              synonymsFile=<file> (new content for the app's dictionary package:
                              UpdatePackage, v1 -> v2, and the domain moved to v2; a path from the
                              project directory), dictionaryId=F222222222 (another existing
                              dictionary), or synonymsConstructId=Dictionary (renames that
                              dictionary's construct: a new logical id, the old one deleted in cleanup)
  --destroy                   finally delete the stacks (each in reverse dependency order, the stacks too);
                              what a template keeps on delete (DeletionPolicy Retain) is listed as left in
                              the account, after the long waiter's clean-up has removed its own
  --fail <packageId>          the emulator fails the first association of that package (repeatable):
                              shows CloudFormation's rollback
  --fail <packageName>        the emulator fails the first validation of the template's package of
                              that name (VALIDATION_FAILED, on create or update)
  --fixture <file>            domains and packages for the emulator (JSON, see local/emulator-fixture.ts)
                              instead of guessing them from the template
  --scale <factor>            time scale of the provider's waiter: its query interval (10 s) and total
                              timeout (58 min) times factor (default ${DEFAULT_SCALE}: polls every 500 ms)
  --timeout-scale <factor>    multiplies each association's Timeout property (the handler's own limit,
                              the construct's \`timeout\`, default 3000 s) before the handler sees it,
                              rounded up to whole seconds, at least 1 (default: --scale, so that the
                              handler still gives up before the waiter and reports what it waited for)
  --busy <domain>=<seconds>   a configuration change keeps that domain busy this long from the start
                              (repeatable): the handler waits, and fails with "Timeout: domain ... still
                              busy" once the association's (scaled) Timeout has passed
  --association-ms <ms>       how long the emulator takes to associate a package (default ${DEFAULT_ASSOCIATION_MS})
  --dissociation-ms <ms>      how long it takes to dissociate one (default ${DEFAULT_DISSOCIATION_MS})
  --blue-green-ms <ms>        how long a domain's blue/green deployment takes (default ${DEFAULT_BLUE_GREEN_MS}): every
                              operation that associates or dissociates a plugin, license or configuration
                              is one, however many packages it carries (a DomainPackages create: one
                              AssociatePackages, one blue/green), and takes this instead of the times
                              above; dictionaries need none. The summary counts them per domain
  --package-ms <ms>           how long CreatePackage and UpdatePackage take to make a version AVAILABLE
                              (COPYING, then VALIDATING, half each; default ${DEFAULT_PACKAGE_MS})
  --result-json <file>        also write the outcome, each domain's associations and the request
                              counts as JSON (for scripts and tests)
  -h, --help                  show this help

With the defaults a dictionary's association takes about a second: onEvent starts it, isComplete
sees it ACTIVE on the third poll (0, 0.5 and 1 s), as the provider's waiter would after 0, 10 and
20 s; a plugin's (or a DomainPackages set's) about two: one blue/green deployment, 1.5 s.
The handler's Timeout is scaled like the waiter (3000 s x 0.05 = 150 s, before the waiter's 174 s).
To watch it give up, keep the domain busy longer than a shorter Timeout: with
--busy search-example=60 --timeout-scale 0.005 (a 15 s Timeout) the create fails with
"Timeout: domain search-example still busy after 15 seconds (...)" and rolls back.
Output: .deploy-local/ (synthesized assemblies, handler.log). Exit code 1 when a stack operation
failed (the summary is printed anyway).

Examples:
  npm run deploy:local
  npm run deploy:local -- --update-context synonymsFile=bin/dictionaries/synonyms-v2.txt
  npm run deploy:local -- --update-context dictionaryId=F222222222 --destroy
  npm run deploy:local -- --update-context synonymsConstructId=Dictionary
  npm run deploy:local -- --fail pkg-1b2c3d4e5f6a7b8c9
  npm run deploy:local -- --busy search-example=60 --timeout-scale 0.005
  npx cdk synth -o my.out && npm run deploy:local -- --app my.out
`;

export function parseCliOptions(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'help': { type: 'boolean', short: 'h' },
      'app': { type: 'string' },
      'update': { type: 'string' },
      'context': { type: 'string', short: 'c', multiple: true },
      'update-context': { type: 'string', multiple: true },
      'fixture': { type: 'string' },
      'scale': { type: 'string' },
      'timeout-scale': { type: 'string' },
      'busy': { type: 'string', multiple: true },
      'association-ms': { type: 'string' },
      'dissociation-ms': { type: 'string' },
      'blue-green-ms': { type: 'string' },
      'package-ms': { type: 'string' },
      'destroy': { type: 'boolean' },
      'fail': { type: 'string', multiple: true },
      'result-json': { type: 'string' },
    },
  });
  if (values.update && values['update-context']) {
    throw new Error('--update and --update-context both define the update: use one');
  }
  if (values.app && (values['update-context'] || values.context)) {
    throw new Error('--context and --update-context synthesize the cdk.json app: with --app, synthesize both assemblies yourself and use --update');
  }
  const scale = positive(values.scale, DEFAULT_SCALE, '--scale');
  return {
    help: values.help === true,
    app: values.app,
    update: values.update,
    context: keyValues(values.context, '--context'),
    updateContext: values['update-context'] ? keyValues(values['update-context'], '--update-context') : undefined,
    fixture: values.fixture,
    scale,
    timeoutScale: positive(values['timeout-scale'], scale, '--timeout-scale'),
    busy: busyDomains(values.busy),
    associationMs: positive(values['association-ms'], DEFAULT_ASSOCIATION_MS, '--association-ms'),
    dissociationMs: positive(values['dissociation-ms'], DEFAULT_DISSOCIATION_MS, '--dissociation-ms'),
    blueGreenMs: positive(values['blue-green-ms'], DEFAULT_BLUE_GREEN_MS, '--blue-green-ms'),
    packageMs: positive(values['package-ms'], DEFAULT_PACKAGE_MS, '--package-ms'),
    destroy: values.destroy === true,
    fail: values.fail ?? [],
    resultJson: values['result-json'],
  };
}

function keyValues(items: string[] | undefined, option: string): Record<string, string> {
  return Object.fromEntries((items ?? []).map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) {
      throw new Error(`${option} expects key=value, got '${item}'`);
    }
    return [item.slice(0, at), item.slice(at + 1)];
  }));
}

/** `--busy <domain>=<seconds>`, repeatable. */
function busyDomains(items: string[] | undefined): BusyDomain[] {
  return Object.entries(keyValues(items, '--busy'))
    .map(([domain, seconds]) => ({ domain, ms: positive(seconds, 0, `--busy ${domain}`) * 1000 }));
}

function positive(text: string | undefined, fallback: number, option: string): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${option} expects a positive number, got '${text}'`);
  }
  return value;
}
