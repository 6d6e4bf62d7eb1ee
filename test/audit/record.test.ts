import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordHeader, usecsToSplunkTime, millisToSplunkTime } from '../../src/audit/record';

const samples = path.resolve(__dirname, '../fixtures/samples/cloudhsm');

describe('readRecordHeader on the sample records', () => {
  const files = fs.readdirSync(samples).filter((f) => f.endsWith('.log') || f.endsWith('.json'));

  it('finds every sample', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files.filter((f) => f.endsWith('.log')))(
    '%s: sequence number, reboot counter and µs time',
    (file) => {
      const text = fs.readFileSync(path.join(samples, file), 'utf8');
      const header = readRecordHeader(text);
      const seq = /Sequence No\s*:\s*0x([0-9a-f]+)/.exec(text)![1]!;
      const reboot = /Reboot counter\s*:\s*0x([0-9a-f]+)/.exec(text)![1]!;
      const usecs = /usecs:(\d+)/.exec(text)![1]!;
      expect(header).toEqual({
        kind: 'audit',
        sequenceNo: parseInt(seq, 16),
        rebootCounter: parseInt(reboot, 16),
        time: `${usecs.slice(0, 10)}.${usecs.slice(10)}`,
      });
    },
  );

  it('reads the certificate-storage JSON records by their millisecond timestamp', () => {
    const text = fs.readFileSync(path.join(samples, '34-certstore-CreateObject-OK.json'), 'utf8');
    expect(readRecordHeader(text)).toEqual({ kind: 'certstore', time: '1725482483.671' });
  });
});

describe('readRecordHeader on variants', () => {
  const record = (sep: string, eol = '\n') =>
    [
      'Time: 12/19/17 21:01:17.140812, usecs:1513717277140812',
      `Sequence No${sep}: 0x1f`,
      `Reboot counter${sep}: 0xe8`,
      `Opcode${sep}: CN_LOGIN (0xd)`,
    ].join(eol);

  it.each([
    ['space', ' '],
    ['no separator', ''],
    ['one TAB', '\t'],
    ['three TABs', '\t\t\t'],
  ])('accepts %s before the colon', (_name, sep) => {
    expect(readRecordHeader(record(sep))).toMatchObject({ sequenceNo: 31, rebootCounter: 232 });
  });

  it('accepts CRLF line ends', () => {
    expect(readRecordHeader(record(' ', '\r\n'))).toMatchObject({
      sequenceNo: 31,
      rebootCounter: 232,
    });
  });

  it('does not take a sequence number from inside another line', () => {
    const text =
      'Time: 12/19/17 21:01:17.140812, usecs:1513717277140812\nUser Name : Sequence No : 0x5';
    expect(readRecordHeader(text)).toEqual({ kind: 'audit', time: '1513717277.140812' });
  });

  it('keeps a damaged record as unknown, with no identity', () => {
    expect(readRecordHeader('\u0000garbage\u00ff')).toEqual({ kind: 'unknown', time: undefined });
    expect(readRecordHeader('')).toEqual({ kind: 'unknown', time: undefined });
  });

  it('refuses sequence numbers beyond exact integers rather than rounding them', () => {
    const text =
      'Time: 12/19/17 21:01:17.140812, usecs:1513717277140812\nSequence No : 0xffffffffffffffff';
    expect(readRecordHeader(text).sequenceNo).toBeUndefined();
  });
});

describe('time formatting', () => {
  it('keeps microseconds exactly', () => {
    expect(usecsToSplunkTime('1513717277140812')).toBe('1513717277.140812');
    expect(usecsToSplunkTime('000123')).toBe('0.000123');
    expect(millisToSplunkTime(1725482484559)).toBe('1725482484.559');
    expect(millisToSplunkTime(1725482484005)).toBe('1725482484.005');
  });
});
