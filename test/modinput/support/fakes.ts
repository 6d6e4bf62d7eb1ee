/** In-memory process resources for the modular input tests: streams, logger, clock, signals. */

import { PassThrough, Writable } from 'node:stream';
import type { Clock, Logger, LogLevel } from '../../../src/collector/ports';

export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  log(
    level: LogLevel,
    message: string,
    fields?: Record<string, string | number | boolean | undefined>,
  ): void {
    this.lines.push({ level, message, fields });
  }
  text(): string {
    return this.lines
      .map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`)
      .join('\n');
  }
}

/** A Writable that records what it accepted; `hold()` delays callbacks to simulate a slow reader. */
export class MemoryWritable extends Writable {
  chunks: string[] = [];
  private held: (() => void)[] = [];
  private holding = false;
  failWith: NodeJS.ErrnoException | undefined;

  constructor() {
    super({ decodeStrings: false, highWaterMark: 16 });
  }
  override _write(
    chunk: string | Buffer,
    _enc: BufferEncoding,
    cb: (err?: Error | null) => void,
  ): void {
    if (this.failWith) {
      cb(this.failWith);
      return;
    }
    const done = (): void => {
      this.chunks.push(String(chunk));
      cb();
    };
    if (this.holding) this.held.push(done);
    else done();
  }
  hold(): void {
    this.holding = true;
  }
  release(): void {
    this.holding = false;
    const h = this.held;
    this.held = [];
    for (const f of h) f();
  }
  text(): string {
    return this.chunks.join('');
  }
}

export function stdinFrom(text: string, end = true): PassThrough {
  const s = new PassThrough();
  s.write(text);
  if (end) s.end();
  return s;
}

export const fixedClock = (nowMs: number): Clock => ({
  nowMs: () => nowMs,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason);
      });
    }),
});

/** Signal subscription that a test triggers by hand. */
export class FakeSignals {
  private handlers = new Set<(s: string) => void>();
  subscribe = (h: (s: string) => void): (() => void) => {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  };
  send(signal: string): void {
    for (const h of [...this.handlers]) h(signal);
  }
  get count(): number {
    return this.handlers.size;
  }
}
