/**
 * The AWS accounts tab: the table of accounts with their secret's state ("Stored", never the
 * value), and add / edit / replace secret / delete. An account still used by an input cannot be
 * deleted: the refusal names the inputs.
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Table from '@splunk/react-ui/Table';
import { deleteAccount, listInputs } from '../api/resources';
import { ACCOUNTS_NEED } from '../model/permissions';
import type { Account } from '../model/account';
import type { InputSummary } from '../model/input';
import { AccountModal } from './AccountModal';
import { ConfirmModal } from './ConfirmModal';
import { PanelHeader } from './PanelHeader';

export interface AccountsPanelProps {
  accounts: Account[];
  /** Names of accounts with a stored secret; null when the page may not know. */
  secrets: string[] | null;
  inputs: InputSummary[];
  canManage: boolean;
  onChanged: () => Promise<void>;
}

type Editing = { account: Account | null; replace: boolean };

export function AccountsPanel({
  accounts,
  secrets,
  inputs,
  canManage,
  onChanged,
}: AccountsPanelProps) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Account | null>(null);
  const [notice, setNotice] = useState('');
  const usedBy = (name: string) =>
    inputs.filter((input) => input.account === name).map((input) => input.name);

  async function remove(account: Account) {
    // Asks splunkd again rather than trusting the table, which may be older than another admin's change.
    const users = (await listInputs())
      .filter((input) => input.account === account.name)
      .map((input) => input.name);
    if (users.length > 0)
      throw new Error(
        `Account "${account.name}" is used by ${users.length === 1 ? 'input' : 'inputs'} ${users
          .map((name) => `"${name}"`)
          .join(', ')}. Delete those inputs or move them to another account first.`,
      );
    await deleteAccount(account.name);
    setDeleting(null);
    setNotice(`Account "${account.name}" and its stored secret were deleted.`);
    await onChanged();
  }

  return (
    <section data-test="accounts-panel">
      <PanelHeader
        title="AWS accounts"
        description="The credentials inputs use to read CloudWatch Logs. Secret access keys are kept in Splunk's encrypted password storage and never shown again."
        action={
          canManage && (
            <Button
              appearance="primary"
              label="Add account"
              onClick={() => setEditing({ account: null, replace: false })}
              data-test="add-account"
            />
          )
        }
      />
      {!canManage && (
        <Message type="warning" data-test="accounts-read-only">
          You can view accounts but not change them: that needs the capability {ACCOUNTS_NEED}. Ask
          a Splunk admin to add it to one of your roles, or to set up the accounts.
        </Message>
      )}
      {notice && (
        <Message type="success" data-test="accounts-notice">
          {notice}
        </Message>
      )}
      {accounts.length === 0 ? (
        <Message type="info" data-test="accounts-empty">
          No AWS account yet. Add one to let inputs read CloudHSM audit logs.
        </Message>
      ) : (
        <Table stripeRows data-test="accounts-table">
          <Table.Head>
            <Table.HeadCell>Name</Table.HeadCell>
            <Table.HeadCell width={140}>Credentials</Table.HeadCell>
            <Table.HeadCell width={220}>Access key ID</Table.HeadCell>
            <Table.HeadCell width={170}>Secret key</Table.HeadCell>
            <Table.HeadCell>Role</Table.HeadCell>
            <Table.HeadCell width={110}>Used by</Table.HeadCell>
            {canManage && <Table.HeadCell width={140}>Actions</Table.HeadCell>}
          </Table.Head>
          <Table.Body>
            {accounts.map((account) => {
              const stored = secrets?.includes(account.name) ?? null;
              return (
                <Table.Row key={account.name} data-test={`account-row-${account.name}`}>
                  <Table.Cell>{account.name}</Table.Cell>
                  <Table.Cell>
                    {account.auth_type === 'access_key'
                      ? 'Access key'
                      : "Host's default credentials"}
                  </Table.Cell>
                  <Table.Cell>{account.access_key_id || '—'}</Table.Cell>
                  <Table.Cell data-test="account-secret-state">
                    <SecretState
                      account={account}
                      stored={stored}
                      onReplace={
                        canManage ? () => setEditing({ account, replace: true }) : undefined
                      }
                    />
                  </Table.Cell>
                  <Table.Cell>{account.role_arn || '—'}</Table.Cell>
                  <Table.Cell>{usedBy(account.name).join(', ') || '—'}</Table.Cell>
                  {canManage && (
                    <Table.Cell>
                      <Button
                        appearance="subtle"
                        label="Edit"
                        onClick={() => setEditing({ account, replace: false })}
                        data-test="account-edit"
                      />
                      <Button
                        appearance="subtle"
                        label="Delete"
                        onClick={() => {
                          setNotice('');
                          setDeleting(account);
                        }}
                        data-test="account-delete"
                      />
                    </Table.Cell>
                  )}
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      )}
      {editing && (
        <AccountModal
          account={editing.account}
          secretStored={editing.account ? (secrets?.includes(editing.account.name) ?? true) : false}
          startReplacing={editing.replace}
          existingNames={accounts.map((account) => account.name)}
          onClose={() => setEditing(null)}
          onSaved={async (name) => {
            setEditing(null);
            setNotice(`Account "${name}" was saved.`);
            await onChanged();
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title={`Delete account ${deleting.name}?`}
          confirmLabel="Delete"
          onConfirm={() => remove(deleting)}
          onClose={() => setDeleting(null)}
        >
          The account's settings and its stored secret access key are deleted from Splunk. Inputs
          can no longer use it.
        </ConfirmModal>
      )}
    </section>
  );
}

function SecretState({
  account,
  stored,
  onReplace,
}: {
  account: Account;
  stored: boolean | null;
  onReplace?: () => void;
}) {
  if (account.auth_type === 'default_chain') return <>Not needed</>;
  if (stored === null) return <>Unknown (needs list_storage_passwords)</>;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      {stored ? 'Stored' : 'Missing'}
      {onReplace && (
        <Button
          appearance="secondary"
          label="Replace"
          onClick={onReplace}
          data-test="account-replace-secret"
        />
      )}
    </span>
  );
}
