/**
 * Adds or edits one `cloudhsm_audit` input. splunkd runs the collector's `--validate-arguments`
 * when this is saved; what it answers (a bad region, AWS refusing logs:DescribeLogGroups…) is
 * shown at the top of this form, where the fix is made.
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import CollapsiblePanel from '@splunk/react-ui/CollapsiblePanel';
import Message from '@splunk/react-ui/Message';
import Modal from '@splunk/react-ui/Modal';
import Multiselect from '@splunk/react-ui/Multiselect';
import RadioBar from '@splunk/react-ui/RadioBar';
import Select from '@splunk/react-ui/Select';
import Text from '@splunk/react-ui/Text';
import { saveInput } from '../api/resources';
import { emptyInput, validateInput, type InputDraft, type StartChoice } from '../model/input';
import { AWS_REGIONS } from '../model/regions';
import { FormField } from './FormField';
import { useReturnFocus } from './useReturnFocus';

export interface InputModalProps {
  /** The input to edit, or null to add one. */
  input: InputDraft | null;
  accounts: readonly string[];
  indexes: readonly string[];
  existingNames: readonly string[];
  onClose: () => void;
  onSaved: (name: string) => void;
}

type Values = (string | number | boolean)[];

export function InputModal({
  input,
  accounts,
  indexes,
  existingNames,
  onClose,
  onSaved,
}: InputModalProps) {
  const returnFocus = useReturnFocus();
  const isNew = input === null;
  const [draft, setDraft] = useState<InputDraft>(
    () => input ?? emptyInput(accounts.length === 1 ? accounts[0] : ''),
  );
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState('');
  const [saving, setSaving] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);

  const errors = validateInput(draft, { isNew, existingNames, accounts });
  const shown = showErrors ? errors : {};
  const update = (patch: Partial<InputDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const text = (key: keyof InputDraft) => (_: unknown, data: { value: string }) =>
    update({ [key]: data.value });
  const knownIndexes =
    draft.index && !indexes.includes(draft.index) ? [...indexes, draft.index] : indexes;

  async function submit(event?: React.FormEvent) {
    event?.preventDefault();
    setShowErrors(true);
    if (hasAdvancedError(errors)) setAdvancedOpen(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    setServerError('');
    try {
      await saveInput({ ...draft, name: draft.name.trim() }, isNew);
      onSaved(draft.name.trim());
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
      style={{ width: 700 }}
      data-test="input-modal"
    >
      <form onSubmit={submit} noValidate>
        <Modal.Header
          title={isNew ? 'Add CloudHSM input' : `Edit input ${input.name}`}
          subtitle="Collects the audit logs of CloudHSM clusters from CloudWatch Logs."
        />
        <Modal.Body>
          {serverError && (
            <Message type="error" data-test="input-error">
              {serverError}
            </Message>
          )}
          <FormField
            label="Input name"
            required
            error={shown.name}
            help="Letters, digits, _ - and . only."
          >
            <Text
              value={draft.name}
              onChange={text('name')}
              disabled={!isNew}
              error={!!shown.name}
              data-test="input-name"
            />
          </FormField>
          <FormField
            label="AWS account"
            error={shown.account}
            help="Add accounts on the AWS accounts tab."
          >
            <Select
              value={draft.account}
              onChange={(_, { value }) => update({ account: String(value) })}
              error={!!shown.account}
              data-test="input-account"
            >
              <Select.Option label="None: the host's default AWS credentials" value="" />
              {accounts.map((name) => (
                <Select.Option key={name} label={name} value={name} />
              ))}
            </Select>
          </FormField>
          <FormField
            label="Regions"
            required
            error={shown.regions}
            help="Type a code to add a region not listed."
          >
            <Multiselect
              values={draft.regions}
              onChange={(_, { values }: { values: Values }) =>
                update({ regions: values.map(String) })
              }
              allowNewValues
              error={!!shown.regions}
              placeholder="Choose regions"
              data-test="input-regions"
            >
              {AWS_REGIONS.map((region) => (
                <Multiselect.Option
                  key={region.code}
                  label={region.code}
                  description={region.label}
                  value={region.code}
                />
              ))}
            </Multiselect>
          </FormField>
          <FormField label="Clusters" required error={shown.clusters}>
            <RadioBar
              value={draft.discoverAll ? 'all' : 'list'}
              onChange={(_, { value }) => update({ discoverAll: value === 'all' })}
              data-test="input-cluster-mode"
            >
              <RadioBar.Option value="all" label="All clusters (discover)" />
              <RadioBar.Option value="list" label="Only these" />
            </RadioBar>
          </FormField>
          {!draft.discoverAll && (
            <FormField
              label="Cluster IDs or log groups"
              required
              help="cluster-abc123… or /aws/cloudhsm/cluster-abc123…"
            >
              <Multiselect
                values={draft.clusters}
                onChange={(_, { values }: { values: Values }) =>
                  update({ clusters: values.map(String) })
                }
                allowNewValues
                error={!!shown.clusters}
                placeholder="Type a cluster ID and press Enter"
                data-test="input-clusters"
              />
            </FormField>
          )}
          <FormField
            label="Start from"
            required
            help="Where a log stream without a checkpoint starts."
          >
            <Select
              value={draft.startChoice}
              onChange={(_, { value }) => update({ startChoice: value as StartChoice })}
              data-test="input-start"
            >
              <Select.Option label="The last 7 days" value="-7d" />
              <Select.Option label="Now (new records only)" value="now" />
              <Select.Option label="A date" value="date" />
            </Select>
          </FormField>
          {draft.startChoice === 'date' && (
            <FormField
              label="Start date"
              required
              error={shown.startDate}
              help="ISO 8601, e.g. 2026-01-31 or 2026-01-31T08:00:00Z."
            >
              <Text
                value={draft.startDate}
                onChange={text('startDate')}
                error={!!shown.startDate}
                data-test="input-start-date"
              />
            </FormField>
          )}
          <FormField label="Poll interval (s)" required error={shown.pollInterval}>
            <Text
              value={draft.pollInterval}
              onChange={text('pollInterval')}
              error={!!shown.pollInterval}
              data-test="input-poll-interval"
            />
          </FormField>
          <FormField label="Index" help="Where the audit events are indexed.">
            <Select
              value={draft.index}
              onChange={(_, { value }) => update({ index: String(value) })}
              filter
              data-test="input-index"
            >
              <Select.Option label="Default index of the input" value="" />
              {knownIndexes.map((name) => (
                <Select.Option key={name} label={name} value={name} />
              ))}
            </Select>
          </FormField>
          <CollapsiblePanel
            title="Advanced settings"
            open={advancedOpen}
            onChange={(_, { action }) => setAdvancedOpen(action === 'open')}
            data-test="input-advanced"
          >
            <FormField label="Log group prefix" required error={shown.logGroupPrefix}>
              <Text
                value={draft.logGroupPrefix}
                onChange={text('logGroupPrefix')}
                error={!!shown.logGroupPrefix}
                data-test="input-log-group-prefix"
              />
            </FormField>
            <FormField
              label="Late event window (s)"
              required
              error={shown.lateEventWindow}
              help="How far back each poll re-reads, for records CloudWatch ingests late."
            >
              <Text
                value={draft.lateEventWindow}
                onChange={text('lateEventWindow')}
                error={!!shown.lateEventWindow}
                data-test="input-late-event-window"
              />
            </FormField>
            <FormField label="Health interval (s)" required error={shown.healthInterval}>
              <Text
                value={draft.healthInterval}
                onChange={text('healthInterval')}
                error={!!shown.healthInterval}
                data-test="input-health-interval"
              />
            </FormField>
            <FormField label="Discovery interval (s)" required error={shown.discoveryInterval}>
              <Text
                value={draft.discoveryInterval}
                onChange={text('discoveryInterval')}
                error={!!shown.discoveryInterval}
                data-test="input-discovery-interval"
              />
            </FormField>
            <FormField
              label="Requests per second"
              required
              error={shown.maxRequestsPerSecond}
              help="CloudWatch Logs requests per second per account and region, leaving quota for other readers."
            >
              <Text
                value={draft.maxRequestsPerSecond}
                onChange={text('maxRequestsPerSecond')}
                error={!!shown.maxRequestsPerSecond}
                data-test="input-max-requests-per-second"
              />
            </FormField>
            <FormField
              label="Endpoint URL"
              error={shown.endpointUrl}
              help="Optional: overrides the account's endpoint."
            >
              <Text
                value={draft.endpointUrl}
                onChange={text('endpointUrl')}
                error={!!shown.endpointUrl}
                data-test="input-endpoint-url"
              />
            </FormField>
            <FormField
              label="HTTPS proxy"
              error={shown.httpsProxy}
              help="Optional: overrides the account's proxy; no credentials."
            >
              <Text
                value={draft.httpsProxy}
                onChange={text('httpsProxy')}
                error={!!shown.httpsProxy}
                data-test="input-https-proxy"
              />
            </FormField>
          </CollapsiblePanel>
        </Modal.Body>
        <Modal.Footer>
          <Button
            appearance="secondary"
            label="Cancel"
            onClick={onClose}
            data-test="input-cancel"
          />
          <Button
            appearance="primary"
            type="submit"
            label={saving ? 'Saving…' : 'Save'}
            disabled={saving}
            data-test="input-save"
          />
        </Modal.Footer>
      </form>
    </Modal>
  );
}

const ADVANCED: (keyof InputDraft)[] = [
  'logGroupPrefix',
  'lateEventWindow',
  'healthInterval',
  'discoveryInterval',
  'maxRequestsPerSecond',
  'endpointUrl',
  'httpsProxy',
];

function hasAdvancedError(errors: Partial<Record<keyof InputDraft, string>>): boolean {
  return ADVANCED.some((key) => errors[key]);
}
