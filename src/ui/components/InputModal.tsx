/**
 * Adds or edits one `cloudhsm_audit` input. splunkd runs the collector's `--validate-arguments`
 * when this is saved; what it answers (a bad region, AWS refusing logs:DescribeLogGroups…) is
 * shown at the top of this form, where the fix is made.
 */
import React, { useState } from 'react';
import CollapsiblePanel from '@splunk/react-ui/CollapsiblePanel';
import ComboBox from '@splunk/react-ui/ComboBox';
import Multiselect from '@splunk/react-ui/Multiselect';
import RadioBar from '@splunk/react-ui/RadioBar';
import Select from '@splunk/react-ui/Select';
import { saveInput } from '../api/resources';
import {
  CHECKPOINT_STORE_CHOICES,
  emptyInput,
  EXTRA_ARGUMENTS,
  validateInput,
  type InputDraft,
  type StartChoice,
} from '../model/input';
import { AWS_REGIONS } from '../model/regions';
import { FormField } from './FormField';
import { TextField } from './TextField';
import { FormModal } from './FormModal';

export interface InputModalProps {
  /** The input to edit, or null to add one. */
  input: InputDraft | null;
  /** A new input starting from a copy of this one's settings (Clone); its name is empty. */
  cloneOf?: InputDraft;
  accounts: readonly string[];
  indexes: readonly string[];
  existingNames: readonly string[];
  onClose: () => void;
  onSaved: (name: string) => void;
}

type TextKey = {
  [K in keyof InputDraft]: InputDraft[K] extends string ? K : never;
}[keyof InputDraft];

/** The settings behind "Advanced settings": each has a default fit for most clusters. */
const ADVANCED: {
  key: TextKey;
  label: string;
  testId: string;
  required?: boolean;
  help?: string;
}[] = [
  {
    key: 'logGroupPrefix',
    label: 'Log group prefix',
    testId: 'input-log-group-prefix',
    required: true,
  },
  {
    key: 'lateEventWindow',
    label: 'Late event window (s)',
    testId: 'input-late-event-window',
    required: true,
    help: 'How far back each poll re-reads, for records CloudWatch ingests late.',
  },
  {
    key: 'healthInterval',
    label: 'Health interval (s)',
    testId: 'input-health-interval',
    required: true,
  },
  {
    key: 'discoveryInterval',
    label: 'Discovery interval (s)',
    testId: 'input-discovery-interval',
    required: true,
  },
  {
    key: 'maxRequestsPerSecond',
    label: 'Requests per second',
    testId: 'input-max-requests-per-second',
    required: true,
    help: 'CloudWatch Logs requests per second per account and region, leaving quota for other readers.',
  },
  {
    key: 'endpointUrl',
    label: 'Endpoint URL',
    testId: 'input-endpoint-url',
    help: "Optional: overrides the account's endpoint.",
  },
  {
    key: 'httpsProxy',
    label: 'HTTPS proxy',
    testId: 'input-https-proxy',
    help: "Optional: overrides the account's proxy; no credentials.",
  },
];

export function InputModal({
  input,
  cloneOf,
  accounts,
  indexes,
  existingNames,
  onClose,
  onSaved,
}: InputModalProps) {
  const isNew = input === null;
  const [draft, setDraft] = useState<InputDraft>(
    () =>
      input ??
      (cloneOf ? { ...cloneOf, name: '' } : emptyInput(accounts.length === 1 ? accounts[0] : '')),
  );
  const [showErrors, setShowErrors] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);

  const errors = validateInput(draft, { isNew, existingNames, accounts });
  const shown = showErrors ? errors : {};
  const update = (patch: Partial<InputDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const field = (key: TextKey) => ({
    value: draft[key],
    onChange: (value: string) => update({ [key]: value }),
    error: shown[key],
  });

  async function save() {
    await saveInput({ ...draft, name: draft.name.trim() }, isNew);
    onSaved(draft.name.trim());
  }

  return (
    <FormModal
      title={
        input
          ? `Edit input ${input.name}`
          : cloneOf
            ? `Clone input ${cloneOf.name}`
            : 'Add CloudHSM input'
      }
      subtitle="Collects the audit logs of CloudHSM clusters from CloudWatch Logs."
      width={700}
      testId="input"
      invalid={Object.keys(errors).length > 0}
      onAttempt={() => {
        setShowErrors(true);
        if (
          ADVANCED.some(({ key }) => errors[key]) ||
          EXTRA_ARGUMENTS.some(({ name }) => errors[`arg:${name}`])
        )
          setAdvancedOpen(true);
      }}
      onSave={save}
      onClose={onClose}
    >
      <TextField
        label="Input name"
        required
        disabled={!isNew}
        help="Letters, digits, _ - and . only."
        testId="input-name"
        {...field('name')}
      />
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
          onChange={(_, { values }) => update({ regions: values.map(String) })}
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
            onChange={(_, { values }) => update({ clusters: values.map(String) })}
            allowNewValues
            error={!!shown.clusters}
            placeholder="Type a cluster ID and press Enter"
            data-test="input-clusters"
          />
        </FormField>
      )}
      <FormField label="Start from" required help="Where a log stream without a checkpoint starts.">
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
        <TextField
          label="Start date"
          required
          help="ISO 8601, e.g. 2026-01-31 or 2026-01-31T08:00:00Z."
          testId="input-start-date"
          {...field('startDate')}
        />
      )}
      <TextField
        label="Poll interval (s)"
        required
        testId="input-poll-interval"
        {...field('pollInterval')}
      />
      <FormField
        label="Index"
        help="Where the audit events are indexed; empty: Splunk's default index (main). Type any name: on a heavy forwarder the index usually exists only on the indexers, so the list suggests only this instance's indexes."
      >
        <ComboBox
          value={draft.index}
          onChange={(_, { value }) => update({ index: String(value).trim() })}
          placeholder="main"
          data-test="input-index"
        >
          {indexes.map((name) => (
            <ComboBox.Option key={name} value={name} />
          ))}
        </ComboBox>
      </FormField>
      <FormField
        label="Checkpoint store"
        error={shown.checkpointStore}
        help="Where the input keeps how far it has read. The KV store follows the input from host to host in a search head cluster or Splunk Cloud, and lets only one host run it at a time; files stay on the host that runs it."
      >
        <Select
          value={draft.checkpointStore}
          onChange={(_, { value }) =>
            update({ checkpointStore: value as InputDraft['checkpointStore'] })
          }
          error={!!shown.checkpointStore}
          data-test="input-checkpoint-store"
        >
          {CHECKPOINT_STORE_CHOICES.map((choice) => (
            <Select.Option
              key={choice.value}
              label={choice.label}
              description={choice.description}
              descriptionPosition="bottom"
              value={choice.value}
            />
          ))}
        </Select>
      </FormField>
      <CollapsiblePanel
        title="Advanced settings"
        open={advancedOpen}
        onChange={(_, { action }) => setAdvancedOpen(action === 'open')}
        data-test="input-advanced"
      >
        {ADVANCED.map(({ key, ...props }) => (
          <TextField key={key} {...props} {...field(key)} />
        ))}
        {EXTRA_ARGUMENTS.map((argument) => (
          <TextField
            key={argument.name}
            label={argument.title}
            help={argument.description}
            required={argument.requiredOnCreate}
            testId={`input-arg-${argument.name}`}
            value={draft.extra[argument.name] ?? ''}
            onChange={(value) => update({ extra: { ...draft.extra, [argument.name]: value } })}
            error={shown[`arg:${argument.name}`]}
          />
        ))}
      </CollapsiblePanel>
    </FormModal>
  );
}
