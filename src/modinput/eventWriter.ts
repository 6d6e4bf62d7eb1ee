/**
 * The `EventSink` that writes splunkd's XML event stream to stdout:
 * `<stream>`, then per event `<event stanza=… unbroken="1"><time>…<data>…</data><done/></event>`,
 * and `</stream>` on close.
 *
 * Invariants:
 * - `write()` resolves only once the output accepted every byte of the batch (the write callback),
 *   with the position after it; it rejects once the reader is gone (EPIPE), and every later write
 *   rejects too.
 * - `readThrough(position)` resolves only once the reader has certainly read up to `position`:
 *   `capacityBytes` (what stdout can hold unread: the pipe's or socket's buffer, 0 for a file)
 *   more bytes were accepted after it. When the output goes quiet with positions still waiting,
 *   the writer pushes them through with newlines — whitespace between events, which XML and
 *   splunkd's stream parser skip — at most `capacityBytes` each time.
 * - Writes are serialized: `close()` waits for the write in progress, pushes waiting positions
 *   through, then writes `</stream>`.
 * - One string per batch; text goes through `escapeXmlText`, and replaced characters are counted
 *   and logged.
 */

import type { Writable } from 'node:stream';
import type { EventSink, Logger, SplunkEvent } from '../collector/ports';
import { ReadReceipts } from './readReceipts';
import { escapeXmlText } from './xmlText';

/** Smallest piece a chunk is cut into: fewer write calls for a tiny pipe. */
const MIN_PIECE = 16 * 1024;

export interface WriterOptions {
  /**
   * Bytes stdout can hold unread (see outputCapacity.ts); 0 when a write reaches the reader. A
   * promise while it is being probed: nothing is written until it settles.
   */
  capacityBytes?: number | Promise<number>;
  /**
   * How long the output stays quiet before waiting positions are pushed through: a second after
   * a poll's last write, so a `kill -9` between polls doubles nothing, at the cost of at most one
   * buffer of newlines per poll.
   */
  idlePushMs?: number;
}

export class XmlEventWriter implements EventSink {
  private readonly stanzaAttr: string;
  private readonly counter = { replaced: 0 };
  private replacedTotal = 0;
  private eventsTotal = 0;
  private tail: Promise<void> = Promise.resolve();
  private broken: Error | undefined;
  private state: 'new' | 'open' | 'closed' = 'new';
  private readonly receipts: ReadReceipts;
  private readonly idlePushMs: number;
  private queued = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private pushedBytes = 0;

  constructor(
    private readonly out: Writable,
    stanza: string,
    private readonly logger: Logger,
    options: WriterOptions = {},
  ) {
    this.stanzaAttr = escapeXmlText(stanza, this.counter);
    this.receipts = new ReadReceipts();
    const capacity = options.capacityBytes ?? 0;
    if (typeof capacity === 'number') this.receipts.setCapacity(capacity);
    // Nothing is written before the capacity is known: a checkpoint could not advance past it,
    // so whatever the reader took meanwhile would be written again after a restart.
    else this.tail = capacity.then((bytes) => this.receipts.setCapacity(bytes));
    this.idlePushMs = options.idlePushMs ?? 1_000;
    // Without a listener an EPIPE 'error' event would crash the process instead of failing write().
    out.on('error', (err: NodeJS.ErrnoException) => this.fail(readerGone(err)));
  }

  /** Bytes of newlines written to push waiting positions through, so far. */
  get pushedThroughBytes(): number {
    return this.pushedBytes;
  }

  /** Writes `<stream>`; call once before the first `write`. */
  open(): Promise<void> {
    if (this.state !== 'new') return this.tail;
    this.state = 'open';
    return this.enqueue('<stream>\n');
  }

  write(events: readonly SplunkEvent[]): Promise<number> {
    if (this.state !== 'open')
      return Promise.reject(new Error(`event stream is ${this.state}: cannot write events`));
    if (events.length === 0) return this.tail.then(() => this.receipts.taken);
    const chunk = this.render(events);
    this.eventsTotal += events.length;
    if (this.counter.replaced > 0) {
      this.replacedTotal += this.counter.replaced;
      this.logger.log('WARN', 'replaced characters that XML 1.0 cannot carry with U+FFFD', {
        replaced: this.counter.replaced,
        replaced_total: this.replacedTotal,
        events: events.length,
      });
      this.counter.replaced = 0;
    }
    return this.enqueue(chunk).then(() => this.receipts.taken);
  }

  readThrough(position: number): Promise<void> {
    const read = this.receipts.readThrough(position);
    this.armIdlePush();
    return read;
  }

  /**
   * Waits for the write in progress, pushes waiting positions through, writes `</stream>` (once)
   * and waits for it to be flushed.
   */
  close(): Promise<void> {
    if (this.state === 'closed') return this.tail;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.idleTimer);
    if (!wasOpen) return this.tail;
    const pushed = this.pushThrough();
    const closed = this.enqueue('</stream>\n');
    return Promise.all([pushed, closed]).then(() => {
      this.logger.log('INFO', 'event stream closed', {
        events_total: this.eventsTotal,
        replaced_total: this.replacedTotal,
        pushed_through_bytes: this.pushedBytes,
      });
    });
  }

  /**
   * (Re)starts the quiet timer: waiting positions are pushed through with newlines once nothing
   * was written for `idlePushMs`. Every write restarts it, so a poll that writes for several
   * seconds gets one push after its last write, not one per second.
   */
  private armIdlePush(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.state !== 'open' || this.broken || this.receipts.bytesToPushThrough === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      // A queued write re-arms the timer when it completes.
      if (this.state !== 'open' || this.broken || this.queued > 0) return;
      this.pushThrough().catch(() => undefined); // a failure rejects the waiters itself
    }, this.idlePushMs);
    this.idleTimer.unref();
  }

  /** Queues newlines enough, once the writes before them are done, to settle every waiter. */
  private pushThrough(): Promise<void> {
    return this.enqueue(() => {
      const bytes = this.receipts.bytesToPushThrough;
      this.pushedBytes += bytes;
      return '\n'.repeat(bytes);
    });
  }

  private fail(err: Error): void {
    this.broken ??= err;
    this.receipts.fail(this.broken);
  }

  private render(events: readonly SplunkEvent[]): string {
    const c = this.counter;
    let s = '';
    for (const e of events) {
      s += `<event stanza="${this.stanzaAttr}" unbroken="1">`;
      if (e.time !== undefined) s += `<time>${escapeXmlText(e.time, c)}</time>`;
      if (e.host !== undefined) s += `<host>${escapeXmlText(e.host, c)}</host>`;
      if (e.source !== undefined) s += `<source>${escapeXmlText(e.source, c)}</source>`;
      if (e.sourcetype !== undefined)
        s += `<sourcetype>${escapeXmlText(e.sourcetype, c)}</sourcetype>`;
      if (e.index !== undefined) s += `<index>${escapeXmlText(e.index, c)}</index>`;
      s += `<data>${escapeXmlText(e.data, c)}</data><done/></event>\n`;
    }
    return s;
  }

  /** Queues a chunk (or a function giving it, called when its turn comes) behind the others. */
  private enqueue(chunk: string | (() => string)): Promise<void> {
    this.queued++;
    const next = this.tail.then(() => this.writeNow(typeof chunk === 'string' ? chunk : chunk()));
    // A failed write fails this call; later calls fail through `broken`, not through the chain.
    this.tail = next.then(
      () => void this.queued--,
      () => void this.queued--,
    );
    return next;
  }

  /**
   * Writes a chunk in pieces of at most the output's capacity: a write's callback comes only once
   * all of it is taken, so a large chunk would hold back the receipt of bytes the reader already
   * has; in pieces, what a hard stop doubles stays within twice the capacity plus one slice.
   */
  private async writeNow(chunk: string): Promise<void> {
    if (this.broken) throw this.broken;
    if (chunk === '') return;
    const capacity = this.receipts.capacityBytes;
    const piece = capacity > 0 && Number.isFinite(capacity) ? Math.max(capacity, MIN_PIECE) : 0;
    const bytes = Buffer.byteLength(chunk, 'utf8');
    if (piece === 0 || bytes <= piece) return this.writePiece(chunk, bytes);
    const buffer = Buffer.from(chunk, 'utf8');
    for (let at = 0; at < buffer.length; at += piece) {
      const part = buffer.subarray(at, at + piece);
      await this.writePiece(part, part.length);
    }
  }

  private writePiece(data: string | Buffer, bytes: number): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.out.write(data, (err?: Error | null) => {
        if (err) {
          this.fail(readerGone(err as NodeJS.ErrnoException));
          reject(this.broken);
        } else {
          this.receipts.took(bytes);
          this.armIdlePush();
          resolve();
        }
      });
    });
  }
}

function readerGone(err: NodeJS.ErrnoException): Error {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
    return new Error(`stdout closed: splunkd stopped reading the event stream (${err.code})`, {
      cause: err,
    });
  }
  return new Error(`cannot write the event stream to stdout: ${err.message}`, { cause: err });
}
