/**
 * The three ways an audit record reaches Splunk, each with its real event shape:
 *   1. this app's modular input (covered by samples.test.ts: sourcetype aws:cloudwatch:cloudhsm,
 *      source aws:cloudhsm:<region>:<log group>, host = HSM id);
 *   2. the original CloudWatch Logs subscription -> Lambda blueprint splunk-cloudwatch-logs-processor
 *      -> HEC: the blueprint posts {"event": <message>, "source": "lambda:<function>", "time":
 *      <timestamp>/1000} and the HEC token supplies sourcetype aws:cloudwatch:cloudhsm; host is the
 *      token's default, log group and stream are dropped;
 *   3. the Splunk Add-on for AWS CloudWatch Logs input: it writes <event><time/><source>
 *      <region>:<log group>:<stream></source><sourcetype>aws:cloudwatchlogs</sourcetype><index/>
 *      <data>message</data></event> with no host (the forwarder's own name).
 * Paths 2 and 3 must give the sample expectations (path 2 without what only source/host carry).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { SAMPLES_DIR } from './harness/conf';
import { plain, sorted } from './harness/plain';
import {
  effectiveProps,
  props,
  searchTime,
  searchTimeSettings,
  sourceStanzas,
} from './harness/searchTime';
import { runSpl, type Row } from './harness/spl';
import { COLLECTOR_HOST, COLLECTOR_SOURCE, ORIGIN, SAMPLE_CASES } from './expectations/samples';
import { CERTSTORE_EXPECTED, certstoreRaws } from './expectations/json';

const LOG_GROUP = '/aws/cloudhsm/cluster-likphkxygsn';
const STREAM = 'hsm-nwbbiqbj4jk';
const FORWARDER = 'splunk-hf-1';
const messages = SAMPLE_CASES.map((c) => readFileSync(join(SAMPLES_DIR, c.name), 'utf8'));

/** What CloudWatch Logs hands a subscription Lambda, and what the blueprint posts to HEC. */
function lambdaToHec(): { event: string; source: string; time: number }[] {
  const subscription = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: LOG_GROUP,
    logStream: STREAM,
    subscriptionFilters: ['splunk'],
    logEvents: messages.map((message, i) => ({
      id: String(i),
      timestamp: 1516067329824 + i,
      message,
    })),
  };
  const awslogs = { data: gzipSync(Buffer.from(JSON.stringify(subscription))).toString('base64') };
  const parsed = JSON.parse(
    gunzipSync(Buffer.from(awslogs.data, 'base64')).toString('ascii'),
  ) as typeof subscription;
  const posted = parsed.logEvents.map((item) =>
    JSON.stringify({
      event: item.message,
      source: 'lambda:CloudHSMLogsToSplunk',
      time: item.timestamp / 1000,
    }),
  );
  return posted.map((p) => JSON.parse(p) as { event: string; source: string; time: number });
}

/** The add-on's event XML (its data loader escapes &, < and > of the message). */
function addonXml(message: string, source: string): string {
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    '<stream><event><time>1516067329.824</time>' +
    `<source>${esc(source)}</source><sourcetype>aws:cloudwatchlogs</sourcetype><index>main</index>` +
    `<data>${esc(message)}</data></event></stream>`
  );
}

const xml = new XMLParser({ trimValues: false, parseTagValue: false });
function fromAddon(
  message: string,
  source: string,
): { raw: string; source: string; sourcetype: string; host: string } {
  const ev = (xml.parse(addonXml(message, source)) as { stream: { event: Record<string, string> } })
    .stream.event;
  return { raw: ev.data!, source: ev.source!, sourcetype: ev.sourcetype!, host: FORWARDER };
}

const ORIGIN_KEYS = Object.keys(ORIGIN);

describe('Lambda -> HEC path', () => {
  const hec = lambdaToHec();
  const results = searchTime(
    hec.map((h) => ({
      raw: h.event,
      sourcetype: 'aws:cloudwatch:cloudhsm',
      source: h.source,
      host: FORWARDER,
    })),
  );
  test.each(SAMPLE_CASES.map((c, i) => [c.name, c, i] as const))(
    '%s: record fields, no cluster/HSM',
    (_n, c, i) => {
      const expected = Object.fromEntries(
        Object.entries(c.fields).filter(([k]) => !ORIGIN_KEYS.includes(k)),
      );
      expect(plain(results[i]!.fields)).toEqual(sorted(expected));
      expect(results[i]!.eventtypes).toEqual(c.eventtypes);
      expect(results[i]!.tags).toEqual(c.tags);
    },
  );
  test('a host that happens to look like an HSM id is taken as one (the collector sets it so)', () => {
    const [r] = searchTime([
      {
        raw: hec[0]!.event,
        sourcetype: 'aws:cloudwatch:cloudhsm',
        source: hec[0]!.source,
        host: 'hsm-abcdefghijk',
      },
    ]);
    expect(plain(r!.fields)).toMatchObject({ hsm_id: 'hsm-abcdefghijk', dest: 'hsm-abcdefghijk' });
    expect(r!.fields.has('cluster_id')).toBe(false);
  });
});

describe('Splunk Add-on for AWS path (aws:cloudwatchlogs, attached by source)', () => {
  const source = `us-east-1:${LOG_GROUP}:${STREAM}`;
  const results = searchTime(messages.map((m) => fromAddon(m, source)));
  test.each(SAMPLE_CASES.map((c, i) => [c.name, c, i] as const))(
    '%s: same fields as the modular input',
    (_n, c, i) => {
      expect(plain(results[i]!.fields)).toEqual(sorted(c.fields));
      expect(results[i]!.eventtypes).toEqual(c.eventtypes);
      expect(results[i]!.tags).toEqual(c.tags);
    },
  );
  test('other log groups read by the add-on are left alone', () => {
    const [r] = searchTime([
      fromAddon(
        messages[4]!,
        'us-east-1:/aws/lambda/my-function:2024/01/01/[$LATEST]0123456789abcdef',
      ),
    ]);
    expect(plain(r!.fields)).toEqual({});
    expect(r!.eventtypes).toEqual([]);
  });
});

describe('which props stanzas apply', () => {
  test.each([
    [COLLECTOR_SOURCE, []],
    ['lambda:CloudHSMLogsToSplunk', []],
    [`us-east-1:${LOG_GROUP}:${STREAM}`, ['source::*:/aws/cloudhsm/*:hsm-*']],
    [`us-gov-west-1:${LOG_GROUP}:hsm-abcdefghijk`, ['source::*:/aws/cloudhsm/*:hsm-*']],
    [`us-east-1:${LOG_GROUP}:cluster-likphkxygsn`, ['source::*:/aws/cloudhsm/*:cluster-*']],
    ['us-east-1:/aws/lambda/x:hsm-abc', []],
  ])('source %s', (source, stanzas) => {
    expect(sourceStanzas(source)).toEqual(stanzas);
  });

  test('the add-on source stanza carries the same search-time settings as the sourcetype stanza', () => {
    const st = props.stanzas.get('aws:cloudwatch:cloudhsm')!;
    const src = props.stanzas.get('source::*:/aws/cloudhsm/*:hsm-*')!;
    const without = (s: [string, string][]): [string, string][] =>
      s.filter(([k]) => k !== 'REPORT-cloudhsm_a_origin');
    expect(without(searchTimeSettings(src))).toEqual(without(searchTimeSettings(st)));
    for (const k of [
      'SHOULD_LINEMERGE',
      'LINE_BREAKER',
      'TRUNCATE',
      'TIME_PREFIX',
      'TIME_FORMAT',
      'MAX_TIMESTAMP_LOOKAHEAD',
      'TZ',
    ]) {
      expect([k, src.get(k)]).toEqual([k, st.get(k)]);
    }
  });

  test('on the add-on path the source stanza overrides the add-on sourcetype (KV_MODE none)', () => {
    expect(
      effectiveProps({
        raw: '',
        sourcetype: 'aws:cloudwatchlogs',
        source: `us-east-1:${LOG_GROUP}:${STREAM}`,
        host: FORWARDER,
      }).get('KV_MODE'),
    ).toBe('none');
  });
});

describe('certificate-storage JSON records', () => {
  const raws = certstoreRaws();
  const expected = CERTSTORE_EXPECTED;

  test('from the modular input: 64-bit handles exact, cluster and region from source', () => {
    const res = searchTime(
      raws.map((raw) => ({
        raw,
        sourcetype: 'aws:cloudwatch:cloudhsm:certstore',
        source: COLLECTOR_SOURCE,
        host: 'cluster-likphkxygsn',
      })),
    );
    expect(res.map((r) => plain(r.fields))).toEqual(expected.map(sorted));
  });

  test('from the add-on: the cluster-named stream of the log group', () => {
    const res = searchTime(
      raws.map((m) => fromAddon(m, `us-east-1:${LOG_GROUP}:cluster-likphkxygsn`)),
    );
    expect(res.map((r) => plain(r.fields))).toEqual(expected.map(sorted));
  });
});

describe('collector events', () => {
  const gap = JSON.stringify({
    kind: 'sequence_gap',
    input: 'prod',
    aws_region: 'us-east-1',
    log_group: LOG_GROUP,
    cluster_id: 'cluster-likphkxygsn',
    stream: STREAM,
    reboot_counter: 263,
    expected_sequence_no: 41,
    found_sequence_no: 44,
    missing_count: 3,
    first_missing_sequence_no: 41,
    last_missing_sequence_no: 43,
  });
  const health = JSON.stringify({
    kind: 'health',
    input: 'prod',
    records_read: 120,
    records_written: 120,
    lag_seconds: 4.5,
    api_calls: 7,
    throttled_calls: 0,
    errors: 0,
    streams: 3,
    open_gaps: 1,
  });
  const error = JSON.stringify({
    kind: 'error',
    input: 'prod',
    error_code: 'AccessDeniedException',
    message: 'not authorized: logs:GetLogEvents',
  });

  test('JSON fields, cluster and region from the event or else from source', () => {
    const res = searchTime([
      {
        raw: gap,
        sourcetype: 'cloudhsm:audit:collector',
        source: 'aws:cloudhsm:eu-west-1:/aws/cloudhsm/cluster-zzzzzzzzzzz',
        host: FORWARDER,
      },
      {
        raw: health,
        sourcetype: 'cloudhsm:audit:collector',
        source: COLLECTOR_SOURCE,
        host: FORWARDER,
      },
      {
        raw: error,
        sourcetype: 'cloudhsm:audit:collector',
        source: 'cloudhsm_audit://prod',
        host: FORWARDER,
      },
    ]);
    expect(plain(res[0]!.fields)).toEqual(
      sorted({
        kind: 'sequence_gap',
        input: 'prod',
        aws_region: 'us-east-1',
        log_group: LOG_GROUP,
        cluster_id: 'cluster-likphkxygsn',
        stream: STREAM,
        reboot_counter: '263',
        expected_sequence_no: '41',
        found_sequence_no: '44',
        missing_count: '3',
        first_missing_sequence_no: '41',
        last_missing_sequence_no: '43',
        source_aws_region: 'eu-west-1',
        source_log_group: '/aws/cloudhsm/cluster-zzzzzzzzzzz',
        source_cluster_id: 'cluster-zzzzzzzzzzz',
      }),
    );
    expect(plain(res[1]!.fields)).toEqual(
      sorted({
        kind: 'health',
        input: 'prod',
        records_read: '120',
        records_written: '120',
        lag_seconds: '4.5',
        api_calls: '7',
        throttled_calls: '0',
        errors: '0',
        streams: '3',
        open_gaps: '1',
        aws_region: 'us-east-1',
        log_group: LOG_GROUP,
        cluster_id: 'cluster-likphkxygsn',
        source_aws_region: 'us-east-1',
        source_log_group: LOG_GROUP,
        source_cluster_id: 'cluster-likphkxygsn',
      }),
    );
    expect(plain(res[2]!.fields)).toEqual(
      sorted({
        kind: 'error',
        input: 'prod',
        error_code: 'AccessDeniedException',
        message: 'not authorized: logs:GetLogEvents',
      }),
    );
  });
});

describe('macros select the right events on every path', () => {
  const row = (sourcetype: string, source: string): Row =>
    new Map([
      ['index', ['aws_cloudhsm']],
      ['sourcetype', [sourcetype]],
      ['source', [source]],
      ['host', [FORWARDER]],
    ]);
  const rows: Row[] = [
    row('aws:cloudwatch:cloudhsm', COLLECTOR_SOURCE),
    row('aws:cloudwatch:cloudhsm', 'lambda:CloudHSMLogsToSplunk'),
    row('aws:cloudwatchlogs', `us-east-1:${LOG_GROUP}:${STREAM}`),
    row('aws:cloudwatchlogs', `us-east-1:${LOG_GROUP}:cluster-likphkxygsn`),
    row('aws:cloudwatch:cloudhsm:certstore', COLLECTOR_SOURCE),
    row('cloudhsm:audit:collector', COLLECTOR_SOURCE),
    row('aws:cloudwatchlogs', 'us-east-1:/aws/lambda/other:stream'),
  ];
  const pick = (macro: string): number[] =>
    runSpl(`\`${macro}\``, rows).map((r) =>
      rows.findIndex(
        (x) =>
          x.get('source')?.[0] === r.get('source')?.[0] &&
          x.get('sourcetype')?.[0] === r.get('sourcetype')?.[0],
      ),
    );
  test('cloudhsm_audit: modular input, Lambda and add-on text records', () =>
    expect(pick('cloudhsm_audit')).toEqual([0, 1, 2]));
  test('cloudhsm_certstore: modular input and add-on JSON records', () =>
    expect(pick('cloudhsm_certstore')).toEqual([3, 4]));
  test('cloudhsm_collector', () => expect(pick('cloudhsm_collector')).toEqual([5]));
});

test('the samples read from the collector path use host and source as the input sets them', () => {
  expect(COLLECTOR_HOST).toBe(STREAM);
  expect(COLLECTOR_SOURCE).toBe(`aws:cloudhsm:us-east-1:${LOG_GROUP}`);
});
