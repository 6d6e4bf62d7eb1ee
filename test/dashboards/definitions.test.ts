/**
 * Each Dashboard Studio view validates against Splunk's own Dashboard Studio schema, and holds
 * together where the schema cannot tell: every panel's data source exists, every token an input
 * sets is used, every `$token$` used is set by an input (or is a drilldown's own row/click token).
 *
 * The schema comes from `createSchemaBasedOnPresets(EnterpriseViewOnlyPreset)`
 * (@splunk/dashboard-definition). The presets need a browser, so the render test generates it in
 * Chromium and compares it with schema/dashboard-studio.schema.json; to refresh the file after
 * upgrading the @splunk packages run `UPDATE_DASHBOARD_SCHEMA=1 npx jest test/dashboards/render`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DashboardValidator } from '@splunk/dashboard-validation';
import { isValidUrl, migrateToTabsLayout } from '@splunk/dashboard-utils';

// @splunk/dashboard-utils loads jsPDF (PDF export) as an ES module jest cannot load; the
// migration does not use it.
jest.mock('jspdf/dist/jspdf.es.min.js', () => ({}));
import { defaultTokenValues, inputTokens, stringsOf, substitute, tokensIn } from './lib/tokens';
import { studioViews, type Definition } from './lib/views';

const SCHEMA = path.join(__dirname, 'schema/dashboard-studio.schema.json');
const views = studioViews();

let validator: DashboardValidator | undefined;

/** Validates as Splunk does: the 29.x schema only knows the tabs layout, so migrate first. */
function validate(definition: Definition): unknown {
  if (!validator) {
    validator = new DashboardValidator();
    // ajv's strict-mode notes about Splunk's own schema are not ours to fix.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = validator.setSchema(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
    warn.mockRestore();
    expect(error).toBeNull();
  }
  const migrated = migrateToTabsLayout({ definition } as never) as {
    success: boolean;
    definition: unknown;
  };
  expect(migrated.success).toBe(true);
  return validator.validate(migrated.definition as never);
}

/** Tokens a drilldown (event handler) gets from the clicked row or point (`name`: its series). */
const DRILLDOWN_TOKEN = /^((row|click|value|name|trellis)\.|name$|value$)/;

it('finds both dashboards, Dashboard Studio (version 2), dark, with a label', () => {
  expect(views.map((v) => v.name)).toEqual([
    'cloudhsm_audit_integrity',
    'cloudhsm_event_dashboard',
  ]);
  for (const v of views) {
    expect(v.label).not.toBe('');
    expect(fs.readFileSync(v.file, 'utf8')).toMatch(/^<dashboard version="2" theme="dark">/);
    expect(JSON.parse(v.meta.hiddenElements ?? 'null')).toEqual(expect.any(Object));
  }
});

describe.each(views.map((v) => [v.name, v]))('%s', (_name, view) => {
  const def = view.definition;

  it('validates against the Dashboard Studio schema', () => {
    expect(validate(def)).toBeNull();
  });

  it('the schema check can fail (a wrong visualization option type is reported)', () => {
    const broken = structuredClone(def);
    const first = Object.values(broken.visualizations)[0] as { dataSources?: unknown };
    first.dataSources = 'not an object';
    expect(validate(broken)).not.toBeNull();
  });

  it('every visualization and input refers to data sources that exist', () => {
    const refs = [
      ...Object.entries(def.visualizations),
      ...Object.entries(def.inputs ?? {}),
    ].flatMap(([id, item]) =>
      Object.values(item.dataSources ?? {}).map((ds): [string, string] => [id, ds]),
    );
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter(([, ds]) => !(ds in def.dataSources))).toEqual([]);
    const chains = Object.entries(def.dataSources).filter(([, ds]) => ds.type === 'ds.chain');
    expect(chains.filter(([, ds]) => !((ds.options?.extend as string) in def.dataSources))).toEqual(
      [],
    );
  });

  it('every data source is used by a panel, an input or a chain', () => {
    const used = new Set([
      ...[...Object.values(def.visualizations), ...Object.values(def.inputs ?? {})].flatMap((i) =>
        Object.values(i.dataSources ?? {}),
      ),
      ...Object.values(def.dataSources).map((ds) => ds.options?.extend as string),
    ]);
    expect(Object.keys(def.dataSources).filter((id) => !used.has(id))).toEqual([]);
  });

  it('every panel and input is placed in the layout', () => {
    const placed = new Set([
      ...(def.layout.structure ?? []).map((s) => s.item),
      ...(def.layout.globalInputs ?? []),
    ]);
    expect(
      [...Object.keys(def.visualizations), ...Object.keys(def.inputs ?? {})].filter(
        (id) => !placed.has(id),
      ),
    ).toEqual([]);
  });

  it('every token an input sets is used somewhere', () => {
    const everywhere = stringsOf({ ...def, inputs: undefined }).flatMap((s) => tokensIn(s.text));
    for (const [token, { input }] of inputTokens(def)) {
      expect([
        input,
        token,
        everywhere.some((t) => t === token || t.startsWith(`${token}.`)),
      ]).toEqual([input, token, true]);
    }
  });

  it('every $token$ used is set by an input, or is a drilldown row/click token', () => {
    const set = new Set([...inputTokens(def).values()].flatMap((t) => Object.keys(t.defaults)));
    const unknown = stringsOf(def)
      .flatMap((s) => tokensIn(s.text).map((t) => ({ at: s.at, t })))
      .filter(
        ({ at, t }) => !set.has(t) && !(DRILLDOWN_TOKEN.test(t) && at.includes('.eventHandlers[')),
      );
    expect(unknown).toEqual([]);
  });

  it('every drilldown URL is one Splunk follows (it ignores other URLs silently)', () => {
    // Dashboard Studio only navigates to http(s) URLs or paths starting with "/", without
    // whitespace once tokens are in: a relative "search?q=..." link would do nothing.
    const urls = stringsOf(def)
      .filter((s) => /\.eventHandlers\[\d+\]\.options\.url$/.test(s.at))
      .map((s) => substitute(s.text, defaultTokenValues(def)).replace(/\$row\.[\w.]+\|u\$/g, 'x'));
    expect(urls.filter((u) => !isValidUrl(u) || u.startsWith('/en-US/'))).toEqual([]);
  });

  it('every search data source is named, and time-bound through the defaults', () => {
    expect(Object.entries(def.dataSources).filter(([, ds]) => !ds.name)).toEqual([]);
    expect(JSON.stringify(def.defaults)).toContain('"earliest":"$global_time.earliest$"');
  });
});

it('the event dashboard has the filters of the original (Log Type, HSM Command) and a Submit button', () => {
  const def = views.find((v) => v.name === 'cloudhsm_event_dashboard')?.definition as Definition;
  const titles = Object.values(def.inputs ?? {}).map((i) => i.title);
  expect(titles).toEqual(['Time range', 'Log Type', 'HSM Command', 'Cluster', 'HSM', 'Response']);
  expect(def.layout.options?.submitButton).toBe(true);
});
