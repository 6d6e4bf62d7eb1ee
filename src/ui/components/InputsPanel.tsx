/**
 * The inputs tab: the `cloudhsm_audit` inputs with their state (enabled, last records written,
 * last error, from the collector's own events) and add / edit / clone / enable / disable / delete.
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Table from '@splunk/react-ui/Table';
import { deleteInput, setInputEnabled } from '../api/resources';
import { INPUTS_NEED } from '../model/permissions';
import type { InputDraft, InputSummary } from '../model/input';
import { formatTime, type InputState } from '../model/inputState';
import { ConfirmModal } from './ConfirmModal';
import { InputModal } from './InputModal';
import { PanelHeader } from './PanelHeader';
import { useAction } from './useAction';

export interface InputsPanelProps {
  inputs: InputSummary[];
  accounts: string[];
  indexes: string[];
  /** Input name → state from the collector's events; null when it could not be searched. */
  states: Map<string, InputState> | null;
  canManage: boolean;
  onChanged: () => Promise<void>;
}

function LastWritten({ state }: { state: InputState | undefined }) {
  if (!state) return <>No report found</>;
  // One block: a table cell lays its children out in a row.
  return (
    <div>
      <div style={{ whiteSpace: 'nowrap' }}>{formatTime(state.lastWrittenMs)}</div>
      {state.lastReportMs !== undefined && (
        <div style={{ opacity: 0.75, whiteSpace: 'nowrap' }}>
          report {formatTime(state.lastReportMs)}
        </div>
      )}
    </div>
  );
}

function LastError({ state }: { state: InputState | undefined }) {
  if (!state?.lastError) return <>—</>;
  return (
    <div>
      <div style={{ whiteSpace: 'nowrap' }}>{formatTime(state.lastErrorMs)}</div>
      <div style={{ opacity: 0.75, maxWidth: 240 }}>{state.lastError}</div>
    </div>
  );
}

export function InputsPanel({
  inputs,
  accounts,
  indexes,
  states,
  canManage,
  onChanged,
}: InputsPanelProps) {
  const [editing, setEditing] = useState<{
    input: InputDraft | null;
    cloneOf?: InputDraft;
  } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const { error, run } = useAction();

  const toggle = (input: InputSummary) =>
    run(async () => {
      setNotice('');
      await setInputEnabled(input.name, input.disabled);
      setNotice(`Input "${input.name}" was ${input.disabled ? 'enabled' : 'disabled'}.`);
      await onChanged();
    });

  return (
    <section data-test="inputs-panel">
      <PanelHeader
        title="Inputs"
        description="Each input polls the CloudHSM log groups of one AWS account in the regions you choose. Splunk checks the settings with AWS when you save."
        action={
          canManage && (
            <Button
              appearance="primary"
              label="Add input"
              onClick={() => {
                setNotice('');
                setEditing({ input: null });
              }}
              data-test="add-input"
            />
          )
        }
      />
      {!canManage && (
        <Message type="warning" data-test="inputs-read-only">
          You can view inputs but not change them: that needs the capability {INPUTS_NEED}. Ask a
          Splunk admin to add it to one of your roles, or to create the inputs.
        </Message>
      )}
      {canManage && accounts.length === 0 && (
        <Message type="info" data-test="inputs-need-account">
          No AWS account yet: a new input uses the AWS credentials of the Splunk host running it
          (instance profile, environment). Add an account on the AWS accounts tab to use an access
          key or a role.
        </Message>
      )}
      {error && (
        <Message type="error" data-test="inputs-error">
          {error}
        </Message>
      )}
      {notice && (
        <Message type="success" data-test="inputs-notice">
          {notice}
        </Message>
      )}
      {inputs.length > 0 && (
        <Message type="info" data-test="inputs-state-source">
          {states === null
            ? "The inputs' state could not be searched here (see the message above)."
            : "Last records written and last error come from the inputs' own health and error events of the last 7 days that this Splunk instance can search; on a heavy forwarder that only forwards them, look on the search head's Audit Integrity dashboard."}
        </Message>
      )}
      {inputs.length === 0 ? (
        <Message type="info" data-test="inputs-empty">
          No input yet.
        </Message>
      ) : (
        <Table stripeRows data-test="inputs-table">
          <Table.Head>
            <Table.HeadCell>Name</Table.HeadCell>
            <Table.HeadCell>Account</Table.HeadCell>
            <Table.HeadCell>Regions</Table.HeadCell>
            <Table.HeadCell>Clusters</Table.HeadCell>
            <Table.HeadCell>Index</Table.HeadCell>
            <Table.HeadCell>Status</Table.HeadCell>
            <Table.HeadCell>Last records written</Table.HeadCell>
            <Table.HeadCell>Last error</Table.HeadCell>
            {canManage && <Table.HeadCell>Actions</Table.HeadCell>}
          </Table.Head>
          <Table.Body>
            {inputs.map((input) => (
              <Table.Row key={input.name} data-test={`input-row-${input.name}`}>
                <Table.Cell>{input.name}</Table.Cell>
                <Table.Cell>{input.account || "Host's default credentials"}</Table.Cell>
                <Table.Cell>{input.regions.join(', ') || '—'}</Table.Cell>
                <Table.Cell>
                  {input.clusters.length ? input.clusters.join(', ') : 'All (discovered)'}
                </Table.Cell>
                <Table.Cell>{input.index || 'default'}</Table.Cell>
                <Table.Cell data-test="input-status" style={{ whiteSpace: 'nowrap' }}>
                  {input.disabled ? 'Disabled' : 'Enabled'}
                </Table.Cell>
                <Table.Cell data-test="input-last-written">
                  {states ? <LastWritten state={states.get(input.name)} /> : '—'}
                </Table.Cell>
                <Table.Cell data-test="input-last-error">
                  {states ? <LastError state={states.get(input.name)} /> : '—'}
                </Table.Cell>
                {canManage && (
                  <Table.Cell style={{ whiteSpace: 'nowrap' }}>
                    <Button
                      appearance="subtle"
                      label="Edit"
                      onClick={() => {
                        setNotice('');
                        setEditing({ input: input.draft });
                      }}
                      data-test="input-edit"
                    />
                    <Button
                      appearance="subtle"
                      label="Clone"
                      onClick={() => {
                        setNotice('');
                        setEditing({ input: null, cloneOf: input.draft });
                      }}
                      data-test="input-clone"
                    />
                    <Button
                      appearance="subtle"
                      label={input.disabled ? 'Enable' : 'Disable'}
                      onClick={() => toggle(input)}
                      data-test="input-toggle"
                    />
                    <Button
                      appearance="subtle"
                      label="Delete"
                      onClick={() => {
                        setNotice('');
                        setDeleting(input.name);
                      }}
                      data-test="input-delete"
                    />
                  </Table.Cell>
                )}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {editing && (
        <InputModal
          input={editing.input}
          cloneOf={editing.cloneOf}
          accounts={accounts}
          indexes={indexes}
          existingNames={inputs.map((input) => input.name)}
          onClose={() => setEditing(null)}
          onSaved={async (name) => {
            setEditing(null);
            setNotice(`Input "${name}" was saved.`);
            await onChanged();
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title={`Delete input ${deleting}?`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await deleteInput(deleting);
            setDeleting(null);
            setNotice(`Input "${deleting}" was deleted.`);
            await onChanged();
          }}
          onClose={() => setDeleting(null)}
        >
          The input stops collecting. Events it already indexed stay in Splunk.
        </ConfirmModal>
      )}
    </section>
  );
}
