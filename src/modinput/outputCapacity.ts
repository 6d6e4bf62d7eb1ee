/**
 * How many bytes stdout can hold that the reader has not read yet: what the collector must wait
 * past before a checkpoint may cover a write (src/modinput/readReceipts.ts).
 *
 * - A regular file, a terminal or /dev/null: 0 — a write that returned is where the reader finds it.
 * - A pipe (FIFO): its capacity, read with `fcntl(F_GETPIPE_SZ)`.
 * - A Unix socket (what Node's and libuv's `spawn` give): its send buffer (`SO_SNDBUF`) plus half
 *   of it, because Linux queues one last skb of up to half the buffer beyond it (measured: 236,544
 *   bytes taken unread by a socket reporting 212,992).
 *
 * Node has no call for either, so a Python interpreter reads them on our stdout, passed to it as
 * its descriptor 3: Splunk's own (`$SPLUNK_HOME/bin/python3`, which every Splunk host has), else
 * `python3` on PATH. It runs beside the input's start-up, not before it (a cold Python takes
 * 50–200 ms); checkpoints wait for its answer. When none runs, the largest size the host allows is assumed
 * (`/proc/sys/fs/pipe-max-size`, or twice `/proc/sys/net/core/wmem_max` for sockets) and a WARN
 * says so: checkpoints then lag further behind, which doubles more after a `kill -9`, never loses.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../collector/ports';

export interface OutputCapacity {
  kind: 'file' | 'terminal' | 'fifo' | 'socket' | 'other';
  bytes: number;
  /** How the figure was found, for the log line. */
  source: string;
}

// F_GETPIPE_SZ is 1032 on Linux; Splunk's older Pythons lack the constant.
const PROBE = `
import os, stat
st = os.fstat(3)
if stat.S_ISFIFO(st.st_mode):
    import fcntl
    print("fifo", fcntl.fcntl(3, 1032))
elif stat.S_ISSOCK(st.st_mode):
    import socket
    s = socket.socket(fileno=os.dup(3))
    print("socket", int(s.family), s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))
else:
    print("other", 0)
`;

/** A socket family the bound above holds for: AF_UNIX. */
const AF_UNIX = 1;
/** Largest pipe Linux gives an unprivileged process, when /proc cannot be read. */
const DEFAULT_PIPE_MAX = 1_048_576;
/** A send buffer bound when /proc cannot be read: 2 × the usual wmem_max of 4 MB. */
const DEFAULT_SOCKET_MAX = 8 * 1_048_576;

function readNumber(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

interface Interpreter {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function interpreters(env: NodeJS.ProcessEnv): Interpreter[] {
  const out: Interpreter[] = [];
  const home = env.SPLUNK_HOME;
  if (home) {
    // Splunk's Python finds its libraries through LD_LIBRARY_PATH, which the launcher unset
    // for Node's sake: give it back to this child only.
    const libs = env.CLOUDHSM_AUDIT_SPLUNK_LD_LIBRARY_PATH || path.join(home, 'lib');
    out.push({
      file: path.join(home, 'bin', 'python3'),
      args: [],
      env: { ...env, LD_LIBRARY_PATH: libs },
    });
  }
  out.push({ file: 'python3', args: [], env });
  return out;
}

/** Runs one interpreter on the probe; its printed answer, or undefined when it did not run. */
function runProbe(py: Interpreter, fd: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(py.file, [...py.args, '-c', PROBE], {
      stdio: ['ignore', 'pipe', 'ignore', fd],
      env: py.env,
      timeout: 5_000,
    });
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? out : undefined));
  });
}

async function probeWithPython(
  fd: number,
  env: NodeJS.ProcessEnv,
): Promise<{ kind: string; family?: number; value: number; interpreter: string } | undefined> {
  for (const py of interpreters(env)) {
    const answer = await runProbe(py, fd);
    if (answer === undefined) continue;
    const [kind, a, b] = answer.trim().split(/\s+/);
    if (kind === 'fifo' && Number(a) > 0) return { kind, value: Number(a), interpreter: py.file };
    if (kind === 'socket' && Number(b) > 0)
      return { kind, family: Number(a), value: Number(b), interpreter: py.file };
    if (kind === 'other') return { kind, value: 0, interpreter: py.file };
  }
  return undefined;
}

export async function probeOutputCapacity(
  logger: Logger,
  fd = 1,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OutputCapacity> {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return report(logger, { kind: 'other', bytes: DEFAULT_PIPE_MAX, source: 'fstat failed' }, true);
  }
  if (stat.isFile()) return report(logger, { kind: 'file', bytes: 0, source: 'regular file' });
  if (stat.isCharacterDevice())
    return report(logger, { kind: 'terminal', bytes: 0, source: 'character device' });
  const kind = stat.isFIFO() ? 'fifo' : stat.isSocket() ? 'socket' : 'other';
  const probed = await probeWithPython(fd, env);
  if (probed?.kind === 'fifo')
    return report(logger, {
      kind: 'fifo',
      bytes: probed.value,
      source: `F_GETPIPE_SZ via ${probed.interpreter}`,
    });
  if (probed?.kind === 'socket' && probed.family === AF_UNIX)
    return report(logger, {
      kind: 'socket',
      bytes: probed.value + Math.floor(probed.value / 2),
      source: `1.5 × SO_SNDBUF ${probed.value} via ${probed.interpreter}`,
    });
  const bound =
    kind === 'socket'
      ? 2 * (readNumber('/proc/sys/net/core/wmem_max') ?? DEFAULT_SOCKET_MAX / 2) * 1.5
      : (readNumber('/proc/sys/fs/pipe-max-size') ?? DEFAULT_PIPE_MAX);
  return report(
    logger,
    { kind, bytes: Math.ceil(bound), source: 'the largest the host allows (could not read it)' },
    true,
  );
}

function report(logger: Logger, c: OutputCapacity, assumed = false): OutputCapacity {
  logger.log(
    assumed ? 'WARN' : 'INFO',
    assumed
      ? 'stdout capacity unknown: assuming the largest the host allows, so checkpoints lag further and a kill -9 can double more (install python3, or keep $SPLUNK_HOME/bin/python3)'
      : 'stdout capacity: checkpoints advance once this many later bytes are out',
    { stdout: c.kind, capacity_bytes: c.bytes, source: c.source },
  );
  return c;
}
