import { ReadReceipts } from '../../src/modinput/readReceipts';

describe('ReadReceipts', () => {
  it('counts a position read once the capacity of later bytes was taken after it', async () => {
    const r = new ReadReceipts();
    r.setCapacity(100);
    const settled: number[] = [];
    for (const p of [50, 120, 300]) void r.readThrough(p).then(() => settled.push(p));
    r.took(149);
    await Promise.resolve();
    expect(settled).toEqual([]);
    r.took(1); // 150 taken: everything up to 50 has left a 100-byte buffer
    await Promise.resolve();
    expect(settled).toEqual([50]);
    r.took(300);
    await Promise.resolve();
    expect(settled.sort((a, b) => a - b)).toEqual([50, 120, 300]);
  });

  it('counts nothing read while the capacity is unknown, and says how much would push it through', async () => {
    const r = new ReadReceipts();
    let read = false;
    void r.readThrough(10).then(() => (read = true));
    r.took(1_000_000);
    await Promise.resolve();
    expect(read).toBe(false);
    expect(r.bytesToPushThrough).toBe(0); // unknown: no push either
    r.setCapacity(64);
    await Promise.resolve();
    expect(read).toBe(true);
  });

  it('needs capacity + furthest waiting position − taken bytes to settle every waiter', () => {
    const r = new ReadReceipts();
    r.setCapacity(64);
    r.took(100);
    void r.readThrough(90);
    void r.readThrough(100);
    expect(r.bytesToPushThrough).toBe(64);
    r.took(10);
    expect(r.bytesToPushThrough).toBe(54);
  });

  it('resolves at once with no capacity (a file), and rejects every waiter when the output fails', async () => {
    const file = new ReadReceipts();
    file.setCapacity(0);
    file.took(10);
    await expect(file.readThrough(10)).resolves.toBeUndefined();
    const pipe = new ReadReceipts();
    pipe.setCapacity(64);
    const waiting = pipe.readThrough(5);
    pipe.fail(new Error('EPIPE'));
    await expect(waiting).rejects.toThrow('EPIPE');
    await expect(pipe.readThrough(1)).rejects.toThrow('EPIPE');
  });
});
