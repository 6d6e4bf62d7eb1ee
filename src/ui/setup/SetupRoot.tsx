/** The setup page in Splunk's enterprise theme, on the theme's page background. */
import React from 'react';
import SplunkThemeProvider from '@splunk/themes/SplunkThemeProvider';
import useSplunkTheme from '@splunk/themes/useSplunkTheme';
import { SetupPage } from '../pages/SetupPage';

function Page({ children }: { children: React.ReactNode }) {
  const theme = useSplunkTheme();
  const style: React.CSSProperties = {
    background: theme.backgroundColorPage,
    color: theme.contentColorDefault,
    padding: `${theme.spacingLarge} ${theme.spacingXLarge}`,
    minHeight: 480,
  };
  return (
    <div style={style} data-theme={theme.colorScheme}>
      {children}
    </div>
  );
}

export function SetupRoot({ colorScheme }: { colorScheme: 'light' | 'dark' }) {
  return (
    <SplunkThemeProvider family="enterprise" colorScheme={colorScheme} density="comfortable">
      <Page>
        <SetupPage />
      </Page>
    </SplunkThemeProvider>
  );
}
