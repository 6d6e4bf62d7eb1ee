/**
 * Reads the collector's XML event stream as it arrives on a socket, chunk by chunk, and reports
 * each whole audit record as (stream, sequence number): the identity the steady-state bench
 * matches against what it put. Whatever the two builds' escaping, the host and the
 * `Sequence No` hex digits come through unchanged. Bytes are counted too, the newlines the
 * collector writes to push its buffer through included.
 */
import { StringDecoder } from 'node:string_decoder';

const EVENT_END = '</event>';
const HOST = /<host>([^<]*)<\/host>/;
const SEQUENCE = /Sequence No[^:]*: 0x([0-9a-f]+)/;

export class EventStreamReader {
  bytes = 0;
  /** Bytes inside `<event>…</event>`: the rest is framing and the newlines that push through. */
  eventBytes = 0;
  events = 0;
  collectorEvents = 0;
  private carry = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onRecord: (stream: string, seq: number) => void) {}

  take(chunk: Buffer): void {
    this.bytes += chunk.length;
    const text = this.carry + this.decoder.write(chunk);
    let from = 0;
    for (;;) {
      const end = text.indexOf(EVENT_END, from);
      if (end < 0) break;
      this.event(text.slice(from, end));
      from = end + EVENT_END.length;
    }
    this.carry = text.slice(from);
  }

  private event(xml: string): void {
    this.events++;
    // What precedes `<event` is whitespace: ASCII, one byte per character.
    this.eventBytes += Buffer.byteLength(xml, 'utf8') - xml.indexOf('<event') + EVENT_END.length;
    if (xml.includes('<sourcetype>cloudhsm:audit:collector<')) {
      this.collectorEvents++;
      return;
    }
    const host = HOST.exec(xml)?.[1];
    const seq = SEQUENCE.exec(xml)?.[1];
    if (host === undefined || seq === undefined)
      throw new Error(`an audit event without host or Sequence No: ${xml.slice(0, 300)}`);
    this.onRecord(host, parseInt(seq, 16));
  }
}
