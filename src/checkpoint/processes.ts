/**
 * Which process is which, for the runner lock: a pid alone is not enough, since pids are reused
 * after a process ends and start again from 1 after a reboot. On Linux a process is named by the
 * boot it runs in and its start time (`/proc`); elsewhere only by its pid.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Linux only: `/proc/sys/kernel/random/boot_id`. */
  bootId?: string;
  /** Linux only: the process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22). */
  startTicks?: string;
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function startTicksOf(pid: number): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces: count after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

export function currentProcess(): ProcessIdentity {
  return {
    pid: process.pid,
    host: os.hostname(),
    bootId: readOr('/proc/sys/kernel/random/boot_id'),
    startTicks: startTicksOf(process.pid),
  };
}

/** Whether a process with this pid runs here (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process `owner` names still runs on this host: false when the host rebooted since,
 * when the pid is gone, or when the pid now belongs to a process started later.
 */
export function stillRunsHere(owner: ProcessIdentity): boolean {
  const here = currentProcess();
  if (owner.bootId && here.bootId && owner.bootId !== here.bootId) return false;
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.startTicks && here.startTicks) return startTicksOf(owner.pid) === owner.startTicks;
  return true;
}
