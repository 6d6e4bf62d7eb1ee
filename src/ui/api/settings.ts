/**
 * What the setup page reads and writes besides accounts and inputs: this Splunk instance's roles
 * (`server/info`), the `cloudhsm_index` macro (`configs/conf-macros`), the app settings
 * (`configs/conf-cloudhsm_audit_settings`, the log level) and each input's state, from a search of
 * the collector's own `health` and `error` events (`search/jobs`, oneshot).
 */
import { call, restUrl, type Feed } from './splunkd';
import { INPUT_STATE_SEARCH, stateFromResults, type InputState } from '../model/inputState';
import type { LogLevel } from '../model/settings';

const MACRO = 'configs/conf-macros/cloudhsm_index';
const LOGGING = 'configs/conf-cloudhsm_audit_settings/logging';

function firstContent<C>(feed: Feed<C> | null): C | undefined {
  return feed?.entry?.[0]?.content;
}

/** `server_roles` of this instance, e.g. `["search_head", "kv_store"]`. */
export async function serverRoles(): Promise<string[]> {
  const feed = await call<Feed<{ server_roles?: unknown }>>(
    'GET',
    restUrl('server/info', 'global'),
    "Reading this Splunk instance's roles",
  );
  const roles = firstContent(feed)?.server_roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

export async function readIndexMacro(): Promise<string> {
  const feed = await call<Feed<{ definition?: unknown }>>(
    'GET',
    restUrl(MACRO),
    'Reading the cloudhsm_index macro',
  );
  const definition = firstContent(feed)?.definition;
  return typeof definition === 'string' ? definition : '';
}

export async function saveIndexMacro(definition: string): Promise<void> {
  await call('POST', restUrl(MACRO), 'Saving the cloudhsm_index macro', { definition });
}

export async function readLogLevel(): Promise<string> {
  const feed = await call<Feed<{ log_level?: unknown }>>(
    'GET',
    restUrl(LOGGING),
    'Reading the log level',
  );
  const level = firstContent(feed)?.log_level;
  return typeof level === 'string' ? level : '';
}

export async function saveLogLevel(level: LogLevel): Promise<void> {
  await call('POST', restUrl(LOGGING), 'Saving the log level', { log_level: level });
}

/**
 * The state of each input (by name) from the collector events this Splunk instance can search,
 * over the last 7 days. An input without events there has no entry.
 */
export async function inputStates(): Promise<Map<string, InputState>> {
  const answer = await call<{ results?: Record<string, unknown>[] }>(
    'POST',
    restUrl('search/jobs'),
    "Searching the inputs' health reports",
    {
      search: INPUT_STATE_SEARCH,
      exec_mode: 'oneshot',
      // In the body too: splunkd reads a oneshot search's output mode from its arguments.
      output_mode: 'json',
      earliest_time: '-7d',
      latest_time: 'now',
      count: '0',
    },
  );
  return stateFromResults(answer?.results ?? []);
}
