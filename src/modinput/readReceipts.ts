/**
 * Which output positions the reader has certainly read. The OS taking bytes is not the reader
 * reading them: a pipe or socket holds up to `capacityBytes` unread, and drops them if the reader
 * closes it. Once `capacityBytes` more bytes were taken after a position, everything up to it has
 * left the buffer, into the reader. Positions are byte counts since the stream opened.
 */
export class ReadReceipts {
  private takenBytes = 0;
  private readonly waiting: {
    position: number;
    resolve: () => void;
    reject: (e: Error) => void;
  }[] = [];
  private failure: Error | undefined;
  /** Unknown until `setCapacity`: until then no position counts as read. */
  private capacity = Number.POSITIVE_INFINITY;

  get capacityBytes(): number {
    return this.capacity;
  }

  /** What stdout can hold unread, once known (it is probed while the run starts). */
  setCapacity(bytes: number): void {
    this.capacity = bytes;
    this.took(0);
  }

  /** Bytes the OS took so far. */
  get taken(): number {
    return this.takenBytes;
  }

  /** The furthest position someone waits for, or undefined when nobody waits. */
  get furthestWaited(): number | undefined {
    return this.waiting.length === 0 ? undefined : Math.max(...this.waiting.map((w) => w.position));
  }

  /** Bytes the OS must still take before every waiting position is read (0 when none waits). */
  get bytesToPushThrough(): number {
    const furthest = this.furthestWaited;
    // Unknown capacity: no amount of newlines is known to be enough, so none is written.
    if (furthest === undefined || !Number.isFinite(this.capacity)) return 0;
    return Math.max(0, furthest + this.capacity - this.takenBytes);
  }

  /** The OS took `bytes` more; settles every position that is now certainly read. */
  took(bytes: number): void {
    this.takenBytes += bytes;
    const read = this.takenBytes - this.capacity;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (w.position <= read) {
        this.waiting.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `position` is certainly read; rejects if the output fails first. */
  readThrough(position: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (position <= this.takenBytes - this.capacity) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ position, resolve, reject }));
  }

  /** The output is broken: nothing waiting will ever be read. */
  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}
