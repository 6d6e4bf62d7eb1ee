/**
 * One KV store collection of this app, through splunkd's REST API as its reference documents it
 * (`/servicesNS/nobody/cloudhsm_audit/storage/collections/data/<collection>`):
 *
 * - GET `…?query=<JSON>&limit=&skip=&sort=`: the matching records, a JSON array;
 * - POST `…` with one record: inserts it (201, `{"_key": …}`); a `_key` that exists is refused
 *   with 409 ("A document with the same key and user already exists.") — the one atomic
 *   "create if absent" the KV store offers;
 * - POST `…/<_key>`: replaces that record;
 * - POST `…/batch_save` with an array: inserts or replaces each record by its `_key`, at most
 *   `max_documents_per_batch_save` (limits.conf `[kvstore]`, 1000 by default) per request;
 * - DELETE `…/<_key>`.
 *
 * splunkd answers errors as `{"messages":[{"type":"ERROR","text":…}]}`; 503 while the KV store
 * starts ("KV Store is initializing. Please try again later.") or is down. Every failure becomes
 * a SplunkdError whose message says what failed, never with a record's content.
 */

import type { Logger, SplunkdSession } from '../collector/ports';
import { SplunkdError } from './errors';
import { APP } from './readAccount';
import { SplunkdRest, splunkdMessages, type SplunkdRestOptions } from './rest';

export interface KvRecord {
  _key: string;
  [field: string]: unknown;
}

/** limits.conf `[kvstore] max_documents_per_batch_save` default. */
export const MAX_BATCH_SAVE = 1000;
/** Records per query page: pages stay far below the REST client's 4 MB answer limit. */
const PAGE = 200;

export class KvCollection {
  private readonly rest: SplunkdRest;
  private readonly base: string;

  constructor(
    session: SplunkdSession,
    logger: Logger,
    readonly name: string,
    options?: SplunkdRestOptions,
  ) {
    this.rest = new SplunkdRest(session, logger, options);
    this.base = `/servicesNS/nobody/${APP}/storage/collections/data/${encodeURIComponent(name)}`;
  }

  close(): void {
    this.rest.close();
  }

  /** Every record matching `query` (field equality), read page by page in `_key` order. */
  async query(query: Record<string, unknown>, signal?: AbortSignal): Promise<KvRecord[]> {
    const all: KvRecord[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const params = new URLSearchParams({
        output_mode: 'json',
        query: JSON.stringify(query),
        sort: '_key',
        limit: String(PAGE),
        skip: String(skip),
      });
      const { status, json } = await this.rest.getJson(`${this.base}?${params}`, signal);
      if (status !== 200) throw this.failure('query', status, json);
      if (!Array.isArray(json) || json.some((r) => typeof (r as KvRecord)?._key !== 'string'))
        throw this.badAnswer('query');
      all.push(...(json as KvRecord[]));
      if (json.length < PAGE) return all;
    }
  }

  /** Inserts a record with its own `_key`: `exists` when a record with that `_key` is there. */
  async insert(record: KvRecord, signal?: AbortSignal): Promise<'inserted' | 'exists'> {
    const { status, json } = await this.rest.request('POST', `${this.base}?output_mode=json`, {
      body: record,
      signal,
    });
    if (status === 409) return 'exists';
    if (status !== 201 && status !== 200) throw this.failure('insert', status, json);
    return 'inserted';
  }

  /** Replaces the record with this `_key`. */
  async replace(record: KvRecord, signal?: AbortSignal): Promise<void> {
    const { status, json } = await this.rest.request(
      'POST',
      `${this.base}/${encodeURIComponent(record._key)}?output_mode=json`,
      { body: record, signal },
    );
    if (status !== 200 && status !== 201) throw this.failure('update', status, json);
  }

  /** Inserts or replaces each record by its `_key`, in requests of at most MAX_BATCH_SAVE. */
  async batchSave(records: readonly KvRecord[], signal?: AbortSignal): Promise<number> {
    let requests = 0;
    for (let i = 0; i < records.length; i += MAX_BATCH_SAVE) {
      const { status, json } = await this.rest.request(
        'POST',
        `${this.base}/batch_save?output_mode=json`,
        { body: records.slice(i, i + MAX_BATCH_SAVE), signal },
      );
      requests++;
      if (status !== 200 && status !== 201) throw this.failure('batch_save', status, json);
    }
    return requests;
  }

  /** Deletes the record with this `_key`; one that is not there is not an error. */
  async delete(key: string, signal?: AbortSignal): Promise<void> {
    const { status, json } = await this.rest.request(
      'DELETE',
      `${this.base}/${encodeURIComponent(key)}?output_mode=json`,
      { signal },
    );
    if (status !== 200 && status !== 204 && status !== 404)
      throw this.failure('delete', status, json);
  }

  private failure(what: string, status: number, json: unknown): SplunkdError {
    const why = splunkdMessages(json);
    const where = `KV store collection ${this.name}`;
    if (status === 401)
      return new SplunkdError(
        'SESSION_REJECTED',
        `splunkd rejected the session key (HTTP 401) for ${what} in ${where}: restart the input so splunkd hands it a new one`,
        { status },
      );
    if (status === 403)
      return new SplunkdError(
        'FORBIDDEN',
        `splunkd refused ${what} in ${where} (HTTP 403): the input's owner needs write access to the ${APP} app's collections (metadata/default.meta)`,
        { status },
      );
    if (status === 404)
      return new SplunkdError(
        'SPLUNKD_ERROR',
        `${where} not found (HTTP 404${why ? `: ${why}` : ''}): it is declared in the app's default/collections.conf; check the app is installed whole and the KV store is enabled`,
        { status },
      );
    return new SplunkdError(
      'SPLUNKD_ERROR',
      `${what} in ${where} failed: HTTP ${status}${why ? `: ${why}` : ''}`,
      { status },
    );
  }

  private badAnswer(what: string): SplunkdError {
    return new SplunkdError(
      'BAD_RESPONSE',
      `splunkd's answer to ${what} in KV store collection ${this.name} is not a list of records: check server_uri`,
    );
  }
}
