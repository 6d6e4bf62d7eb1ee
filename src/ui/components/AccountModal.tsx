/**
 * Adds or edits one AWS account. The secret access key is typed here and sent only to
 * storage/passwords; an account that has one shows it as "Stored" with a Replace action, since
 * the page never reads a secret back.
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Modal from '@splunk/react-ui/Modal';
import RadioBar from '@splunk/react-ui/RadioBar';
import Text from '@splunk/react-ui/Text';
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
import { useReturnFocus } from './useReturnFocus';

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
  const returnFocus = useReturnFocus();
  const isNew = account === null;
  const [draft, setDraft] = useState<AccountDraft>(() =>
    account ? { ...account, secret: '' } : emptyAccount(),
  );
  const [replacing, setReplacing] = useState(startReplacing);
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState('');
  const [saving, setSaving] = useState(false);

  const keepsSecret = !isNew && secretStored && !replacing;
  const errors = validateAccount(keepsSecret ? { ...draft, secret: '' } : draft, {
    isNew,
    secretStored: keepsSecret,
    existingNames,
  });
  const shown = showErrors ? errors : {};
  const set = (key: keyof AccountDraft) => (_: unknown, data: { value: string }) =>
    setDraft((current) => ({ ...current, [key]: data.value }));

  async function submit(event?: React.FormEvent) {
    event?.preventDefault();
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    setServerError('');
    const { secret, ...settings } = draft;
    const saved: Account = { ...settings, name: settings.name.trim() };
    try {
      await saveAccount(saved, isNew, keepsSecret ? '' : secret, secretStored);
      onSaved(saved.name);
    } catch (error) {
      setServerError(error instanceof Error ? error.message : String(error));
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      onRequestClose={onClose}
      returnFocus={returnFocus}
      style={{ width: 640 }}
      data-test="account-modal"
    >
      <form onSubmit={submit} noValidate>
        <Modal.Header
          title={isNew ? 'Add AWS account' : `Edit AWS account ${account.name}`}
          subtitle="Credentials the inputs use to read CloudHSM audit logs from CloudWatch Logs."
        />
        <Modal.Body>
          {serverError && (
            <Message type="error" data-test="account-error">
              {serverError}
            </Message>
          )}
          <FormField
            label="Account name"
            required
            error={shown.name}
            help="Letters, digits, _ - and . only."
          >
            <Text
              value={draft.name}
              onChange={set('name')}
              disabled={!isNew}
              error={!!shown.name}
              data-test="account-name"
            />
          </FormField>
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
              <FormField label="Access key ID" required error={shown.access_key_id}>
                <Text
                  value={draft.access_key_id}
                  onChange={set('access_key_id')}
                  error={!!shown.access_key_id}
                  placeholder="AKIA…"
                  data-test="account-access-key-id"
                />
              </FormField>
              <FormField
                label="Secret access key"
                required
                error={shown.secret}
                help="Kept encrypted in Splunk's storage/passwords. It is never shown again."
              >
                {keepsSecret ? (
                  <StoredSecret onReplace={() => setReplacing(true)} />
                ) : (
                  <Text
                    type="password"
                    value={draft.secret}
                    onChange={set('secret')}
                    error={!!shown.secret}
                    placeholder={replacing ? 'New secret access key' : ''}
                    data-test="account-secret"
                  />
                )}
              </FormField>
            </>
          )}
          <FormField
            label="Role to assume"
            error={shown.role_arn}
            help="Optional: an IAM role ARN, for cross-account access."
          >
            <Text
              value={draft.role_arn}
              onChange={set('role_arn')}
              error={!!shown.role_arn}
              placeholder="arn:aws:iam::123456789012:role/CloudHSMAuditReader"
              data-test="account-role-arn"
            />
          </FormField>
          <FormField
            label="External ID"
            error={shown.external_id}
            help="Optional: required if the role's trust policy asks for one."
          >
            <Text
              value={draft.external_id}
              onChange={set('external_id')}
              error={!!shown.external_id}
              data-test="account-external-id"
            />
          </FormField>
          <FormField label="Role session name" error={shown.role_session_name}>
            <Text
              value={draft.role_session_name}
              onChange={set('role_session_name')}
              error={!!shown.role_session_name}
              placeholder={DEFAULT_ROLE_SESSION_NAME}
              data-test="account-role-session-name"
            />
          </FormField>
          <FormField
            label="Endpoint URL"
            error={shown.endpoint_url}
            help="Optional: a VPC or FIPS endpoint for CloudWatch Logs."
          >
            <Text
              value={draft.endpoint_url}
              onChange={set('endpoint_url')}
              error={!!shown.endpoint_url}
              data-test="account-endpoint-url"
            />
          </FormField>
          <FormField
            label="HTTPS proxy"
            error={shown.https_proxy}
            help="Optional: https://proxy.example.com:3128, without credentials."
          >
            <Text
              value={draft.https_proxy}
              onChange={set('https_proxy')}
              error={!!shown.https_proxy}
              data-test="account-https-proxy"
            />
          </FormField>
        </Modal.Body>
        <Modal.Footer>
          <Button
            appearance="secondary"
            label="Cancel"
            onClick={onClose}
            data-test="account-cancel"
          />
          <Button
            appearance="primary"
            type="submit"
            label={saving ? 'Saving…' : 'Save'}
            disabled={saving}
            data-test="account-save"
          />
        </Modal.Footer>
      </form>
    </Modal>
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
