import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRunnerLock } from '../../src/checkpoint/fileLock';
import { currentProcess } from '../../src/checkpoint/processes';
import { systemClock } from '../../src/modinput/clock';
import { MemoryLogger } from '../modinput/support/fakes';

const FAST = { renewMs: 50, foreignStaleMs: 300, retryMs: 20 };

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('FileRunnerLock', () => {
  let dir: string;
  let logger: MemoryLogger;
  const lock = (input = 'prod') => new FileRunnerLock(dir, input, logger, systemClock, FAST);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    logger = new MemoryLogger();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is held by one runner at a time; the other waits, says so once, and gets it on release', async () => {
    const first = await lock().acquire(new AbortController().signal);
    let secondHeld = false;
    const second = lock()
      .acquire(new AbortController().signal)
      .then((h) => {
        secondHeld = true;
        return h;
      });
    await new Promise((r) => setTimeout(r, 200));
    expect(secondHeld).toBe(false);
    expect(
      logger.lines.filter((l) => l.message.includes('another instance of this input')),
    ).toHaveLength(1);
    expect(logger.text()).toMatch(/^WARN another instance .*"holder_pid":\d+/m);
    await first.release();
    const held = await second;
    expect(held.lost.aborted).toBe(false);
    await held.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('gives the lock to exactly one of many runners racing for it', async () => {
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    const holders: number[] = [];
    const attempts = controllers.map((c, i) =>
      lock()
        .acquire(c.signal)
        .then((held) => {
          holders.push(i);
          return held;
        }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(holders).toHaveLength(1);
    for (const [i, c] of controllers.entries()) if (i !== holders[0]) c.abort();
    const settled = await Promise.allSettled(attempts);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(holders).toHaveLength(1);
  });

  it('keeps inputs apart: two inputs hold their own locks at once', async () => {
    const a = await lock('a').acquire(new AbortController().signal);
    const b = await lock('b').acquire(new AbortController().signal);
    await Promise.all([a.release(), b.release()]);
  });

  it.each([
    ['whose process is gone', () => ({ ...currentProcess(), pid: deadPid() })],
    [
      'whose pid now belongs to a process started later',
      () => ({ ...currentProcess(), startTicks: '1' }),
    ],
    ['from before a reboot', () => ({ ...currentProcess(), bootId: 'another-boot' })],
  ])('takes over a stale lock %s, and logs it', async (_what, owner) => {
    const l = lock();
    fs.writeFileSync(l.file, JSON.stringify({ ...owner(), token: 'old', input: 'prod' }));
    const held = await l.acquire(new AbortController().signal);
    expect(logger.text()).toMatch(
      /^WARN removed a stale lock: the instance that held it is gone .*"stale_pid":\d+/m,
    );
    await held.release();
  });

  it('waits for a lock another host renews, and takes it once that host stops renewing', async () => {
    const l = lock();
    const foreign = { ...currentProcess(), host: 'other-host', token: 'x', input: 'prod' };
    fs.writeFileSync(l.file, JSON.stringify(foreign));
    const renewer = setInterval(() => fs.utimesSync(l.file, new Date(), new Date()), 50);
    let held = false;
    const acquiring = l.acquire(new AbortController().signal).then((h) => {
      held = true;
      return h;
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(held).toBe(false);
    clearInterval(renewer);
    await (await acquiring).release();
    expect(logger.text()).toMatch(/removed a stale lock.*"stale_host":"other-host"/);
  });

  it('never takes a lock held by a live process on this host', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    try {
      const l = lock();
      fs.writeFileSync(
        l.file,
        JSON.stringify({
          pid: sleeper.pid,
          host: currentProcess().host,
          token: 'x',
          input: 'prod',
        }),
      );
      const stop = new AbortController();
      const acquiring = l.acquire(stop.signal);
      await new Promise((r) => setTimeout(r, 300));
      stop.abort();
      await expect(acquiring).rejects.toThrow();
      expect(JSON.parse(fs.readFileSync(l.file, 'utf8')).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill();
    }
  });

  it('reports the lock lost when another runner replaced it, and leaves theirs alone', async () => {
    const l = lock();
    const held = await l.acquire(new AbortController().signal);
    fs.writeFileSync(l.file, JSON.stringify({ ...currentProcess(), token: 'theirs' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(held.lost.aborted).toBe(true);
    expect(logger.text()).toMatch(/^ERROR runner lock lost/m);
    await held.release();
    expect(JSON.parse(fs.readFileSync(l.file, 'utf8')).token).toBe('theirs');
  });
});
