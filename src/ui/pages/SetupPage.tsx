/**
 * The setup page: who may do what, then four tabs — AWS accounts, inputs, settings, finish setup.
 * A user without the capabilities to change anything reads which ones are missing instead of
 * forms that would fail.
 */
import { errorText } from '../api/splunkd';
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import Button from '@splunk/react-ui/Button';
import Heading from '@splunk/react-ui/Heading';
import Message from '@splunk/react-ui/Message';
import P from '@splunk/react-ui/Paragraph';
import TabLayout from '@splunk/react-ui/TabLayout';
import WaitSpinner from '@splunk/react-ui/WaitSpinner';
import { currentUser, isConfigured } from '../api/resources';
import { abilities, ACCOUNTS_NEED, INPUTS_NEED, type CurrentUser } from '../model/permissions';
import { AccountsPanel } from '../components/AccountsPanel';
import { FinishPanel } from '../components/FinishPanel';
import { InputsPanel } from '../components/InputsPanel';
import { SettingsPanel } from '../components/SettingsPanel';
import { isSearchHead, macroFromIndexes } from '../model/settings';
import { useSetupData } from './useSetupData';

interface Session {
  user: CurrentUser;
  configured: boolean;
}

export function SetupPage() {
  const [session, setSession] = useState<Session | null>(null);
  const [loadError, setLoadError] = useState('');
  const [tab, setTab] = useState('accounts');

  const load = useCallback(async () => {
    setLoadError('');
    try {
      const [user, configured] = await Promise.all([currentUser(), isConfigured()]);
      setSession({ user, configured });
    } catch (error) {
      setLoadError(errorText(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const can = useMemo(() => (session ? abilities(session.user) : null), [session]);
  const data = useSetupData(can);

  let body: React.ReactNode;
  if (loadError) {
    body = (
      <Message type="error" data-test="setup-load-error">
        {loadError}{' '}
        <Button
          appearance="secondary"
          label="Retry"
          onClick={() => void load()}
          data-test="setup-retry"
        />
      </Message>
    );
  } else if (!session || !can || !data.loaded) {
    body = (
      <WaitSpinner
        size="medium"
        screenReaderText="Loading the app's settings"
        data-test="setup-loading"
      />
    );
  } else if (!can.manageAccounts && !can.manageInputs && !can.finishSetup) {
    body = (
      <Message type="warning" data-test="setup-no-permission">
        You are signed in as {session.user.username || 'a user'}
        {session.user.roles.length ? ` (roles: ${session.user.roles.join(', ')})` : ''}, which
        cannot change this app's setup. Setting it up needs the capability {ACCOUNTS_NEED} for AWS
        accounts, and {INPUTS_NEED} for inputs. Ask a Splunk admin to grant them to one of your
        roles, or to set the app up.
      </Message>
    );
  } else {
    const accountNames = data.accounts.map((account) => account.name);
    const inputIndexes = data.inputs.map((input) => input.index);
    body = (
      <>
        {data.errors.map((error) => (
          <Message type="error" key={error} data-test="setup-data-error">
            {error}
          </Message>
        ))}
        <TabLayout
          activePanelId={tab}
          onChange={(_, { activePanelId }) => setTab(activePanelId ?? 'accounts')}
        >
          <TabLayout.Panel
            label="1. AWS accounts"
            panelId="accounts"
            count={data.accounts.length}
            data-test="tab-accounts"
          >
            <AccountsPanel
              accounts={data.accounts}
              secrets={data.secrets}
              inputs={data.inputs}
              canManage={can.manageAccounts}
              onChanged={data.reload}
            />
          </TabLayout.Panel>
          <TabLayout.Panel
            label="2. Inputs"
            panelId="inputs"
            count={data.inputs.length}
            data-test="tab-inputs"
          >
            <InputsPanel
              inputs={data.inputs}
              accounts={accountNames}
              indexes={data.indexes}
              states={data.states}
              canManage={can.manageInputs}
              onChanged={data.reload}
            />
          </TabLayout.Panel>
          <TabLayout.Panel label="3. Settings" panelId="settings" data-test="tab-settings">
            <SettingsPanel
              indexMacro={data.indexMacro}
              logLevel={data.logLevel}
              inputIndexes={inputIndexes}
              canChange={can.finishSetup}
              onChanged={data.reload}
            />
          </TabLayout.Panel>
          <TabLayout.Panel label="4. Finish setup" panelId="finish" data-test="tab-finish">
            <FinishPanel
              configured={session.configured}
              canFinish={can.finishSetup}
              accountCount={data.accounts.length}
              enabledInputCount={data.inputs.filter((input) => !input.disabled).length}
              searchHead={isSearchHead(data.roles)}
              indexMacro={data.indexMacro}
              macroSuggestion={macroFromIndexes(inputIndexes)}
              onFinished={() => setSession({ ...session, configured: true })}
            />
          </TabLayout.Panel>
        </TabLayout>
      </>
    );
  }

  return (
    <div data-test="cloudhsm-audit-setup">
      <Heading level={1}>Set up AWS CloudHSM Audit</Heading>
      <P>
        Add the AWS accounts that can read your CloudHSM clusters' audit logs, then the inputs that
        collect them into Splunk.
      </P>
      <div style={{ marginTop: 16 }}>{body}</div>
    </div>
  );
}
