/**
 * The SPL engine the dashboard and alert tests run searches with (harness/spl/): each modelled
 * behaviour, from the Search Reference, on small hand-made rows with hand-written expectations.
 */
import { runPipeline, runSpl, type Row } from './harness/spl';
import { isoTime, resolveTime, strftime } from './harness/spl/time';

const NOW = Date.UTC(2026, 10, 26, 12, 34, 56) / 1000;
const row = (fields: Record<string, string | string[]>): Row =>
  new Map(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
/** Commands on rows the test gives (a search without leading terms). */
const pipe = (spl: string, rows: Row[]) => runPipeline(spl, rows, { events: rows, now: NOW });
const plain = (rows: Row[]) =>
  rows.map((r) => Object.fromEntries([...r].map(([k, v]) => [k, v.length === 1 ? v[0] : v])));
const at = (
  secondsAgo: number,
  fields: Record<string, string | string[]> = {},
  indexedAgo = secondsAgo,
) =>
  row({
    _time: String(NOW - secondsAgo),
    _indextime: String(NOW - indexedAgo),
    index: 'main',
    sourcetype: 'x',
    ...fields,
  });

describe('time', () => {
  it('resolves relative time modifiers: offsets, snap, offsets after the snap', () => {
    const iso = (spec: string) => isoTime(resolveTime(spec, NOW));
    expect(iso('now')).toBe('2026-11-26T12:34:56.000+00:00');
    expect(iso('-24h@h')).toBe('2026-11-25T12:00:00.000+00:00');
    expect(iso('-6m@m')).toBe('2026-11-26T12:28:00.000+00:00');
    expect(iso('+1h@m')).toBe('2026-11-26T13:34:00.000+00:00');
    expect(iso('@d+8h')).toBe('2026-11-26T08:00:00.000+00:00');
    expect(iso('-7d@w1')).toBe('2026-11-16T00:00:00.000+00:00'); // 2026-11-19 is a Thursday
    expect(iso('-1mon@mon')).toBe('2026-10-01T00:00:00.000+00:00');
    expect(() => resolveTime('-5fortnights', NOW)).toThrow(/not modelled/);
  });

  it('formats with strftime in UTC', () => {
    expect(strftime(NOW + 0.25, '%Y-%m-%d %H:%M:%S.%3N %Z')).toBe('2026-11-26 12:34:56.250 UTC');
    expect(() => strftime(NOW, '%Q')).toThrow(/not modelled/);
  });
});

describe('the base search and time ranges', () => {
  const events = [
    at(30, { kind: 'a' }, 30),
    at(400, { kind: 'b' }, 10), // old record, indexed just now
    at(10, { kind: 'c', index: '_internal' }),
  ];

  it('selects by event time [earliest, latest), newest first; index=* skips internal indexes', () => {
    const out = runSpl('index=*', events, { now: NOW, earliest: NOW - 300, latest: NOW });
    expect(plain(out).map((r) => r.kind)).toEqual(['a']);
    expect(plain(runSpl('index=_internal', events, { now: NOW })).map((r) => r.kind)).toEqual([
      'c',
    ]);
  });

  it('selects by index time, and time modifiers in the search override the dispatch range', () => {
    const ctx = { now: NOW, earliest: NOW - 3600, indexEarliest: NOW - 20, indexLatest: NOW };
    expect(plain(runSpl('index=*', events, ctx)).map((r) => r.kind)).toEqual(['b']);
    expect(plain(runSpl('index=* _index_earliest=-1m', events, ctx)).map((r) => r.kind)).toEqual([
      'a',
      'b',
    ]);
  });

  it("gives a subsearch the dispatch range, not the outer search's own modifiers", () => {
    const ctx = { now: NOW, earliest: NOW - 60, latest: NOW };
    const out = runSpl('index=* earliest=-1h | append [search index=* kind=b]', events, ctx);
    expect(plain(out).map((r) => r.kind)).toEqual(['a', 'b']);
    const own = runSpl('index=* kind=a | append [search index=* kind=b earliest=-1h]', events, ctx);
    expect(plain(own).map((r) => r.kind)).toEqual(['a', 'b']);
  });

  it('matches field=*, !=, comparisons, IN, OR, NOT and quoted terms in _raw', () => {
    const rows = [row({ a: '1', _raw: 'hello World' }), row({ a: '10', b: 'x' }), row({ b: 'y' })];
    const kinds = (spl: string) => plain(runSpl(spl, rows)).map((r) => r.a ?? r.b);
    expect(kinds('a=*')).toEqual(['1', '10']);
    expect(kinds('b!=x')).toEqual(['y']);
    expect(kinds('NOT b=x')).toEqual(['1', 'y']);
    expect(kinds('a>=2')).toEqual(['10']);
    expect(kinds('b IN ("x", "y") a=*')).toEqual(['10']);
    expect(kinds('"world"')).toEqual(['1']);
  });
});

describe('commands', () => {
  const rows = [
    row({ _time: '300', user: 'eve', n: '2', host: 'a' }),
    row({ _time: '200', user: 'bob', n: '5', host: 'a' }),
    row({ _time: '100', user: 'eve', n: '1' }),
  ];

  it('stats: groups sorted by value, events without a by-field left out, count 0 on nothing', () => {
    expect(plain(pipe('| stats count sum(n) as total by host', rows))).toEqual([
      { host: 'a', count: '2', total: '7' },
    ]);
    expect(plain(pipe('| stats count values(user) as users dc(user) as people', rows))).toEqual([
      { count: '3', users: ['bob', 'eve'], people: '2' },
    ]);
    expect(plain(pipe('| stats count sum(n) as total', []))).toEqual([{ count: '0' }]);
  });

  it('eventstats and streamstats (current, window, time_window, by)', () => {
    const out = pipe(
      '| sort 0 _time | streamstats current=f window=1 last(user) as before | streamstats time_window=150s count as recent | eventstats max(n) as top by user',
      rows,
    );
    expect(plain(out).map((r) => [r.user, r.before, r.recent, r.top])).toEqual([
      ['eve', undefined, '1', '2'],
      ['bob', 'eve', '2', '5'],
      ['eve', 'bob', '2', '2'],
    ]);
  });

  it('timechart: buckets over the whole range, count 0 where empty, series by value', () => {
    const events = [at(100, { user: 'eve' }), at(90, { user: 'bob' }), at(1000, { user: 'eve' })];
    const out = runSpl('index=* | timechart span=10m count by user', events, {
      now: NOW,
      earliest: resolveTime('-30m@m', NOW),
      latest: NOW,
    });
    expect(plain(out).map((r) => [isoTime(Number(r._time)).slice(11, 16), r.bob, r.eve])).toEqual([
      ['12:00', '0', '0'],
      ['12:10', '0', '1'],
      ['12:20', '0', '0'],
      ['12:30', '1', '1'],
    ]);
    expect(pipe('| timechart count', [])).toEqual([]);
  });

  it('chart over x by y, with a null cell where a pair has no events', () => {
    expect(plain(pipe('| chart sum(n) as n over user by host', rows))).toEqual([
      { user: 'bob', a: '5', NULL: [] },
      { user: 'eve', a: '2', NULL: '1' },
    ]);
  });

  it('eval: arithmetic, concatenation, comparisons with null, functions', () => {
    const out = pipe(
      '| eval a=n * 2 + 1, b=user . "/" . host, c=if(isnull(host), "none", "some"), d=if(host=="a", 1, 0), e=round(n / 3, 2), f=tostring(90, "duration")',
      [rows[2]!],
    );
    expect(plain(out)[0]).toMatchObject({ a: '3', c: 'none', d: '0', e: '0.33', f: '00:01:30' });
    expect(plain(out)[0]!.b).toBeUndefined();
    expect(() => pipe('| eval x=nosuch(n)', rows)).toThrow(/not modelled/);
  });

  it('table keeps every column it names, in order, empty where a row has none', () => {
    const out = pipe('| table host user', rows);
    expect(out.map((r) => [...r.keys()])).toEqual([
      ['host', 'user'],
      ['host', 'user'],
      ['host', 'user'],
    ]);
    expect(plain(out)[2]).toEqual({ host: [], user: 'eve' });
  });

  it('sort (numbers as numbers), head, dedup (rows without the field dropped), rename, rex', () => {
    const out = pipe(
      '| sort 0 - n | head 2 | dedup host | rename user as who | rex field=who "(?<first>^.)"',
      rows,
    );
    expect(plain(out)).toEqual([{ _time: '200', who: 'bob', n: '5', host: 'a', first: 'b' }]);
  });

  it('appendpipe runs on the results so far; fillnull fills the fields there are', () => {
    const out = pipe(
      '| stats count by user | appendpipe [stats sum(count) as count | eval user="all"] | fillnull value=- host',
      rows,
    );
    expect(plain(out)).toEqual([
      { user: 'bob', count: '1', host: '-' },
      { user: 'eve', count: '2', host: '-' },
      { count: '3', user: 'all', host: '-' },
    ]);
  });

  it('refuses what it does not model', () => {
    expect(() => pipe('| transaction user', rows)).toThrow(/not modelled/);
    expect(() => pipe('| stats median(n)', rows)).toThrow(/not modelled/);
  });
});
