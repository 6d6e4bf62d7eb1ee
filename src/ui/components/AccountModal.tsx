/**
 * Adds or edits one AWS account. The secret access key is typed here and sent only to
 * storage/passwords; an account that has one shows it as "Stored" with a Replace action, since
 * the page never reads a secret back.
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import RadioBar from '@splunk/react-ui/RadioBar';
import { saveAccount } from '../api/resources';
import {
  DEFAULT_ROLE_SESSION_NAME,
  emptyAccount,
  validateAccount,
  type Account,
  type AccountDraft,
  type AuthType,
} from '../model/account';
import { FormField } from './FormField';
import { TextField } from './TextField';
import { FormModal } from './FormModal';

export interface AccountModalProps {
  /** The account to edit, or null to add one. */
  account: Account | null;
  secretStored: boolean;
  /** Open with the secret field ready for a new secret (the table's Replace action). */
  startReplacing?: boolean;
  existingNames: readonly string[];
  onClose: () => void;
  onSaved: (name: string) => void;
}

export function AccountModal({
  account,
  secretStored,
  startReplacing = false,
  existingNames,
  onClose,
  onSaved,
}: AccountModalProps) {
  const isNew = account === null;
  const [draft, setDraft] = useState<AccountDraft>(() =>
    account ? { ...account, secret: '' } : emptyAccount(),
  );
  const [replacing, setReplacing] = useState(startReplacing);
  const [showErrors, setShowErrors] = useState(false);

  const keepsSecret = !isNew && secretStored && !replacing;
  const errors = validateAccount(keepsSecret ? { ...draft, secret: '' } : draft, {
    isNew,
    secretStored: keepsSecret,
    existingNames,
  });
  const shown = showErrors ? errors : {};
  const field = (key: keyof AccountDraft) => ({
    value: draft[key],
    onChange: (value: string) => setDraft((current) => ({ ...current, [key]: value })),
    error: shown[key],
  });

  async function save() {
    const { secret, ...settings } = draft;
    const saved: Account = { ...settings, name: settings.name.trim() };
    await saveAccount(saved, isNew, keepsSecret ? '' : secret, secretStored);
    onSaved(saved.name);
  }

  return (
    <FormModal
      title={isNew ? 'Add AWS account' : `Edit AWS account ${account.name}`}
      subtitle="Credentials the inputs use to read CloudHSM audit logs from CloudWatch Logs."
      width={640}
      testId="account"
      invalid={Object.keys(errors).length > 0}
      onAttempt={() => setShowErrors(true)}
      onSave={save}
      onClose={onClose}
    >
      <TextField
        label="Account name"
        required
        disabled={!isNew}
        help="Letters, digits, _ - and . only."
        testId="account-name"
        {...field('name')}
      />
      <FormField label="Authentication" required>
        <RadioBar
          value={draft.auth_type}
          onChange={(_, { value }) =>
            setDraft((current) => ({ ...current, auth_type: value as AuthType }))
          }
          data-test="account-auth-type"
        >
          <RadioBar.Option value="access_key" label="Access key" />
          <RadioBar.Option value="default_chain" label="Host's default credentials" />
        </RadioBar>
      </FormField>
      {draft.auth_type === 'default_chain' ? (
        <Message type="info">
          The input uses the AWS credentials of the Splunk host running it (instance profile,
          environment or shared credentials file). No secret is stored in Splunk.
        </Message>
      ) : (
        <>
          <TextField
            label="Access key ID"
            required
            placeholder="AKIA…"
            testId="account-access-key-id"
            {...field('access_key_id')}
          />
          {keepsSecret ? (
            <FormField
              label="Secret access key"
              required
              help="Kept encrypted in Splunk's storage/passwords. It is never shown again."
            >
              <StoredSecret onReplace={() => setReplacing(true)} />
            </FormField>
          ) : (
            <TextField
              label="Secret access key"
              required
              type="password"
              placeholder={replacing ? 'New secret access key' : ''}
              help="Kept encrypted in Splunk's storage/passwords. It is never shown again."
              testId="account-secret"
              {...field('secret')}
            />
          )}
        </>
      )}
      <TextField
        label="Role to assume"
        placeholder="arn:aws:iam::123456789012:role/CloudHSMAuditReader"
        help="Optional: an IAM role ARN, for cross-account access."
        testId="account-role-arn"
        {...field('role_arn')}
      />
      <TextField
        label="External ID"
        help="Optional: required if the role's trust policy asks for one."
        testId="account-external-id"
        {...field('external_id')}
      />
      <TextField
        label="Role session name"
        placeholder={DEFAULT_ROLE_SESSION_NAME}
        testId="account-role-session-name"
        {...field('role_session_name')}
      />
      <TextField
        label="Endpoint URL"
        help="Optional: a VPC or FIPS endpoint for CloudWatch Logs."
        testId="account-endpoint-url"
        {...field('endpoint_url')}
      />
      <TextField
        label="HTTPS proxy"
        help="Optional: https://proxy.example.com:3128, without credentials."
        testId="account-https-proxy"
        {...field('https_proxy')}
      />
    </FormModal>
  );
}

/**
 * The secret access key as the page knows it: stored, not its value. A component of its own
 * because ControlGroup hands its child label and description props a plain element would leak.
 */
function StoredSecret({ onReplace }: { onReplace: () => void }) {
  return (
    <div
      style={{ display: 'flex', alignItems: 'center', gap: 12 }}
      data-test="account-secret-stored"
    >
      <span>Stored</span>
      <Button
        appearance="secondary"
        label="Replace"
        onClick={onReplace}
        data-test="account-secret-replace"
      />
    </div>
  );
}
