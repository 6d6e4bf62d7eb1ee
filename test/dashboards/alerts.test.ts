/**
 * The alerts of default/savedsearches.conf, run by a model of Splunk's scheduler (lib/scheduler.ts)
 * over consecutive 5-minute runs, on hand-made records whose own time is hours before the time
 * Splunk indexed them (a collector catching up), records indexed exactly on a window boundary, and
 * login bursts across clusters and runs. Expectations are written by hand: which alert, which run,
 * which values.
 *
 * What this cannot show: Splunk's own scheduler. It models what savedsearches.conf.spec and the
 * Search Reference document (continuous scheduling resolves each run's relative times against its
 * scheduled time; index-time bounds are [earliest, latest) like event-time bounds; a subsearch's
 * own time modifiers apply to it alone).
 */
import { toRows } from './lib/demo';
import {
  auditEvent,
  collectorEvent,
  loginOnEveryHsm,
  OP,
  RESPONSE,
  type RecordSpec,
} from './lib/records';
import { savedSearch, schedule, type Fired } from './lib/scheduler';

const T = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const A = 'cluster-aaaaaaaaaaa';
const B = 'cluster-bbbbbbbbbbb';
const A_HSMS = ['hsm-aaaaaaaaaa1', 'hsm-aaaaaaaaaa2', 'hsm-aaaaaaaaaa3'];
const B_HSMS = ['hsm-bbbbbbbbbb1', 'hsm-bbbbbbbbbb2', 'hsm-bbbbbbbbbb3'];
const HOUR = 3600;
const admin = { name: 'admin', role: 'CO' as const };

/** The run that reads a record indexed at `indexed`: its slice [run-6m, run-1m) holds it. */
const runFor = (indexed: number) => Math.floor((indexed + 60) / 300) * 300 + 300;
const view = (fired: Fired[], ...fields: string[]) =>
  fired.map((f) => [f.run - T, ...fields.map((k) => f.result.get(k))]);

describe('CloudHSM - Key deleted', () => {
  const deleteKey = (key: number, time: number, indexed: number): RecordSpec => ({
    cluster: A,
    hsm: A_HSMS[0]!,
    seq: key,
    time,
    indexed,
    opcode: OP.DESTROY_OBJECT,
    session: 0x2,
    key,
  });
  // Index times every 37 s over two hours, plus the seconds around two slice boundaries; the
  // records' own times are three hours earlier (a collector catching up after downtime).
  const indexTimes = [
    ...Array.from({ length: 200 }, (_, i) => T + 600 + 37 * i),
    T + HOUR - 61,
    T + HOUR - 60,
    T + HOUR - 59,
    T + 2 * HOUR + 239,
    T + 2 * HOUR + 240,
    T + 2 * HOUR + 241,
  ];
  const events = toRows(
    indexTimes.map((at, i) => auditEvent(deleteKey(1000 + i, at - 3 * HOUR, at))),
  );

  it('alerts once for every key, in the run whose slice holds its index time: no gap, no overlap', () => {
    const { fired, runs } = schedule(
      savedSearch('CloudHSM - Key deleted'),
      events,
      T,
      T + 4 * HOUR,
    );
    expect(runs.length).toBe(49);
    const byKey = new Map<string, number[]>();
    for (const f of fired)
      byKey.set(f.result.get('key')!, [...(byKey.get(f.result.get('key')!) ?? []), f.run]);
    expect(byKey.size).toBe(indexTimes.length);
    indexTimes.forEach((at, i) =>
      expect([1000 + i, byKey.get(String(1000 + i))]).toEqual([1000 + i, [runFor(at)]]),
    );
  });

  it('puts a record indexed exactly on a slice boundary in the later slice', () => {
    const { fired } = schedule(savedSearch('CloudHSM - Key deleted'), events, T, T + 4 * HOUR);
    const runOf = (key: number) => fired.find((f) => f.result.get('key') === String(key))!.run - T;
    // 12:59:00 is where the 13:00 run's slice [12:54, 12:59) ends and the 13:05 run's begins.
    expect([runOf(1200), runOf(1201), runOf(1202)]).toEqual([HOUR, HOUR + 300, HOUR + 300]);
  });

  it('would miss every late record with the former event-time window (the check can fail)', () => {
    const former = savedSearch('CloudHSM - Key deleted');
    former.settings.set('dispatch.earliest_time', '-6m@m');
    former.settings.set('dispatch.latest_time', '-1m@m');
    former.settings.delete('dispatch.index_earliest');
    former.settings.delete('dispatch.index_latest');
    expect(schedule(former, events, T, T + 4 * HOUR).fired).toEqual([]);
  });
});

describe('user management alerts', () => {
  const seqs = new Map<string, number>();
  const runner = A_HSMS[0]!;
  /** A login on every HSM; the commands after it run in its session on the first HSM. */
  const login = (time: number, indexed: number) => {
    const session = 0x100 + (seqs.get(runner) ?? 0);
    return { events: loginOnEveryHsm(A, A_HSMS, seqs, admin, time, indexed), session };
  };
  const command = (
    session: number,
    opcode: typeof OP.CREATE_CO,
    user: { name: string; role: 'CU' | 'CO' },
    time: number,
    indexed: number,
  ) => {
    const seq = seqs.get(runner) ?? 0;
    seqs.set(runner, seq + 1);
    return auditEvent({ cluster: A, hsm: runner, seq, time, indexed, opcode, session, user });
  };
  // 1. A CO created at T+100 s, everything indexed three hours later (the collector was down).
  const one = login(T + 90, T + 3 * HOUR);
  const first = [
    ...one.events,
    command(one.session, OP.CREATE_CO, { name: 'officer2', role: 'CO' }, T + 100, T + 3 * HOUR),
  ];
  // 2. A CU created at T+1h: the login arrived on time, the command two hours late.
  const two = login(T + HOUR, T + HOUR + 5);
  const second = [
    ...two.events,
    command(
      two.session,
      OP.CREATE_USER,
      { name: 'app_cu2', role: 'CU' },
      T + HOUR + 20,
      T + 3 * HOUR + 120,
    ),
    command(
      two.session,
      OP.DELETE_USER,
      { name: 'app_cu1', role: 'CU' },
      T + HOUR + 40,
      T + HOUR + 45,
    ),
  ];
  const events = toRows([...first, ...second]);

  it.each([
    [
      'CloudHSM - Crypto officer created',
      'new_user',
      'created_by',
      [[runFor(T + 3 * HOUR) - T, A, 'officer2', 'admin', A_HSMS[0]]],
    ],
    [
      'CloudHSM - Crypto user created',
      'new_user',
      'created_by',
      [[runFor(T + 3 * HOUR + 120) - T, A, 'app_cu2', 'admin', A_HSMS[0]]],
    ],
    [
      'CloudHSM - User deleted',
      'deleted_user',
      'deleted_by',
      [[runFor(T + HOUR + 45) - T, A, 'app_cu1', 'admin', A_HSMS[0]]],
    ],
  ])('%s fires once for a late record, naming who did it', (name, who, by, expected) => {
    const { fired } = schedule(savedSearch(name), events, T, T + 5 * HOUR);
    expect(view(fired, 'cluster_id', who, by, 'hsm_ids')).toEqual(expected);
  });
});

describe('CloudHSM - Repeated failed logins', () => {
  const seqs = new Map<string, number>();
  const wrong = RESPONSE.WRONG_PASSWORD;
  const unknown = RESPONSE.UNKNOWN_USER;
  const eve = { name: 'eve', role: 'CU' as const };
  const ghost = { name: 'ghost', role: 'CU' as const };
  const attempt =
    (cluster: string, user = eve, response: { code: number; text: string } = wrong) =>
    (time: number, indexed: number) =>
      loginOnEveryHsm(
        cluster,
        cluster === A ? A_HSMS : B_HSMS,
        seqs,
        user,
        time,
        indexed,
        response,
      );
  const inA = attempt(A);
  const inB = attempt(B);
  const events = toRows([
    // A: three wrong passwords in two minutes, indexed together: one alert, 3 attempts (9 records).
    ...inA(T + 1000, T + 1010),
    ...inA(T + 1060, T + 1070),
    ...inA(T + 1120, T + 1130),
    // A: a burst whose attempts are indexed in three different runs: one alert, at the second.
    ...inA(T + 5000, T + 5010),
    ...inA(T + 5100, T + 5400),
    ...inA(T + 5200, T + 5700),
    // B: unknown user twice, indexed four hours late: one alert.
    ...attempt(B, ghost, unknown)(T + 2000, T + 4 * HOUR),
    ...attempt(B, ghost, unknown)(T + 2030, T + 4 * HOUR),
    // B: one failure alone, and two failures six minutes apart: no alert.
    ...inB(T + 9000, T + 9010),
    ...inB(T + 12000, T + 12010),
    ...inB(T + 12360, T + 12370),
    // A and B at the same time: one alert for each cluster.
    ...inA(T + 15000, T + 15010),
    ...inA(T + 15030, T + 15040),
    ...inB(T + 15000, T + 15010),
    ...inB(T + 15030, T + 15040),
    // A: a script trying four passwords 0.3 s apart: four attempts, not one.
    ...[0, 0.3, 0.6, 0.9].flatMap((d) => inA(T + 18000 + d, T + 18010)),
  ]);

  it('raises one alert per burst and cluster, counting attempts, not records', () => {
    const { fired } = schedule(
      savedSearch('CloudHSM - Repeated failed logins'),
      events,
      T,
      T + 6 * HOUR,
    );
    expect(view(fired, 'cluster_id', 'failed_attempts', 'user_names', 'failure_kinds')).toEqual([
      [runFor(T + 1130) - T, A, '3', 'eve', 'wrong password'],
      [runFor(T + 5400) - T, A, '2', 'eve', 'wrong password'],
      [runFor(T + 4 * HOUR) - T, B, '2', 'ghost', 'unknown user'],
      [runFor(T + 15040) - T, A, '2', 'eve', 'wrong password'],
      [runFor(T + 15040) - T, B, '2', 'eve', 'wrong password'],
      [runFor(T + 18010) - T, A, '4', 'eve', 'wrong password'],
    ]);
  });

  it('names every HSM that logged the attempts', () => {
    const { fired } = schedule(
      savedSearch('CloudHSM - Repeated failed logins'),
      events,
      T,
      T + HOUR,
    );
    expect(fired.map((f) => f.result.get('hsm_ids'))).toEqual([A_HSMS.join('|')]);
  });
});

describe('CloudHSM - Sequence gap not filled within 15 minutes', () => {
  const gap = (stream: string, first: number) => ({
    kind: 'sequence_gap',
    stream,
    reboot_counter: '0x1',
    expected_sequence_no: first,
    found_sequence_no: first + 2,
    first_missing_sequence_no: first,
    last_missing_sequence_no: first + 1,
    missing_count: 2,
  });
  const resolved = (stream: string, first: number) => ({
    kind: 'sequence_gap_resolved',
    stream,
    reboot_counter: '0x1',
    first_missing_sequence_no: first,
    last_missing_sequence_no: first + 1,
    filled_count: 2,
    gap_open_seconds: 400,
  });
  const events = toRows([
    collectorEvent(A, gap(A_HSMS[0]!, 100), T + 100, T + 102),
    collectorEvent(A, gap(A_HSMS[1]!, 200), T + 200, T + 202),
    collectorEvent(A, resolved(A_HSMS[1]!, 200), T + 600, T + 602),
    // Found at T+300, but its event reached Splunk two hours later.
    collectorEvent(B, gap(B_HSMS[0]!, 50), T + 300, T + 2 * HOUR),
  ]);

  it('alerts once per open gap (throttled for a day), never for a gap filled in time', () => {
    const { fired } = schedule(
      savedSearch('CloudHSM - Sequence gap not filled within 15 minutes'),
      events,
      T,
      T + 6 * HOUR,
    );
    expect(view(fired, 'stream', 'first_missing_sequence_no', 'minutes_open')).toEqual([
      [1200, A_HSMS[0], '100', '18'],
      [2 * HOUR + 300, B_HSMS[0], '50', '120'],
    ]);
  });
});

describe('CloudHSM - Collector silent or failing', () => {
  const health = () => ({
    kind: 'health',
    interval_seconds: 300,
    records_written: 3,
    api_calls: 12,
    errors: 0,
  });
  const events = toRows([
    // A reports every 5 minutes, each event indexed 40 minutes after its own time (a forwarder
    // backlog): late, but never silent.
    ...Array.from({ length: 60 }, (_, i) =>
      collectorEvent(A, health(), T - HOUR + 300 * i, T - HOUR + 300 * i + 2400),
    ),
    // B reports until T+1h, then stops.
    ...Array.from({ length: 25 }, (_, i) =>
      collectorEvent(B, health(), T - HOUR + 300 * i, T - HOUR + 300 * i + 2),
    ),
  ]);

  it('goes by when Splunk last indexed a health event: a late but steady collector is not silent', () => {
    const { fired } = schedule(
      savedSearch('CloudHSM - Collector silent or failing'),
      events,
      T,
      T + 3 * HOUR,
    );
    expect(view(fired, 'log_group', 'problem')).toEqual([
      [HOUR + 1800, `/aws/cloudhsm/${B}`, 'no health report for more than 15 minutes'],
      [2 * HOUR + 1800, `/aws/cloudhsm/${B}`, 'no health report for more than 15 minutes'],
    ]);
  });
});

describe('annotations for Enterprise Security', () => {
  const expected: Record<string, string[]> = {
    'CloudHSM - Crypto officer created': ['T1136', 'T1098'],
    'CloudHSM - Crypto user created': ['T1136'],
    'CloudHSM - User deleted': ['T1531'],
    'CloudHSM - Repeated failed logins': ['T1110', 'T1110.001'],
    'CloudHSM - Key deleted': ['T1485'],
    'CloudHSM - Sequence gap not filled within 15 minutes': ['T1070', 'T1562.008'],
    'CloudHSM - Collector silent or failing': ['T1562.008'],
  };
  it.each(Object.entries(expected))(
    '%s carries MITRE ATT&CK ids as Splunk security content writes them',
    (name, ids) => {
      const s = savedSearch(name).settings;
      const annotations = JSON.parse(s.get('action.correlationsearch.annotations') ?? '{}') as {
        mitre_attack?: string[];
      };
      expect(annotations.mitre_attack).toEqual(ids);
      expect(annotations.mitre_attack?.every((id) => /^T\d{4}(\.\d{3})?$/.test(id))).toBe(true);
      expect(s.get('action.correlationsearch.label')).toBe(name);
      // Without Enterprise Security the alert must not depend on it.
      expect(s.has('action.correlationsearch.enabled')).toBe(false);
    },
  );
});
