import { systemClock } from '../../src/modinput/clock';

describe('systemClock', () => {
  afterEach(() => jest.useRealTimers());

  test('sleep resolves after the delay', async () => {
    jest.useFakeTimers();
    const c = new AbortController();
    let done = false;
    const p = systemClock.sleep(5000, c.signal).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  test('sleep rejects with an AbortError as soon as the signal aborts', async () => {
    const c = new AbortController();
    const p = systemClock.sleep(3_600_000, c.signal);
    c.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('sleep on an aborted signal rejects at once', async () => {
    await expect(systemClock.sleep(10, AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  test('nowMs is wall time', () => {
    const before = Date.now();
    const now = systemClock.nowMs();
    expect(now).toBeGreaterThanOrEqual(before);
  });
});
