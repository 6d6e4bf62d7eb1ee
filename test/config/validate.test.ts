import { ARGUMENTS, NUMBER_BOUNDS } from '../../src/config/arguments';
import { parseInputConfig, type RawParams } from '../../src/config/validate';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const base: RawParams = { name: 'cloudhsm_audit://prod', regions: 'us-east-1' };

function ok(params: RawParams) {
  const r = parseInputConfig({ ...base, ...params }, NOW);
  if (!r.ok) throw new Error(`expected valid, got ${JSON.stringify(r.errors)}`);
  return r.config;
}
function errors(params: RawParams) {
  const r = parseInputConfig({ ...base, ...params }, NOW);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseInputConfig defaults', () => {
  test('minimal stanza gets every default from arguments.ts', () => {
    expect(ok({})).toEqual({
      name: 'prod',
      account: '',
      regions: ['us-east-1'],
      logGroupPrefix: '/aws/cloudhsm/',
      maxRequestsPerSecond: 10,
      clusters: [],
      startPosition: { kind: 'time', epochMs: NOW - 7 * 86_400_000, text: '-7d' },
      pollIntervalSeconds: 10,
      lateEventWindowSeconds: 1800,
      fullReadIntervalSeconds: 300,
      healthIntervalSeconds: 300,
      discoveryIntervalSeconds: 300,
      checkpointStore: 'auto',
    });
  });
  test('defaults in arguments.ts match the number bounds', () => {
    for (const [name, b] of Object.entries(NUMBER_BOUNDS)) {
      expect(ARGUMENTS.find((a) => a.name === name)?.defaultValue).toBe(String(b.default));
    }
  });
  test('name without scheme prefix (validation items) is kept', () => {
    expect(ok({ name: 'prod' }).name).toBe('prod');
  });
  test('unknown params are ignored, index is kept', () => {
    const c = ok({
      host: 'hf1',
      interval: '60',
      sourcetype: 'x',
      disabled: '0',
      index: 'hsm',
      python: 'x',
    });
    expect(c.index).toBe('hsm');
    expect(c).not.toHaveProperty('endpointUrl');
  });
  test('empty values mean the default', () => {
    const c = ok({ poll_interval: '', log_group_prefix: ' ', start_position: '', account: '' });
    expect(c.pollIntervalSeconds).toBe(10);
    expect(c.logGroupPrefix).toBe('/aws/cloudhsm/');
  });
});

describe('account', () => {
  test.each(['prod', 'prod-eu_1', 'a.b'])('accepts %s', (v) =>
    expect(ok({ account: v }).account).toBe(v),
  );
  test.each(['has space', '[x]', 'a/b', 'x'.repeat(129)])('refuses %j', (v) => {
    expect(errors({ account: v })[0]?.message).toMatch(/^account: /);
  });
});

describe('regions', () => {
  test.each([
    ['us-east-1', ['us-east-1']],
    ['us-east-1,eu-west-1', ['us-east-1', 'eu-west-1']],
    [' us-gov-west-1  cn-north-1 ,eu-central-2 ', ['us-gov-west-1', 'cn-north-1', 'eu-central-2']],
    ['us-east-1, us-east-1', ['us-east-1']],
    [
      'ap-southeast-5 il-central-1 us-isob-east-1',
      ['ap-southeast-5', 'il-central-1', 'us-isob-east-1'],
    ],
  ])('accepts %j', (v, expected) => expect(ok({ regions: v }).regions).toEqual(expected));
  test('accepts a param_list', () => {
    expect(ok({ regions: ['us-east-1', 'eu-west-1, eu-west-2'] }).regions).toEqual([
      'us-east-1',
      'eu-west-1',
      'eu-west-2',
    ]);
  });
  test('names the bad region', () => {
    expect(errors({ regions: 'us-east-1,us-east-x' })).toEqual([
      {
        argument: 'regions',
        message: 'regions: "us-east-x" is not an AWS region code (like us-east-1)',
      },
    ]);
  });
  test.each(['US-EAST-1', 'useast1', 'us-east', 'us_east_1', 'us-east-1a'])('refuses %j', (v) => {
    expect(errors({ regions: v })[0]?.argument).toBe('regions');
  });
  test.each([[''], [' , '], [undefined]])('is required (%j)', (v) => {
    const params: RawParams = { name: 'x' };
    if (v !== undefined) params.regions = v;
    const r = parseInputConfig(params, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/^regions: at least one AWS region/);
  });
});

describe('log_group_prefix and clusters', () => {
  test('custom prefix', () =>
    expect(ok({ log_group_prefix: '/custom/hsm/' }).logGroupPrefix).toBe('/custom/hsm/'));
  test.each(['/aws/cloud hsm/', '/aws/*'])('refuses prefix %j', (v) => {
    expect(errors({ log_group_prefix: v })[0]?.argument).toBe('log_group_prefix');
  });
  test('cluster ids and log group names, deduplicated', () => {
    expect(
      ok({ clusters: 'cluster-likphkxygsn, /aws/cloudhsm/cluster-abcdefghijk cluster-likphkxygsn' })
        .clusters,
    ).toEqual(['cluster-likphkxygsn', '/aws/cloudhsm/cluster-abcdefghijk']);
  });
  test('empty clusters = discover everything', () =>
    expect(ok({ clusters: '' }).clusters).toEqual([]));
  test.each([
    'cluster-ABCDEFGHIJK',
    'cluster-abc',
    'cluster-abcdefghij1',
    'aws/cloudhsm/x',
    '/bad name',
  ])('refuses cluster %j', (v) => {
    const e = errors({ clusters: v });
    expect(e[0]?.argument).toBe('clusters');
    expect(e[0]?.message).toContain('clusters: ');
  });
});

describe('start_position', () => {
  test.each([
    ['now', { kind: 'now' }],
    ['NOW', { kind: 'now' }],
    ['-30s', { kind: 'time', epochMs: NOW - 30_000, text: '-30s' }],
    ['-15m', { kind: 'time', epochMs: NOW - 900_000, text: '-15m' }],
    ['-2h', { kind: 'time', epochMs: NOW - 7_200_000, text: '-2h' }],
    ['-1w', { kind: 'time', epochMs: NOW - 604_800_000, text: '-1w' }],
    [
      '2026-01-02',
      { kind: 'time', epochMs: Date.parse('2026-01-02T00:00:00Z'), text: '2026-01-02' },
    ],
    [
      '2026-01-02T03:04',
      { kind: 'time', epochMs: Date.parse('2026-01-02T03:04:00Z'), text: '2026-01-02T03:04' },
    ],
    [
      '2026-01-02T03:04:05.123456Z',
      {
        kind: 'time',
        epochMs: Date.parse('2026-01-02T03:04:05.123Z'),
        text: '2026-01-02T03:04:05.123456Z',
      },
    ],
    [
      '2026-01-02T03:04:05+0200',
      {
        kind: 'time',
        epochMs: Date.parse('2026-01-02T01:04:05Z'),
        text: '2026-01-02T03:04:05+0200',
      },
    ],
    ['2026-06-15T12:00:00Z', { kind: 'time', epochMs: NOW, text: '2026-06-15T12:00:00Z' }],
  ])('accepts %j', (v, expected) =>
    expect(ok({ start_position: v }).startPosition).toEqual(expected),
  );
  test.each([
    ['2026-06-15T12:00:01Z', /in the future/],
    ['2027-01-01', /in the future/],
    ['2026-02-30', /not a valid date/],
    ['2026-01-01T24:00', /not a valid date/],
    ['-7', /not "now"/],
    ['7d', /not "now"/],
    ['-7y', /not "now"/],
    ['yesterday', /not "now"/],
    ['01/02/2026', /not "now"/],
    ['-999999999w', /before 1970/],
  ])('refuses %j', (v, message) => {
    const e = errors({ start_position: v });
    expect(e[0]?.argument).toBe('start_position');
    expect(e[0]?.message).toMatch(/^start_position: /);
    expect(e[0]?.message).toMatch(message);
  });
});

describe('numeric arguments', () => {
  test.each(Object.entries(NUMBER_BOUNDS))('%s bounds', (name, b) => {
    const key = {
      poll_interval: 'pollIntervalSeconds',
      late_event_window: 'lateEventWindowSeconds',
      full_read_interval: 'fullReadIntervalSeconds',
      health_interval: 'healthIntervalSeconds',
      discovery_interval: 'discoveryIntervalSeconds',
      max_requests_per_second: 'maxRequestsPerSecond',
    }[name] as string;
    const unit = 'unit' in b ? b.unit : 'seconds';
    expect(ok({ [name]: String(b.min) })).toHaveProperty(key, b.min);
    expect(ok({ [name]: String(b.max) })).toHaveProperty(key, b.max);
    for (const bad of [String(b.min - 1), String(b.max + 1)]) {
      expect(errors({ [name]: bad })[0]?.message).toBe(
        `${name}: ${bad} is out of range: use ${b.min} to ${b.max} ${unit}`,
      );
    }
    for (const bad of ['1.5', '-5', '10s', 'ten', '1e3']) {
      expect(errors({ [name]: bad })[0]?.message).toMatch(
        new RegExp(`^${name}: "${bad}" is not a whole number`),
      );
    }
  });
  test('late_event_window must be at least 15 minutes', () => {
    expect(errors({ late_event_window: '899' })[0]?.message).toMatch(/use 900 to 86400/);
  });
  test('a list for a single-value argument is refused', () => {
    expect(errors({ poll_interval: ['10', '20'] })[0]?.message).toBe(
      'poll_interval: expects a single value, got a list',
    );
  });
});

describe('endpoint_url and https_proxy', () => {
  test('accepts http and https URLs', () => {
    const c = ok({
      endpoint_url: 'https://logs.us-east-1.amazonaws.com',
      https_proxy: 'http://proxy.corp:3128',
    });
    expect(c.endpointUrl).toBe('https://logs.us-east-1.amazonaws.com');
    expect(c.httpsProxy).toBe('http://proxy.corp:3128');
  });
  test.each(['ftp://x', 'not a url', 'logs.amazonaws.com'])('refuses endpoint %j', (v) => {
    expect(errors({ endpoint_url: v })[0]?.argument).toBe('endpoint_url');
  });
  test('refuses proxy credentials without echoing them', () => {
    for (const v of ['http://user:s3cret@proxy:3128', 'http://user@proxy:3128']) {
      const e = errors({ https_proxy: v });
      expect(e[0]?.message).toMatch(
        /^https_proxy: proxy credentials are not supported in a conf file/,
      );
      expect(JSON.stringify(e)).not.toContain('s3cret');
    }
  });
  test('an unparsable proxy URL with a password is not echoed', () => {
    const e = errors({ https_proxy: 'http://u:s3cret@[bad' });
    expect(JSON.stringify(e)).not.toContain('s3cret');
  });
  test('refuses endpoint credentials', () => {
    expect(errors({ endpoint_url: 'https://a:b@host' })[0]?.argument).toBe('endpoint_url');
  });

  // A password with `/` ends the URL's authority early, and a missing scheme turns `alice:` into
  // one: neither parses as a URL with credentials, so the text must never reach the message.
  test.each([
    ['missing scheme', 'https_proxy', 'alice:s3cr/et@proxy.corp:3128', 'must start with http://'],
    ['password with a slash', 'https_proxy', 'http://alice:s3cr/et@proxy.corp:3128', 'not a URL'],
    ['password with a slash, no scheme', 'https_proxy', 'alice:pw/s3cret@proxy:3128', 'must'],
    [
      'digits then a slash: port 12, path /s3cret@…',
      'https_proxy',
      'http://alice:12/s3cret@proxy.corp:3128',
      'path',
    ],
    [
      'unknown scheme',
      'https_proxy',
      'socks5://alice:s3cret@proxy.corp:1080',
      'must start with http://',
    ],
    [
      'endpoint, password with a slash',
      'endpoint_url',
      'https://alice:s3cr/et@logs.internal',
      'not a URL',
    ],
    [
      'endpoint, no scheme',
      'endpoint_url',
      'alice:s3cret@logs.internal',
      'must start with http://',
    ],
  ])('%s: refused, named, never echoed', (_label, argument, value, problem) => {
    const e = errors({ [argument]: value });
    expect(e.map((x) => x.argument)).toEqual([argument]);
    expect(e[0]?.message).toMatch(new RegExp(`^${argument}: `));
    expect(e[0]?.message).toContain(problem);
    const text = JSON.stringify(e);
    for (const part of ['s3cr', 'alice', 'proxy.corp', 'logs.internal'])
      expect({ part, echoed: text.includes(part) }).toEqual({ part, echoed: false });
  });

  test('a proxy is scheme, host and port: a trailing slash is fine, a path is not', () => {
    expect(ok({ https_proxy: 'http://proxy.corp:3128/' }).httpsProxy).toBe(
      'http://proxy.corp:3128/',
    );
    expect(errors({ https_proxy: 'http://proxy.corp:3128/x' })[0]?.argument).toBe('https_proxy');
    expect(ok({ endpoint_url: 'http://localhost:4566/logs' }).endpointUrl).toBe(
      'http://localhost:4566/logs',
    );
  });
});

test('reports every bad argument at once, each named', () => {
  const e = errors({
    regions: 'mars-1',
    poll_interval: '0',
    https_proxy: 'http://a:b@p',
    start_position: 'soon',
  });
  expect(e.map((x) => x.argument).sort()).toEqual([
    'https_proxy',
    'poll_interval',
    'regions',
    'start_position',
  ]);
  for (const x of e) expect(x.message.startsWith(`${x.argument}: `)).toBe(true);
});

describe('checkpoint_store and run_only_one', () => {
  test.each(['auto', 'file', 'kvstore', 'KVStore'])('checkpoint_store = %s is taken', (value) => {
    expect(ok({ checkpoint_store: value }).checkpointStore).toBe(value.toLowerCase());
  });
  test('any other checkpoint store is refused, naming the argument and the choices', () => {
    expect(errors({ checkpoint_store: 'mongodb' })).toEqual([
      {
        argument: 'checkpoint_store',
        message: 'checkpoint_store: "mongodb" is not one of auto, file, kvstore',
      },
    ]);
  });
  test("run_only_one is splunkd's: any boolean is taken, anything else refused", () => {
    for (const value of ['true', 'false', '1', '0', 'True'])
      expect(ok({ run_only_one: value })).toBeDefined();
    expect(errors({ run_only_one: 'sometimes' })).toEqual([
      { argument: 'run_only_one', message: 'run_only_one: "sometimes" is not true or false' },
    ]);
  });
});
