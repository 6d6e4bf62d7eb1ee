/** Errors the collector core tells apart: what ends the run, and what only ends one poll. */

/** The event output failed (splunkd closed the pipe): the run cannot go on. */
export class OutputError extends Error {
  constructor(cause: unknown) {
    super(`cannot write events to splunkd: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'OutputError';
  }
}

export function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err as { name?: string })?.name === 'AbortError';
}

/**
 * A checkpoint that exists but cannot be used (truncated, garbage, another version, another key).
 * Never a silent restart from zero: the stream stops, loudly, until a person decides.
 */
export class CheckpointError extends Error {
  constructor(
    message: string,
    /** Where it lives: a file path or a KV store record key. */
    readonly location: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}
