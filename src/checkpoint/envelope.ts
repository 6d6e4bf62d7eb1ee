/**
 * The record every checkpoint store writes around a state: what it is, which key it belongs to and
 * when it was saved. Reading one back checks all three, so a truncated, foreign or copied record is
 * a loud `CheckpointError`, never a silent restart from zero. The state inside carries its own
 * version (see src/collector/streamState.ts); this envelope's version changes only with its shape.
 */
import { CheckpointError } from '../collector/errors';

export const ENVELOPE_FORMAT = 'cloudhsm_audit.checkpoint';
export const ENVELOPE_VERSION = 1;

export interface Envelope<T> {
  format: typeof ENVELOPE_FORMAT;
  version: number;
  key: string;
  savedAtMs: number;
  state: T;
}

export function wrap<T>(key: string, state: T, nowMs: number): Envelope<T> {
  return { format: ENVELOPE_FORMAT, version: ENVELOPE_VERSION, key, savedAtMs: nowMs, state };
}

/** The state inside a stored envelope (text or parsed JSON); throws CheckpointError when unusable. */
export function unwrap<T>(stored: string | unknown, key: string, location: string): T {
  let envelope: Partial<Envelope<T>>;
  if (typeof stored === 'string') {
    try {
      envelope = JSON.parse(stored) as Envelope<T>;
    } catch {
      throw new CheckpointError(
        'checkpoint is not valid JSON (truncated or overwritten); move it away to re-read this stream from the start position',
        location,
      );
    }
  } else {
    envelope = stored as Partial<Envelope<T>>;
  }
  if (envelope?.format !== ENVELOPE_FORMAT || typeof envelope.state !== 'object') {
    throw new CheckpointError('not a cloudhsm_audit checkpoint', location);
  }
  if (envelope.version !== ENVELOPE_VERSION) {
    throw new CheckpointError(
      `checkpoint version ${String(envelope.version)} is not the supported version ${ENVELOPE_VERSION}`,
      location,
    );
  }
  if (envelope.key !== key) {
    throw new CheckpointError(
      'checkpoint belongs to another stream (hash collision or copied record)',
      location,
    );
  }
  return envelope.state as T;
}
