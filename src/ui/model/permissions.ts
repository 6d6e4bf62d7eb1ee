/**
 * What the signed-in user may do here, from `authentication/current-context` capabilities.
 * splunkd remains the authority (a refused request still shows its own message); this only
 * decides which forms to offer, so that a user without rights reads why instead of a broken form.
 *
 * - storage/passwords: GET needs `list_storage_passwords`, POST `edit_storage_passwords` (Splunk
 *   9.2+) — or `admin_all_objects`, which covers both on every version.
 * - data/inputs/cloudhsm_audit: `edit_modinput_cloudhsm_audit` (splunkd's per-scheme capability)
 *   or `admin_all_objects`.
 * - apps/local/<app> (finishing setup) and conf files written by admins: `admin_all_objects`.
 */
export interface CurrentUser {
  username: string;
  roles: string[];
  capabilities: string[];
}

export interface Abilities {
  manageAccounts: boolean;
  /** May see whether a secret is stored (never the secret itself). */
  listSecrets: boolean;
  manageInputs: boolean;
  finishSetup: boolean;
}

export const ADMIN = 'admin_all_objects';
export const INPUT_CAPABILITY = 'edit_modinput_cloudhsm_audit';

export function abilities(user: CurrentUser): Abilities {
  const has = (capability: string) =>
    user.capabilities.includes(capability) || user.capabilities.includes(ADMIN);
  return {
    manageAccounts: has('edit_storage_passwords') && has('list_storage_passwords'),
    listSecrets: has('list_storage_passwords'),
    manageInputs: has(INPUT_CAPABILITY),
    finishSetup: has(ADMIN),
  };
}

export const ACCOUNTS_NEED = `${ADMIN}, or both edit_storage_passwords and list_storage_passwords`;
export const INPUTS_NEED = `${ADMIN} or ${INPUT_CAPABILITY}`;
export const FINISH_NEED = ADMIN;
