/**
 * The settings tab: the `cloudhsm_index` macro every dashboard and alert starts from (suggested
 * from the indexes the inputs write to, editable: on a search head there are no inputs to go by),
 * and the log level of the inputs on this instance (`cloudhsm_audit_settings.conf`, applied by a
 * running input within a minute).
 */
import React, { useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Select from '@splunk/react-ui/Select';
import { saveIndexMacro, saveLogLevel } from '../api/settings';
import {
  DEFAULT_INDEX_MACRO,
  LOG_LEVELS,
  macroError,
  macroFromIndexes,
  type LogLevel,
} from '../model/settings';
import { FINISH_NEED } from '../model/permissions';
import { FormField } from './FormField';
import { PanelHeader } from './PanelHeader';
import { TextField } from './TextField';
import { useAction } from './useAction';

export interface SettingsPanelProps {
  indexMacro: string;
  logLevel: string;
  /** The indexes the inputs of this instance write to ('' = Splunk's default). */
  inputIndexes: string[];
  canChange: boolean;
  onChanged: () => Promise<void>;
}

const LEVEL_HELP: Record<LogLevel, string> = {
  DEBUG: 'DEBUG: also every CloudWatch Logs request (for troubleshooting)',
  INFO: 'INFO: start, stop, health and findings (recommended)',
  WARN: 'WARN: only problems',
  ERROR: 'ERROR: only failures',
};

export function SettingsPanel({
  indexMacro,
  logLevel,
  inputIndexes,
  canChange,
  onChanged,
}: SettingsPanelProps) {
  const [macro, setMacro] = useState(indexMacro);
  const [level, setLevel] = useState<LogLevel>(
    (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as LogLevel) : 'INFO',
  );
  const [notice, setNotice] = useState('');
  const [showMacroError, setShowMacroError] = useState(false);
  const macroAction = useAction();
  const levelAction = useAction();
  const suggestion = macroFromIndexes(inputIndexes);
  const invalid = macroError(macro);

  const saveMacro = () =>
    macroAction.run(async () => {
      setNotice('');
      setShowMacroError(true);
      if (invalid) return;
      await saveIndexMacro(macro.trim());
      setNotice(`The cloudhsm_index macro is now ${macro.trim()}.`);
      await onChanged();
    });
  const saveLevel = () =>
    levelAction.run(async () => {
      setNotice('');
      await saveLogLevel(level);
      setNotice(`The log level is now ${level}: running inputs apply it within a minute.`);
      await onChanged();
    });

  return (
    <section data-test="settings-panel">
      <PanelHeader
        title="Settings"
        description="Where the dashboards and alerts search, and how much the inputs log."
      />
      {!canChange && (
        <Message type="warning" data-test="settings-read-only">
          Changing these settings needs the capability {FINISH_NEED}.
        </Message>
      )}
      {notice && (
        <Message type="success" data-test="settings-notice">
          {notice}
        </Message>
      )}
      {macroAction.error && (
        <Message type="error" data-test="settings-macro-error">
          {macroAction.error}
        </Message>
      )}
      <TextField
        label="Search macro cloudhsm_index"
        testId="settings-index-macro"
        value={macro}
        onChange={setMacro}
        disabled={!canChange}
        error={showMacroError ? invalid : undefined}
        help={
          <>
            The indexes every dashboard and alert searches. {DEFAULT_INDEX_MACRO} (the default)
            works anywhere but searches every index your role may search.
            {suggestion
              ? ` The inputs here write to: ${suggestion}.`
              : ' No input here names an index: on a search head, enter the index your heavy forwarders write to.'}
          </>
        }
      />
      <div style={{ display: 'flex', gap: 8, marginLeft: 172, marginBottom: 24 }}>
        {suggestion && suggestion !== macro.trim() && (
          <Button
            appearance="secondary"
            label="Use the inputs' indexes"
            onClick={() => setMacro(suggestion)}
            disabled={!canChange}
            data-test="settings-use-input-indexes"
          />
        )}
        <Button
          appearance="primary"
          label={macroAction.busy ? 'Saving…' : 'Save macro'}
          onClick={() => void saveMacro()}
          disabled={!canChange || macroAction.busy || macro.trim() === indexMacro.trim()}
          data-test="settings-save-macro"
        />
      </div>
      {levelAction.error && (
        <Message type="error" data-test="settings-level-error">
          {levelAction.error}
        </Message>
      )}
      <FormField
        label="Log level"
        help="Of the inputs on this Splunk instance, in splunkd.log (index=_internal component=ExecProcessor cloudhsm_audit). Running inputs apply a change within a minute, without a restart."
      >
        <Select
          value={level}
          onChange={(_, { value }) => setLevel(value as LogLevel)}
          disabled={!canChange}
          data-test="settings-log-level"
        >
          {LOG_LEVELS.map((name) => (
            <Select.Option key={name} label={LEVEL_HELP[name]} value={name} />
          ))}
        </Select>
      </FormField>
      <div style={{ marginLeft: 172 }}>
        <Button
          appearance="primary"
          label={levelAction.busy ? 'Saving…' : 'Save log level'}
          onClick={() => void saveLevel()}
          disabled={!canChange || levelAction.busy || level === logLevel}
          data-test="settings-save-log-level"
        />
      </div>
    </section>
  );
}
