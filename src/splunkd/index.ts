/** The splunkd side of account configuration: what the composition root imports. */
export { readAccount, passwordId } from './readAccount';
export { DEFAULT_ROLE_SESSION_NAME, type Account, type AuthType } from './account';
export { SplunkdError, type SplunkdErrorCode } from './errors';
export { Secret } from './secret';
export type { SplunkdRestOptions } from './rest';
