/**
 * The `EventSink` that writes splunkd's XML event stream to stdout:
 * `<stream>`, then per event `<event stanza=… unbroken="1"><time>…<data>…</data><done/></event>`,
 * and `</stream>` on close.
 *
 * Invariants:
 * - `write()` resolves only once the output accepted every byte of the batch (the write callback),
 *   so the collector may advance its checkpoint afterwards; it rejects once the reader is gone
 *   (EPIPE), and every later write rejects too.
 * - Writes are serialized: `close()` waits for the write in progress, then writes `</stream>`.
 * - One string per batch; text goes through `escapeXmlText`, and replaced characters are counted
 *   and logged.
 */

import type { Writable } from 'node:stream';
import type { EventSink, Logger, SplunkEvent } from '../collector/ports';
import { escapeXmlText } from './xmlText';

export class XmlEventWriter implements EventSink {
  private readonly stanzaAttr: string;
  private readonly counter = { replaced: 0 };
  private replacedTotal = 0;
  private eventsTotal = 0;
  private tail: Promise<void> = Promise.resolve();
  private broken: Error | undefined;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(
    private readonly out: Writable,
    stanza: string,
    private readonly logger: Logger,
  ) {
    this.stanzaAttr = escapeXmlText(stanza, this.counter);
    // Without a listener an EPIPE 'error' event would crash the process instead of failing write().
    out.on('error', (err: NodeJS.ErrnoException) => {
      this.broken ??= readerGone(err);
    });
  }

  /** Writes `<stream>`; call once before the first `write`. */
  open(): Promise<void> {
    if (this.state !== 'new') return this.tail;
    this.state = 'open';
    return this.enqueue('<stream>\n');
  }

  write(events: readonly SplunkEvent[]): Promise<void> {
    if (this.state !== 'open')
      return Promise.reject(new Error(`event stream is ${this.state}: cannot write events`));
    if (events.length === 0) return this.tail;
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
    return this.enqueue(chunk);
  }

  /** Waits for the write in progress, writes `</stream>` (once) and waits for it to be flushed. */
  close(): Promise<void> {
    if (this.state === 'closed') return this.tail;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen) return this.tail;
    this.logger.log('INFO', 'event stream closed', {
      events_total: this.eventsTotal,
      replaced_total: this.replacedTotal,
    });
    return this.enqueue('</stream>\n');
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

  private enqueue(chunk: string): Promise<void> {
    const next = this.tail.then(() => this.writeNow(chunk));
    // A failed write fails this call; later calls fail through `broken`, not through the chain.
    this.tail = next.catch(() => undefined);
    return next;
  }

  private writeNow(chunk: string): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.out.write(chunk, 'utf8', (err?: Error | null) => {
        if (err) {
          this.broken ??= readerGone(err as NodeJS.ErrnoException);
          reject(this.broken);
        } else {
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
