/**
 * Moving an input from files to the KV store: on its first run with the KV store on a host, the
 * input imports the file checkpoints it finds for itself in that host's checkpoint folder, so
 * switching loses nothing and repeats nothing.
 *
 * - A file checkpoint is the input's when its envelope's key is `input|<name>` or starts with
 *   `stream|<name>|` (file names are hashes; the key inside says whose it is).
 * - It is imported only where the KV store holds no checkpoint for that key: a KV checkpoint is
 *   always the newer one (it was written by a run on the KV store, after the switch).
 * - A marker record (`migrated|<input>|<server_host>`) says the host's files were imported, so a
 *   later run does not bring an old file back, say after an admin deleted a broken KV checkpoint.
 * - A file that cannot be read is logged at ERROR and skipped: which input it belongs to is inside.
 * Files stay where they are.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../collector/ports';
import { ENVELOPE_FORMAT, type Envelope } from './envelope';
import { checkpointRecord, recordKeyFor, type CheckpointRecord } from './kvStore';

export const MIGRATION_FORMAT = 'cloudhsm_audit.migration';

/** What the migration needs of the KV checkpoint store. */
export interface MigrationTarget {
  hasRecord(recordKey: string): boolean;
  saveRecords(records: readonly { _key: string; [field: string]: unknown }[]): Promise<void>;
}

/** FileCheckpointStore's names: a 32-character hash and `.json`. */
const CHECKPOINT_FILE = /^[0-9a-f]{32}\.json$/;

export function belongsTo(input: string, key: string): boolean {
  return key === `input|${input}` || key.startsWith(`stream|${input}|`);
}

export async function importFileCheckpoints(options: {
  dir: string;
  input: string;
  serverHost: string;
  target: MigrationTarget;
  logger: Logger;
  nowMs: number;
}): Promise<{ imported: number; alreadyInKvStore: number } | undefined> {
  const { dir, input, serverHost, target, logger, nowMs } = options;
  const markerKey = recordKeyFor(`migrated|${input}|${serverHost}`);
  if (target.hasRecord(markerKey)) return undefined;

  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => CHECKPOINT_FILE.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const records: CheckpointRecord[] = [];
  let alreadyInKvStore = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    let envelope: Partial<Envelope<unknown>>;
    try {
      envelope = JSON.parse(fs.readFileSync(file, 'utf8')) as Envelope<unknown>;
    } catch (err) {
      logger.log('ERROR', 'file checkpoint unreadable: not imported into the KV store', {
        input,
        file,
        error: (err as Error).message,
      });
      continue;
    }
    if (envelope?.format !== ENVELOPE_FORMAT || typeof envelope.key !== 'string') continue;
    if (!belongsTo(input, envelope.key)) continue;
    if (target.hasRecord(recordKeyFor(envelope.key))) {
      alreadyInKvStore++;
      continue;
    }
    const record = checkpointRecord(
      input,
      envelope.key,
      envelope.state,
      Number(envelope.savedAtMs),
    );
    // The file's own envelope version: a checkpoint of another version stays a loud error.
    records.push({ ...record, version: Number(envelope.version) });
  }
  await target.saveRecords([
    ...records,
    {
      _key: markerKey,
      input,
      format: MIGRATION_FORMAT,
      serverHost,
      importedAtMs: nowMs,
      imported: records.length,
    },
  ]);
  logger.log('INFO', 'file checkpoints of this host imported into the KV store', {
    input,
    server_host: serverHost,
    imported: records.length,
    already_in_kvstore: alreadyInKvStore,
    checkpoint_dir: dir,
  });
  return { imported: records.length, alreadyInKvStore };
}
