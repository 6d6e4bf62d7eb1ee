/**
 * Browser entry of the dashboard render harness. It exposes `window.dashboardHarness`:
 *   - `render(definition, answers)`: renders a Dashboard Studio definition with Splunk's own
 *     renderer (SplunkThemeProvider → DashboardContextProvider → DashboardCore) and the
 *     CloudViewOnlyPreset, whose `input.timerange` works without Splunk Web (the Enterprise one
 *     asks Splunk Web for time presets); `ds.search` and `ds.chain` are replaced by TestSearch;
 *   - `received`: every search the framework created, with its complete query text;
 *   - `schema()`: the Dashboard Studio JSON schema for the Enterprise preset (the one the views run
 *     under in Splunk), which the Node tests keep in test/dashboards/schema/.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { SplunkThemeProvider } from '@splunk/themes';
import DashboardCore from '@splunk/dashboard-core';
import { DashboardContextProvider } from '@splunk/dashboard-context';
import CloudViewOnlyPreset from '@splunk/dashboard-presets/CloudViewOnlyPreset';
import EnterpriseViewOnlyPreset from '@splunk/dashboard-presets/EnterpriseViewOnlyPreset';
import { createSchemaBasedOnPresets } from '@splunk/dashboard-definition';
import { createTestSearch, type ColumnData, type ReceivedSearch } from './TestSearch';

const received: ReceivedSearch[] = [];

function render(definition: object, answers: Record<string, ColumnData>): void {
  const TestSearch = createTestSearch(answers, received);
  const preset = {
    ...CloudViewOnlyPreset,
    dataSources: {
      ...CloudViewOnlyPreset.dataSources,
      'ds.search': TestSearch,
      'ds.chain': TestSearch,
    },
  };
  const container = document.getElementById('root');
  if (!container) throw new Error('harness page has no #root');
  createRoot(container).render(
    <SplunkThemeProvider family="enterprise" colorScheme="dark" density="comfortable">
      <DashboardContextProvider preset={preset} initialDefinition={definition}>
        <DashboardCore width="100%" height="100%" />
      </DashboardContextProvider>
    </SplunkThemeProvider>,
  );
}

function schema(): unknown {
  return createSchemaBasedOnPresets(EnterpriseViewOnlyPreset);
}

declare global {
  interface Window {
    dashboardHarness: { render: typeof render; schema: typeof schema; received: ReceivedSearch[] };
  }
}

window.dashboardHarness = { render, schema, received };
