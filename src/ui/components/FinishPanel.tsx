/**
 * The last tab: marks the app configured (`configured=true` on apps/local/cloudhsm_audit), so
 * opening the app goes to its dashboards instead of this page, and points the `cloudhsm_index`
 * macro at the inputs' indexes while it still has the shipped `index=*`. The page stays reachable
 * from the app's navigation. On a search head (by its server roles) no input is expected, so no
 * warning about one.
 */
import React from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import P from '@splunk/react-ui/Paragraph';
import { finishSetup } from '../api/resources';
import { saveIndexMacro } from '../api/settings';
import { FINISH_NEED } from '../model/permissions';
import { DEFAULT_INDEX_MACRO } from '../model/settings';
import { PanelHeader } from './PanelHeader';
import { useAction } from './useAction';

export interface FinishPanelProps {
  configured: boolean;
  canFinish: boolean;
  accountCount: number;
  enabledInputCount: number;
  /** This instance is a search head: inputs run elsewhere. */
  searchHead: boolean;
  indexMacro: string;
  /** The macro definition from the inputs' indexes ('' when there is no input). */
  macroSuggestion: string;
  onFinished: () => void;
}

export function FinishPanel({
  configured,
  canFinish,
  accountCount,
  enabledInputCount,
  searchHead,
  indexMacro,
  macroSuggestion,
  onFinished,
}: FinishPanelProps) {
  const { busy, error, run } = useAction();
  const setsMacro = indexMacro.trim() === DEFAULT_INDEX_MACRO && macroSuggestion !== '';
  const finish = () =>
    run(async () => {
      if (setsMacro) await saveIndexMacro(macroSuggestion);
      await finishSetup();
      onFinished();
    });

  return (
    <section data-test="finish-panel">
      <PanelHeader
        title="Finish setup"
        description="Marks the app as configured: opening AWS CloudHSM Audit then shows its dashboards. This page stays in the app's navigation bar (Setup) for later changes."
      />
      <P data-test="finish-summary">
        {accountCount} AWS {accountCount === 1 ? 'account' : 'accounts'}, {enabledInputCount}{' '}
        enabled {enabledInputCount === 1 ? 'input' : 'inputs'}.
      </P>
      {searchHead && (
        <Message type="info" data-test="finish-search-head">
          This Splunk instance is a search head: the inputs run on a heavy forwarder, which has its
          own setup. Here, point the cloudhsm_index macro (Settings tab) at the index the forwarders
          write to.
        </Message>
      )}
      {enabledInputCount === 0 && !configured && !searchHead && (
        <Message type="warning" data-test="finish-no-input">
          No input is enabled yet, so no audit log will be collected. You can still finish now and
          add inputs later.
        </Message>
      )}
      {setsMacro && !configured && (
        <P data-test="finish-macro">
          Finishing also sets the cloudhsm_index macro to {macroSuggestion}, the indexes the inputs
          write to (it searches every index until then).
        </P>
      )}
      {error && (
        <Message type="error" data-test="finish-error">
          {error}
        </Message>
      )}
      {configured ? (
        <Message type="success" data-test="finish-done">
          Setup is finished. Changes you make on this page take effect immediately.
        </Message>
      ) : canFinish ? (
        <Button
          appearance="primary"
          label={busy ? 'Finishing…' : 'Finish setup'}
          onClick={finish}
          disabled={busy}
          data-test="finish-setup"
        />
      ) : (
        <Message type="warning" data-test="finish-read-only">
          Only a user with the capability {FINISH_NEED} can mark the app as configured. Ask a Splunk
          admin to finish setup.
        </Message>
      )}
    </section>
  );
}
