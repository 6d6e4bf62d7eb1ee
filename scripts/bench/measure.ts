/**
 * Measuring a collector process from outside, as splunkd sees it: CPU time and peak RSS from
 * /proc/<pid>, records counted in its stdout file as it grows (read incrementally, never re-read),
 * and the machine the figures come from.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux). */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface ProcSample {
  cpuSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  /** Peak resident set (VmHWM), bytes. */
  peakRssBytes: number;
  /** Resident set now (VmRSS), bytes. */
  rssBytes: number;
}

export function sampleProc(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]) / CLK_TCK;
  const sys = Number(fields[12]) / CLK_TCK;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (name: string) =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return {
    cpuSeconds: user + sys,
    userSeconds: user,
    sysSeconds: sys,
    peakRssBytes: kB('VmHWM'),
    rssBytes: kB('VmRSS'),
  };
}

/** Counts occurrences of `pattern` in a file that keeps growing, reading only the new bytes. */
export class GrowingFileCounter {
  private offset = 0;
  private carry = Buffer.alloc(0);
  private readonly fd: number;
  count = 0;

  constructor(
    file: string,
    private readonly pattern: Buffer,
  ) {
    this.fd = fs.openSync(file, 'r');
  }

  /** Reads what was appended since the last call; returns the new total. */
  poll(): number {
    const size = fs.fstatSync(this.fd).size;
    while (this.offset < size) {
      const len = Math.min(size - this.offset, 8 << 20);
      const buf = Buffer.allocUnsafe(len);
      const n = fs.readSync(this.fd, buf, 0, len, this.offset);
      this.offset += n;
      const chunk = this.carry.length
        ? Buffer.concat([this.carry, buf.subarray(0, n)])
        : buf.subarray(0, n);
      let at = chunk.indexOf(this.pattern);
      let lastEnd = 0;
      while (at >= 0) {
        this.count++;
        lastEnd = at + this.pattern.length;
        at = chunk.indexOf(this.pattern, lastEnd);
      }
      // Keep a tail that may hold the start of a pattern cut by the read.
      const keep = Math.max(lastEnd, chunk.length - this.pattern.length + 1);
      this.carry = Buffer.from(chunk.subarray(keep));
    }
    return this.count;
  }

  /** Last modification of the file (ms): when the collector's last write landed. */
  mtimeMs(): number {
    return fs.fstatSync(this.fd).mtimeMs;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export function machine(): Record<string, string | number> {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /cpu MHz\s*:\s*(.*)/.exec(cpuinfo)?.[1];
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: model.trim(),
    ...(mhz ? { cpuMHz: Number(mhz) } : {}),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: os.release(),
    loadavg1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
