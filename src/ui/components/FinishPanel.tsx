/**
 * The last tab: marks the app configured (`configured=true` on apps/local/cloudhsm_audit), so
 * opening the app goes to its dashboards instead of this page. The page stays reachable from the
 * app's navigation.
 */
import React from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import P from '@splunk/react-ui/Paragraph';
import { finishSetup } from '../api/resources';
import { FINISH_NEED } from '../model/permissions';
import { PanelHeader } from './PanelHeader';
import { useAction } from './useAction';

export interface FinishPanelProps {
  configured: boolean;
  canFinish: boolean;
  accountCount: number;
  enabledInputCount: number;
  onFinished: () => void;
}

export function FinishPanel({
  configured,
  canFinish,
  accountCount,
  enabledInputCount,
  onFinished,
}: FinishPanelProps) {
  const { busy, error, run } = useAction();
  const finish = () =>
    run(async () => {
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
      {enabledInputCount === 0 && !configured && (
        <Message type="warning" data-test="finish-no-input">
          No input is enabled yet, so no audit log will be collected. You can still finish now and
          add inputs later.
        </Message>
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
