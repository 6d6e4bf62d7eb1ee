import { formatLine, StderrLogger } from '../../src/modinput/logger';

describe('formatLine', () => {
  test('level first, key=value pairs', () => {
    expect(
      formatLine('INFO', 'input starting', {
        stanza: 'cloudhsm_audit://prod',
        events_total: 3,
        ok: true,
      }),
    ).toBe('INFO input starting stanza=cloudhsm_audit://prod events_total=3 ok=true');
  });
  test('quotes values with spaces, quotes, = or emptiness; skips undefined', () => {
    expect(
      formatLine('WARN', 'm', { a: 'two words', b: 'say "hi"', c: 'k=v', d: '', e: undefined }),
    ).toBe('WARN m a="two words" b="say \\"hi\\"" c="k=v" d=""');
  });
  test('one line per message: newlines escaped in message and values', () => {
    const line = formatLine('ERROR', 'failed:\nstack line\r\n\tat x', {
      detail: 'a\nb',
      path: 'C:\\dir',
    });
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).toBe('ERROR failed:\\nstack line\\r\\n\\tat x detail="a\\nb" path="C:\\\\dir"');
  });
  test.each([
    'password',
    'secret_access_key',
    'session_key',
    'sessionKey',
    'token',
    'aws_session_token',
    'Authorization',
    'proxy_password',
    'api_key',
  ])('redacts %s', (key) => {
    const line = formatLine('INFO', 'x', { [key]: 'hunter2' });
    expect(line).toBe(`INFO x ${key}=<redacted>`);
  });
});

describe('StderrLogger', () => {
  test('writes newline-terminated lines and filters below the minimum level', () => {
    const lines: string[] = [];
    const logger = new StderrLogger((l) => lines.push(l), 'INFO');
    logger.log('DEBUG', 'hidden');
    logger.log('INFO', 'shown', { n: 1 });
    logger.log('FATAL', 'bad');
    expect(lines).toEqual(['INFO shown n=1\n', 'FATAL bad\n']);
  });
});
