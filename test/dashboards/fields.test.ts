/**
 * Every search the dashboards and alerts ship uses only fields that the app's conf files produce,
 * that Splunk defines, or that the search itself creates earlier in its pipeline. The allow-list
 * is read from the conf files at run time (lib/allowlist.ts), so a renamed extraction breaks this
 * test, and so does a misspelled field in a search.
 */
import { buildAllowList } from './lib/allowlist';
import { dashboardSearches, savedSearches } from './lib/searches';
import { expressionFields, unknownFields, type SplContext } from './lib/spl';

const allow = buildAllowList();
const context: SplContext = { known: allow.fields, macros: allow.macros };
const shipped = [...dashboardSearches(), ...savedSearches()];

describe('the allow-list comes from the app files', () => {
  it('holds the extractions, lookups and macros the dashboards build on', () => {
    // If these are missing the conf files are not there yet (or were renamed): nothing is guessed.
    for (const f of [
      'opcode',
      'response_status',
      'user_role',
      'hsm_id',
      'sequence_no',
      'opcode_category',
    ]) {
      expect(allow.fields).toContain(f);
    }
    expect([...allow.macros.keys()]).toEqual(
      expect.arrayContaining([
        'cloudhsm_audit',
        'cloudhsm_collector',
        'cloudhsm_actor',
        'cloudhsm_index',
      ]),
    );
  });
});

describe('searches use known fields', () => {
  it('finds the searches of both dashboards and of savedsearches.conf', () => {
    expect(
      shipped.filter((s) => s.where.startsWith('cloudhsm_event_dashboard')).length,
    ).toBeGreaterThan(10);
    expect(
      shipped.filter((s) => s.where.startsWith('cloudhsm_audit_integrity')).length,
    ).toBeGreaterThan(10);
    expect(shipped.filter((s) => s.where.startsWith('savedsearches.conf')).length).toBe(7);
  });

  it.each(shipped.map((s) => [s.where, s.spl]))('%s', (_where, spl) => {
    expect(unknownFields(spl, context)).toEqual([]);
  });

  it('each starts from an app macro (the _internal collector log is the one exception)', () => {
    for (const s of shipped) {
      const start = s.spl.trim();
      if (start.startsWith('index=_internal')) continue;
      expect([
        s.where,
        /^\(?`(cloudhsm_audit|cloudhsm_collector|cloudhsm_certstore)`/.test(start),
      ]).toEqual([s.where, true]);
    }
  });
});

describe('the field checker can fail', () => {
  it('reports a misspelled field', () => {
    const spl = '`cloudhsm_audit` opcode="CN_LOGIN" | stats count by user_nmae';
    expect(unknownFields(spl, context)).toEqual([{ field: 'user_nmae', command: 'stats' }]);
  });

  it('reports a misspelling in a real dashboard search', () => {
    const base = shipped.find((s) => s.where === 'cloudhsm_event_dashboard ds_failed_co');
    expect(base).toBeDefined();
    const misspelled = (base?.spl ?? '').replace('in(user_role,', 'in(user_rol,');
    expect(misspelled).not.toBe(base?.spl);
    expect(unknownFields(misspelled, context)).toEqual([{ field: 'user_rol', command: 'eval' }]);
  });

  it('reports misspellings in search terms, where, eval and table', () => {
    const spl =
      '`cloudhsm_audit` opcodee="CN_LOGIN" | where respnse_status="ERROR" | eval x=if(isnull(usr_role), 1, 0) | table _time x hsm_idd';
    expect(unknownFields(spl, context).map((p) => p.field)).toEqual([
      'opcodee',
      'respnse_status',
      'usr_role',
      'hsm_idd',
    ]);
  });

  it('reports a field used after stats dropped it', () => {
    const spl = '`cloudhsm_audit` | stats count by opcode | where user_name="admin"';
    expect(unknownFields(spl, context)).toEqual([{ field: 'user_name', command: 'where' }]);
  });

  it('accepts what the search creates, and what a macro creates', () => {
    const spl =
      '`cloudhsm_audit` | `cloudhsm_actor` | eval who=actor_user_name | rex field=who "(?<first>\\w)" | rename first as initial | stats count as n by who initial | where n > 1';
    expect(unknownFields(spl, context)).toEqual([]);
  });

  it('reads subsearches and appendpipe', () => {
    const spl =
      '`cloudhsm_audit` [search `cloudhsm_audit` opcode="CN_LOGIN" | fields sesion_handle] | stats count by hsm_id | appendpipe [stats count as hsms | eval note="total"] | where isnotnull(note) OR hsms>0';
    expect(unknownFields(spl, context)).toEqual([{ field: 'sesion_handle', command: 'fields' }]);
  });

  it('refuses a command it cannot read instead of passing it', () => {
    expect(() => unknownFields('`cloudhsm_audit` | transaction session_handle', context)).toThrow(
      /unsupported command/,
    );
  });

  it('reads eval expressions: functions, strings and keywords are not fields', () => {
    expect(expressionFields('if(match(a, "b c"), \'d e\', f) AND NOT g IN ("h")')).toEqual([
      'a',
      'd e',
      'f',
      'g',
    ]);
  });
});
