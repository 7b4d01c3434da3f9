/**
 * A stack's environment: the account and region it deploys to, as the cloud assembly's manifest
 * names them (`aws://<account>/<region>`). Domains and packages live in an account and region: two
 * stacks of one environment that name a domain name the same domain, stacks of two do not.
 */
export interface StackEnvironment {
  readonly account: string;
  readonly region: string;
}

/** Where an environment-agnostic stack goes: the CLI's default account and region, here the player's fake ones. */
export const DEFAULT_ENVIRONMENT: StackEnvironment = { account: '123456789012', region: 'us-east-1' };

/**
 * The manifest's `environment` of a stack artifact; `unknown-account` / `unknown-region` (an
 * environment-agnostic stack, or one that names only one of the two) take the default's.
 */
export function parseEnvironment(text: string | undefined): StackEnvironment {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(text ?? '');
  const account = match && match[1] !== 'unknown-account' ? match[1] : DEFAULT_ENVIRONMENT.account;
  const region = match && match[2] !== 'unknown-region' ? match[2] : DEFAULT_ENVIRONMENT.region;
  return { account, region };
}

/** `aws://<account>/<region>`, as CDK writes it: a key and a label. */
export function environmentName(environment: StackEnvironment): string {
  return `aws://${environment.account}/${environment.region}`;
}

/** The environment named in a CloudFormation stack id (`arn:aws:cloudformation:<region>:<account>:stack/…`). */
export function environmentOfStackId(stackId: string): StackEnvironment {
  const [, , , region, account] = stackId.split(':');
  return region && account ? { account, region } : DEFAULT_ENVIRONMENT;
}
