/** Where the emulated resources live: the same account and region as the handler tests' other ARNs. */
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
/** PackageOwner of the AWS-owned packages (G-ids); the account's own packages carry ACCOUNT_ID. */
export const AWS_OWNER = 'AWS';
