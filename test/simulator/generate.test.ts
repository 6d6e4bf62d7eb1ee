/**
 * The pure generator: record text byte for byte against AWS samples, cluster behaviour (init,
 * mirrored logins, key sync, replaced HSM), gaps and late records as asked, and seeded repeatability.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  formatAuditRecord,
  formatCertstoreRecord,
  generate,
  planBatches,
  PUT_LIMITS,
  type SimulatedRecord,
  type Simulation,
} from '../../src/simulator';
import { LOG_TYPE, OP, RESPONSE, COMMAND } from '../../src/simulator/vocabulary';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const START = Date.UTC(2026, 0, 15, 8, 0, 0);

function byStream(simulation: Simulation): Map<string, SimulatedRecord[]> {
  const streams = new Map<string, SimulatedRecord[]>();
  const sorted = [...simulation.records].sort(
    (a, b) => (a.usecs ?? a.timestamp * 1000) - (b.usecs ?? b.timestamp * 1000),
  );
  for (const record of sorted) {
    const key = `${record.logGroupName} ${record.logStreamName}`;
    streams.set(key, [...(streams.get(key) ?? []), record]);
  }
  return streams;
}

const line = (record: SimulatedRecord, label: string) =>
  new RegExp(`^${label.replace(/[()/]/g, '\\$&')}[ \\t]*: (.*)$`, 'm').exec(record.message)?.[1];

describe('record text', () => {
  it('writes the samples byte for byte in the space and no-space styles', () => {
    expect(
      formatAuditRecord(
        {
          usecs: 1513717277174902,
          seq: 2,
          rebootCounter: 0xe8,
          commandType: COMMAND.MGMT,
          opcode: OP.CREATE_APPLIANCE_USER,
          sessionHandle: 0x1004001,
          responseCode: 0,
          logType: LOG_TYPE.USER_DETAILS,
          details: [
            ['User Name', 'app_user'],
            ['User Type', 'CN_APPLIANCE_USER (5)'],
          ],
        },
        'space',
      ),
    ).toBe(fixture('03-cn_create_appliance_user-success.log'));
    expect(
      formatAuditRecord(
        {
          usecs: 1513206544648952,
          seq: 0x28,
          rebootCounter: 0xe8,
          commandType: COMMAND.MGMT,
          opcode: OP.LOGIN,
          sessionHandle: 0x2014005,
          responseCode: 0,
          logType: LOG_TYPE.USER_DETAILS,
          details: [
            ['User Name', 'crypto_user'],
            ['User Type', 'CN_CRYPTO_USER (1)'],
          ],
        },
        'none',
      ),
    ).toBe(fixture('13-cn_login-success.log'));
  });

  it('writes HSM errors and key details like the samples', () => {
    const login = (
      usecs: number,
      seq: number,
      reboot: number,
      session: number,
      name: string,
      response: { code: number; text: string },
    ) =>
      formatAuditRecord(
        {
          usecs,
          seq,
          rebootCounter: reboot,
          commandType: COMMAND.MGMT,
          opcode: OP.LOGIN,
          sessionHandle: session,
          responseCode: response.code,
          responseText: response.text,
          logType: LOG_TYPE.USER_DETAILS,
          details: [
            ['User Name', name],
            ['User Type', 'CN_CRYPTO_USER (1)'],
          ],
        },
        'space',
      );
    expect(login(1516815865013218, 5, 0x107, 0xc008002, 'testuser', RESPONSE.WRONG_PASSWORD)).toBe(
      fixture('09-cn_login-error.log'),
    );
    expect(login(1550743671146664, 0x23, 0xd, 0x2014004, 'test', RESPONSE.UNKNOWN_USER)).toBe(
      fixture('32-cn_login-error.log'),
    );
    expect(
      formatAuditRecord(
        {
          usecs: 1516754370328334,
          seq: 1,
          rebootCounter: 0x107,
          commandType: COMMAND.MGMT,
          opcode: OP.GENERATE_KEY,
          sessionHandle: 0xc008004,
          responseCode: 0,
          logType: LOG_TYPE.KEY_DETAILS,
          details: [
            ['Priv/Secret Key Handle', '262152'],
            ['Public Key Handle', '0'],
          ],
        },
        'space',
      ),
    ).toBe(fixture('19-cn_generate_key-success.log'));
  });

  it('writes certificate-storage JSON with the exact 64-bit handle', () => {
    const text = formatCertstoreRecord({
      objectHandle: '463180677312929947',
      opCode: 'CreateObject',
      response: 'OK',
      attributes: null,
      timestamp: 1725482483671,
    });
    expect(text).toBe(fixture('34-certstore-CreateObject-OK.json'));
    expect(text).toContain('463180677312929947'); // a JS number would have written …929900
  });

  it('aligns TAB-separated labels in columns of 1 to 3 TABs', () => {
    const sim = generate({
      seed: 'tabs',
      records: 40,
      hsms: 2,
      separator: 'tab',
      startTime: START,
    });
    for (const record of sim.records.filter((r) => r.kind === 'audit')) {
      const [time, ...rest] = record.message.split('\n');
      expect(time).toMatch(/^Time: \d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6}, usecs:\d{16}$/);
      for (const text of rest) expect(text).toMatch(/^[^\t:]+\t{1,3}: \S/);
    }
  });
});

describe('generated clusters', () => {
  const options = {
    seed: 42,
    clusters: 2,
    hsms: 3,
    records: 400,
    startTime: START,
    hsmType: 'mixed',
  } as const;
  const sim = generate(options);
  const streams = byStream(sim);

  it('repeats exactly for one seed and differs for another', () => {
    expect(generate(options)).toEqual(sim);
    expect(generate({ ...options, seed: 43 }).records[0]?.message).not.toBe(
      sim.records[0]?.message,
    );
  });

  it('names groups and streams like CloudHSM and writes exactly the records asked per cluster', () => {
    for (const cluster of sim.clusters) {
      expect(cluster.logGroupName).toMatch(/^\/aws\/cloudhsm\/cluster-[a-z2-7]{11}$/);
      const audit = sim.records.filter(
        (r) => r.logGroupName === cluster.logGroupName && r.kind === 'audit',
      );
      expect(audit).toHaveLength(400);
      for (const stream of cluster.streams.filter((s) => s.kind === 'audit'))
        expect(stream.logStreamName).toMatch(/^hsm-[a-z2-7]{11}$/);
    }
  });

  it('numbers each stream 0, 1, 2 … with one reboot counter, and Time matches usecs and timestamp', () => {
    for (const records of streams.values()) {
      if (records[0]?.kind !== 'audit') continue;
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
      expect(new Set(records.map((r) => r.rebootCounter)).size).toBe(1);
      for (const record of records) {
        expect(line(record, 'Sequence No')).toBe(`0x${(record.seq as number).toString(16)}`);
        expect(record.message).toContain(`, usecs:${record.usecs}\n`);
        expect(record.timestamp).toBe(Math.floor((record.usecs as number) / 1000));
        expect(record.message.endsWith('\n')).toBe(false);
      }
    }
  });

  it('initializes on the first HSM only, then activates admin as precrypto officer', () => {
    for (const cluster of sim.clusters) {
      const [first, ...others] = cluster.streams.filter((s) => s.kind === 'audit');
      const records = streams.get(`${cluster.logGroupName} ${first?.logStreamName}`) ?? [];
      expect(records.slice(0, 6).map((r) => r.opcode)).toEqual([
        'CN_INIT_TOKEN',
        'CN_GEN_PSWD_ENC_KEY',
        'CN_CREATE_APPLIANCE_USER',
        'CN_INIT_DONE',
        'CN_LOGIN',
        'CN_CHANGE_PSWD',
      ]);
      expect(line(records[2] as SimulatedRecord, 'User Name')).toBe('app_user');
      expect(line(records[2] as SimulatedRecord, 'User Type')).toBe('CN_APPLIANCE_USER (5)');
      expect(line(records[5] as SimulatedRecord, 'User Name')).toBe('admin');
      expect(line(records[5] as SimulatedRecord, 'User Type')).toBe('CN_CRYPTO_PRE_OFFICER (6)');
      for (const other of others) {
        const otherRecords = streams.get(`${cluster.logGroupName} ${other.logStreamName}`) ?? [];
        expect(otherRecords[0]?.opcode).toBe('CN_LOGIN');
        expect(otherRecords.some((r) => r.opcode === 'CN_INIT_TOKEN')).toBe(false);
      }
    }
  });

  it('mirrors every login on every HSM, tens of ms apart, each with its own session handle', () => {
    for (const cluster of sim.clusters) {
      const audit = cluster.streams.filter((s) => s.kind === 'audit');
      const logins = audit.map((s) =>
        (streams.get(`${cluster.logGroupName} ${s.logStreamName}`) ?? []).filter(
          (r) => r.opcode === 'CN_LOGIN',
        ),
      );
      const [initializer, ...others] = logins;
      for (const list of others) {
        expect(list.length).toBe((initializer?.length ?? 0) - 1); // the activation login ran before they joined
        list.forEach((login, i) => {
          const twin = initializer?.[i + 1] as SimulatedRecord;
          expect(line(login, 'User Name')).toBe(line(twin, 'User Name'));
          expect(line(login, 'Response')).toBe(line(twin, 'Response'));
          expect(Math.abs((login.usecs as number) - (twin.usecs as number))).toBeLessThan(200_000);
          expect(line(login, 'Session Handle')).not.toBe(line(twin, 'Session Handle'));
        });
      }
    }
  });

  it('syncs every generated key: extract on its HSM, insert on each other HSM', () => {
    let generated = 0;
    for (const cluster of sim.clusters) {
      const audit = cluster.streams
        .filter((s) => s.kind === 'audit')
        .map((s) => streams.get(`${cluster.logGroupName} ${s.logStreamName}`) ?? []);
      audit.forEach((records, index) => {
        records.forEach((record, position) => {
          if (record.opcode !== 'CN_GENERATE_KEY' && record.opcode !== 'CN_UNWRAP_KEY') return;
          generated += 1;
          const handle = line(record, 'Priv/Secret Key Handle');
          const next = records[position + 1] as SimulatedRecord;
          expect(next.opcode).toBe('CN_EXTRACT_MASKED_OBJECT_USER');
          expect(line(next, 'Priv/Secret Key Handle')).toBe(handle);
          audit.forEach((others, otherIndex) => {
            if (otherIndex === index) return;
            const insert = others.find(
              (r) =>
                r.opcode === 'CN_INSERT_MASKED_OBJECT_USER' &&
                line(r, 'Priv/Secret Key Handle') === handle,
            );
            expect(insert).toBeDefined();
            expect((insert?.usecs as number) - (record.usecs as number)).toBeGreaterThan(0);
          });
        });
      });
    }
    expect(generated).toBeGreaterThan(5);
  });

  it('covers the opcodes, responses and separator styles a collector must handle', () => {
    const opcodes = new Set(sim.records.map((r) => r.opcode));
    for (const name of [
      'CN_LOGIN',
      'CN_LOGOUT',
      'CN_CREATE_USER',
      'CN_CHANGE_PSWD',
      'CN_GENERATE_KEY',
      'CN_GENERATE_KEY_PAIR',
      'CN_EXTRACT_MASKED_OBJECT_USER',
      'CN_INSERT_MASKED_OBJECT_USER',
      'CN_DESTROY_OBJECT',
      'CN_NIST_AES_WRAP',
      'CN_TIME_SYNC',
      'CreateObject',
    ]) {
      expect(opcodes).toContain(name);
    }
    const messages = sim.records.map((r) => r.message).join('\n');
    expect(messages).toContain('163:HSM Error: RET_USER_LOGIN_FAILURE');
    expect(messages).toContain("206:HSM Error: This user doesn't exist");
    expect(messages).toMatch(
      /^Log type[ \t]*: TIME_INFO_LOG \(16\)\nlocal time[ \t]*: .*, usec:\d+\nhost time[ \t]*: \S+ \S+ usec:\d+\npropagation delay[ \t]*: usec:\d+$/m,
    );
    expect(messages).toMatch(/^Log type[ \t]*: UNKNOWN_LOG_TYPE \(5\)$/m);
    const styles = new Set(
      sim.clusters.flatMap((c) => c.streams.map((s) => s.separator)).filter(Boolean),
    );
    expect([...styles].sort()).toEqual(['none', 'space', 'tab']);
    expect(messages).toMatch(/^Sequence No : /m);
    expect(messages).toMatch(/^Sequence No: /m);
    expect(messages).toMatch(/^Sequence No\t+: /m);
  });

  it('writes extra lines when asked: Version No, Target User and Key Handle', () => {
    const verbose = generate({
      seed: 'verbose',
      records: 200,
      extraLines: true,
      startTime: START,
      hsmType: 'hsm1.medium',
    });
    for (const record of verbose.records)
      expect(record.message.split('\n')[1]).toMatch(/^Version No[ \t]*: \d+\.\d+\.\d+$/);
    const created = verbose.records.find((r) => r.opcode === 'CN_CREATE_USER') as SimulatedRecord;
    expect(line(created, 'Target User Name')).toBe(line(created, 'User Name'));
    const key = verbose.records.find((r) => r.opcode === 'CN_GENERATE_KEY') as SimulatedRecord;
    expect(line(key, 'Key Handle')).toBe(line(key, 'Priv/Secret Key Handle'));
    const plain = generate({ seed: 'verbose', records: 50, extraLines: false, startTime: START });
    expect(plain.records.some((r) => r.message.includes('Version No'))).toBe(false);
  });

  it('writes certificate-storage JSON in a cluster-named stream of hsm2m clusters only', () => {
    const hsm2m = sim.clusters.filter((c) => c.hsmType === 'hsm2m.medium');
    expect(hsm2m).toHaveLength(1);
    const cluster = hsm2m[0] as (typeof sim.clusters)[number];
    const certstore = sim.records.filter((r) => r.kind === 'certstore');
    expect(certstore.length).toBe(16);
    for (const record of certstore) {
      expect(record.logGroupName).toBe(cluster.logGroupName);
      expect(record.logStreamName).toBe(cluster.clusterId);
      const parsed = JSON.parse(record.message) as { timestamp: number; op_code: string };
      expect(Object.keys(parsed)).toEqual([
        'object_handle',
        'op_code',
        'response',
        'attributes',
        'timestamp',
      ]);
      expect(parsed.timestamp).toBe(record.timestamp);
      const handle = /"object_handle": (\d+|null),/.exec(record.message)?.[1];
      if (handle !== 'null') expect(BigInt(handle as string) > 2n ** 53n).toBe(true);
    }
    expect(certstore.some((r) => r.message.includes('"object_handle": null'))).toBe(true);
  });
});

describe('on-demand irregularities', () => {
  it('leaves the gaps asked and returns what was skipped', () => {
    const sim = generate({
      seed: 'gaps',
      clusters: 2,
      records: 300,
      gaps: 5,
      maxGapSize: 3,
      startTime: START,
    });
    expect(sim.gaps).toHaveLength(5);
    const streams = byStream(sim);
    for (const gap of sim.gaps) {
      const seqs = (streams.get(`${gap.logGroupName} ${gap.logStreamName}`) ?? []).map(
        (r) => r.seq as number,
      );
      expect(gap.skipped.map((r) => r.seq)).toEqual(
        Array.from({ length: gap.lastSeq - gap.firstSeq + 1 }, (_, i) => gap.firstSeq + i),
      );
      for (let seq = gap.firstSeq; seq <= gap.lastSeq; seq += 1) expect(seqs).not.toContain(seq);
      expect(seqs).toContain(gap.firstSeq - 1);
      expect(seqs).toContain(gap.lastSeq + 1);
      for (const skipped of gap.skipped)
        expect(sim.records.map((r) => r.message)).not.toContain(skipped.message);
    }
    // Still exactly `records` written per cluster.
    for (const cluster of sim.clusters) {
      expect(
        sim.records.filter((r) => r.logGroupName === cluster.logGroupName && r.kind === 'audit'),
      ).toHaveLength(300);
    }
  });

  it('puts late records after later records of their stream, at most N minutes late', () => {
    const sim = generate({
      seed: 'late',
      records: 300,
      late: 6,
      lateMaxMinutes: 10,
      startTime: START,
      hsmType: 'hsm1.medium',
    });
    expect(sim.late).toHaveLength(6);
    for (const late of sim.late) {
      const position = sim.records.indexOf(late);
      expect(position).toBeGreaterThan(0);
      const putBefore = sim.records
        .slice(0, position)
        .filter((r) => r.logStreamName === late.logStreamName);
      expect(putBefore.some((r) => r.timestamp > late.timestamp)).toBe(true);
      expect(late.ingestDelayMs).toBeGreaterThan(0);
      expect(late.ingestDelayMs).toBeLessThanOrEqual(10 * 60_000);
    }
  });

  it('puts the duplicates asked a second time, a few seconds after the original', () => {
    const sim = generate({ seed: 'dups', records: 200, duplicates: 3, startTime: START });
    expect(sim.duplicates).toHaveLength(3);
    for (const copy of sim.duplicates) {
      expect(copy.duplicate).toBe(true);
      const copies = sim.records.filter((r) => r.message === copy.message);
      expect(copies).toHaveLength(2);
      expect(sim.records.indexOf(copies[0] as SimulatedRecord)).toBeLessThan(
        sim.records.indexOf(copy),
      );
    }
    expect(sim.records.filter((r) => !r.duplicate).length).toBe(sim.records.length - 3);
  });

  it('replaces an HSM halfway: a new stream starting with a login, the old one stops', () => {
    const sim = generate({
      seed: 'replace',
      records: 300,
      hsms: 3,
      replaceHsm: true,
      startTime: START,
      hsmType: 'hsm1.medium',
    });
    const streams = sim.clusters[0]?.streams ?? [];
    const added = streams.find((s) => s.addedMidRun);
    const retired = streams.find((s) => s.retiredMidRun);
    expect(added?.replaces).toBe(retired?.logStreamName);
    const records = byStream(sim);
    const addedRecords =
      records.get(`${sim.clusters[0]?.logGroupName} ${added?.logStreamName}`) ?? [];
    const retiredRecords =
      records.get(`${sim.clusters[0]?.logGroupName} ${retired?.logStreamName}`) ?? [];
    expect(addedRecords[0]?.opcode).toBe('CN_LOGIN');
    expect(addedRecords[0]?.seq).toBe(0);
    expect(
      (retiredRecords[retiredRecords.length - 1]?.usecs as number) <
        (addedRecords[0]?.usecs as number),
    ).toBe(true);
  });

  it('reboots an HSM on demand: its reboot counter goes up by one, its sequence numbers continue', () => {
    const sim = generate({
      seed: 'reboot',
      records: 300,
      hsms: 3,
      rebootHsm: true,
      startTime: START,
    });
    const rebooted = sim.clusters[0]?.streams.filter((s) => s.reboot) ?? [];
    expect(rebooted).toHaveLength(1);
    const stream = rebooted[0] as NonNullable<(typeof rebooted)[number]>;
    const reboot = stream.reboot as { seq: number; from: number; to: number };
    expect(reboot.to).toBe(reboot.from + 1);
    expect(stream.rebootCounter).toBe(reboot.from);
    const records =
      byStream(sim).get(`${sim.clusters[0]?.logGroupName} ${stream.logStreamName}`) ?? [];
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    for (const record of records) {
      const expected = (record.seq as number) < reboot.seq ? reboot.from : reboot.to;
      expect(record.rebootCounter).toBe(expected);
      expect(line(record, 'Reboot counter')).toBe(`0x${expected.toString(16)}`);
    }
    expect(records.some((r) => (r.seq as number) >= reboot.seq)).toBe(true);
  });

  it('anchors the end near the given end time when no start is given', () => {
    const end = Date.UTC(2026, 5, 1);
    const sim = generate({ seed: 'anchor', records: 100, endTime: end });
    const last = Math.max(...sim.records.map((r) => r.timestamp));
    expect(last).toBe(end);
    expect(generate({ seed: 'anchor', records: 100, endTime: end })).toEqual(sim);
  });
});

describe('PutLogEvents batches', () => {
  it('respects 10,000 events, 1 MB, timestamp order and 24 h, and splits before a late record', () => {
    const sim = generate({
      seed: 'batches',
      records: 25_000,
      hsms: 1,
      late: 3,
      startTime: START,
      hsmType: 'hsm1.medium',
      meanIntervalMs: 20_000,
    });
    const batches = planBatches(sim.records);
    expect(batches.reduce((sum, b) => sum + b.events.length, 0)).toBe(sim.records.length);
    for (const batch of batches) {
      expect(batch.events.length).toBeLessThanOrEqual(PUT_LIMITS.events);
      const bytes = batch.events.reduce(
        (sum, e) => sum + Buffer.byteLength(e.message ?? '') + 26,
        0,
      );
      expect(bytes).toBeLessThanOrEqual(PUT_LIMITS.bytes);
      const times = batch.events.map((e) => e.timestamp as number);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect((times[times.length - 1] as number) - (times[0] as number)).toBeLessThanOrEqual(
        PUT_LIMITS.spanMs,
      );
    }
    expect(batches.length).toBeGreaterThanOrEqual(3 + 3);
    // Each late record is put in a later call than some record with a later timestamp.
    for (const late of sim.late) {
      const at = batches.findIndex((b) => b.events.some((e) => e.message === late.message));
      expect(
        batches
          .slice(0, at)
          .some((b) => b.events.some((e) => (e.timestamp as number) > late.timestamp)),
      ).toBe(true);
    }
  });
});
