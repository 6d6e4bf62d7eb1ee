import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { InputConfig } from '../../src/config/inputConfig';
import { type ModularInputDeps, runModularInput } from '../../src/modinput/app';
import type { RunInputContext } from '../../src/modinput/runMode';
import { FakeSignals, fixedClock, MemoryLogger, MemoryWritable, stdinFrom } from './support/fakes';
import { parseStrict } from './support/strictXml';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const NOW = Date.parse('2026-06-15T12:00:00Z');

function harness(stdinText: string | PassThrough, overrides: Partial<ModularInputDeps> = {}) {
  const stdout = new MemoryWritable();
  const logger = new MemoryLogger();
  const signals = new FakeSignals();
  const stdin = typeof stdinText === 'string' ? stdinFrom(stdinText) : stdinText;
  const contexts: RunInputContext[] = [];
  const deps: ModularInputDeps = {
    logger,
    clock: fixedClock(NOW),
    runInput: async (ctx) => {
      contexts.push(ctx);
    },
    ...overrides,
  };
  const run = (argv: string[]) =>
    runModularInput(argv, { stdin, stdout, onTerminate: signals.subscribe }, deps);
  return { stdout, logger, signals, contexts, run };
}

const RUN_STDIN = fixture('input_with_escapes.xml');

describe('argv dispatch', () => {
  test('--scheme prints the golden scheme and exits 0', async () => {
    const h = harness('');
    await expect(h.run(['--scheme'])).resolves.toBe(0);
    expect(h.stdout.text()).toBe(fixture('scheme.xml'));
  });
  test.each([[['--bogus']], [['extra']], [['--scheme', '--validate-arguments']]])(
    'refuses %j with a FATAL usage line and exit 2',
    async (argv) => {
      const h = harness('');
      await expect(h.run(argv)).resolves.toBe(2);
      expect(h.logger.lines[0]?.level).toBe('FATAL');
      expect(h.logger.lines[0]?.message).toMatch(/usage: cloudhsm_audit/);
      expect(h.stdout.text()).toBe('');
    },
  );
});

describe('--validate-arguments', () => {
  test('valid items: nothing on stdout, exit 0', async () => {
    const h = harness(fixture('items_valid.xml'));
    await expect(h.run(['--validate-arguments'])).resolves.toBe(0);
    expect(h.stdout.text()).toBe('');
  });

  test('invalid items: golden <error><message> naming each argument, exit 1, no secret echoed', async () => {
    const h = harness(fixture('items_invalid.xml'));
    await expect(h.run(['--validate-arguments'])).resolves.toBe(1);
    expect(h.stdout.text()).toBe(fixture('validation_error.xml'));
    parseStrict(h.stdout.text());
    expect(h.stdout.text() + h.logger.text()).not.toContain('hunter2');
  });

  test('malformed stdin is refused with a message', async () => {
    const h = harness('<items><item name="x">');
    await expect(h.run(['--validate-arguments'])).resolves.toBe(1);
    expect(h.stdout.text()).toMatch(
      /^<error><message>cannot read the input definition from splunkd: /,
    );
  });

  test('the injected probe runs on valid arguments and its error is printed', async () => {
    const seen: { config: InputConfig; key: string }[] = [];
    const h = harness(fixture('items_valid.xml'), {
      probe: async (config, session) => {
        seen.push({ config, key: session.sessionKey });
        return 'account: AWS refused the credentials of account "prod" (UnrecognizedClientException)';
      },
    });
    await expect(h.run(['--validate-arguments'])).resolves.toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.key).toBe('123102983109283019283');
    expect(seen[0]?.config).toMatchObject({
      name: 'prod',
      account: 'prod',
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(h.stdout.text()).toBe(
      '<error><message>account: AWS refused the credentials of account &quot;prod&quot; (UnrecognizedClientException)</message></error>\n',
    );
  });

  test('a probe that passes keeps exit 0; a throwing probe becomes a message', async () => {
    const pass = harness(fixture('items_valid.xml'), { probe: async () => undefined });
    await expect(pass.run(['--validate-arguments'])).resolves.toBe(0);
    const boom = harness(fixture('items_valid.xml'), {
      probe: async () => {
        throw new Error('socket hang up');
      },
    });
    await expect(boom.run(['--validate-arguments'])).resolves.toBe(1);
    expect(boom.stdout.text()).toContain('could not check AWS access: socket hang up');
  });

  test('the probe is not called when arguments are invalid', async () => {
    const probe = jest.fn(async () => undefined);
    const h = harness(fixture('items_invalid.xml'), { probe });
    await expect(h.run(['--validate-arguments'])).resolves.toBe(1);
    expect(probe).not.toHaveBeenCalled();
  });
});

describe('run mode', () => {
  test('passes the typed config, stanza and session to the collector and closes the stream', async () => {
    const h = harness(RUN_STDIN, {
      runInput: async (ctx) => {
        h.contexts.push(ctx);
        await ctx.sink.write([{ time: '1.000001', data: 'x < y' }]);
      },
    });
    await expect(h.run([])).resolves.toBe(0);
    const ctx = h.contexts[0] as RunInputContext;
    expect(ctx.stanza).toBe(`cloudhsm_audit://prod "eu" & 'us'`);
    expect(ctx.config).toMatchObject({
      name: `prod "eu" & 'us'`,
      account: 'prod',
      regions: ['us-east-1', 'eu-west-1'],
      clusters: ['cluster-likphkxygsn', '/aws/cloudhsm/cluster-abcdefghijk'],
      endpointUrl: 'http://127.0.0.1:5000/?a=1&b=2',
      index: 'cloudhsm',
      startPosition: { kind: 'time', epochMs: Date.parse('2026-01-02T03:04:05Z') },
    });
    expect(ctx.config).not.toHaveProperty('httpsProxy');
    expect(ctx.session.sessionKey).toBe('abc<123>==');
    const out = h.stdout.text();
    expect(out.startsWith('<stream>\n')).toBe(true);
    expect(out.endsWith('</stream>\n')).toBe(true);
    expect(parseStrict(out).texts.data).toEqual(['x < y']);
    expect(h.signals.count).toBe(0); // unsubscribed
    expect(h.logger.text()).not.toContain('abc<123>');
  });

  test('SIGTERM aborts the collector, the current write finishes, </stream> is written, exit 0', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const h = harness(RUN_STDIN, {
      runInput: async (ctx) => {
        h.stdout.hold(); // a slow reader: the next write stays in flight
        const pending = ctx.sink.write([{ data: 'in flight' }]);
        entered();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        await pending;
      },
    });
    const exit = h.run([]);
    await inside;
    h.signals.send('SIGTERM');
    h.signals.send('SIGINT'); // a second signal changes nothing
    await new Promise((r) => setImmediate(r));
    expect(h.stdout.text()).toBe('<stream>\n');
    h.stdout.release();
    await expect(exit).resolves.toBe(0);
    expect(h.stdout.text()).toBe(
      '<stream>\n<event stanza="cloudhsm_audit://prod &quot;eu&quot; &amp; &apos;us&apos;" unbroken="1"><data>in flight</data><done/></event>\n</stream>\n',
    );
    expect(h.logger.text()).toMatch(/INFO stopping on signal .*SIGTERM/);
    expect(h.logger.lines.filter((l) => l.message === 'stopping on signal')).toHaveLength(1);
  });

  test('a collector that ignores the signal is cut off after the grace period, exit 0', async () => {
    const h = harness(RUN_STDIN, {
      runInput: () => new Promise<void>(() => undefined),
      shutdownGraceMs: 5,
    });
    const exit = h.run([]);
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
    h.signals.send('SIGTERM');
    await expect(exit).resolves.toBe(0);
    expect(h.stdout.text().endsWith('</stream>\n')).toBe(true);
    expect(h.logger.text()).toMatch(/WARN the collector did not stop in time/);
  });

  test('a failing collector: FATAL line, stream still closed, exit 1', async () => {
    const h = harness(RUN_STDIN, {
      runInput: async () => {
        throw new Error('AccessDeniedException: not authorized');
      },
    });
    await expect(h.run([])).resolves.toBe(1);
    expect(h.logger.text()).toMatch(/FATAL input failed: AccessDeniedException/);
    expect(h.stdout.text()).toBe('<stream>\n</stream>\n');
  });

  test('bad arguments in inputs.conf: ERROR per argument, FATAL, no stream, exit 1', async () => {
    const xml = RUN_STDIN.replace('us-east-1,  eu-west-1', 'moon-1').replace(
      '<param name="poll_interval">10',
      '<param name="poll_interval">0',
    );
    const h = harness(xml);
    await expect(h.run([])).resolves.toBe(1);
    const errors = h.logger.lines.filter((l) => l.level === 'ERROR').map((l) => l.fields?.argument);
    expect(errors).toEqual(['regions', 'poll_interval']);
    expect(h.logger.lines.at(-1)?.level).toBe('FATAL');
    expect(h.stdout.text()).toBe('');
  });

  test.each([
    ['<input><configuration></configuration></input>', /exactly one stanza/],
    ['<input><configuration>', /not well-formed/],
  ])('unusable stdin %j: FATAL, exit 1', async (xml, message) => {
    const h = harness(xml);
    await expect(h.run([])).resolves.toBe(1);
    expect(h.logger.lines.at(-1)?.level).toBe('FATAL');
    expect(h.logger.text()).toMatch(message);
  });

  test('stdin that never completes times out with a FATAL line', async () => {
    const h = harness(new PassThrough(), { stdinTimeoutMs: 5 });
    await expect(h.run([])).resolves.toBe(1);
    expect(h.logger.text()).toMatch(/FATAL no complete <input> document on stdin/);
  });

  test('EPIPE while the collector writes: the collector sees the error; exit 1', async () => {
    const h = harness(RUN_STDIN, {
      runInput: async (ctx) => {
        h.stdout.failWith = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        await ctx.sink.write([{ data: 'x' }]);
      },
    });
    await expect(h.run([])).resolves.toBe(1);
    expect(h.logger.text()).toMatch(/splunkd stopped reading the event stream \(EPIPE\)/);
  });
});
