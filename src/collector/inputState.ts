/**
 * State of the input as a whole, saved once at its first run: when it first ran and where streams
 * without a checkpoint start reading. Resolving a relative start position (`-7d`) once and saving
 * it keeps a restart from moving it; a stream that appears later is read from its beginning,
 * because its records are all newer than that saved point.
 */
import type { InputConfig } from '../config/inputConfig';
import type { CheckpointStore, Logger } from './ports';

export interface InputState {
  firstRunMs: number;
  /** The start position as configured when `startMs` was resolved. */
  startPosition: string;
  startMs: number;
}

export const INPUT_STATE_VERSION = 1;

export function inputStateKey(inputName: string): string {
  return `input|${inputName}`;
}

function startPositionText(config: InputConfig): string {
  return config.startPosition.kind === 'now' ? 'now' : config.startPosition.text;
}

function resolveStart(config: InputConfig, nowMs: number): number {
  return config.startPosition.kind === 'now' ? nowMs : config.startPosition.epochMs;
}

export async function loadInputState(
  store: CheckpointStore,
  config: InputConfig,
  nowMs: number,
  logger: Logger,
): Promise<InputState> {
  const key = inputStateKey(config.name);
  const saved = await store.load<InputState>(key);
  const configured = startPositionText(config);
  if (saved && saved.startPosition === configured) return saved;
  const state: InputState = {
    firstRunMs: saved?.firstRunMs ?? nowMs,
    startPosition: configured,
    startMs: resolveStart(config, nowMs),
  };
  if (saved) {
    logger.log('INFO', 'start position changed: applies to streams without a checkpoint only', {
      input: config.name,
      previous: saved.startPosition,
      start_position: configured,
    });
  }
  await (await store.prepare(key, state, nowMs)).commit();
  logger.log('INFO', 'start position resolved', {
    input: config.name,
    start_position: configured,
    start_time: new Date(state.startMs).toISOString(),
  });
  return state;
}
