/** Where the emulated resources live by default: the same account and region as the handler tests' other ARNs. */
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** The account and region an emulator plays: domains and packages are per account and region. */
export interface EmulatedAccount {
  readonly accountId: string;
  readonly region: string;
}
/** PackageOwner of the AWS-owned packages (G-ids); the account's own packages carry ACCOUNT_ID. */
export const AWS_OWNER = 'AWS';
