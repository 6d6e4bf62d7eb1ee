/**
 * Turns a stanza's raw params (as splunkd passes them) into a typed `InputConfig`, or into a list
 * of errors that each name the argument. Used by both `--validate-arguments` (refuse a bad input
 * when it is created) and run mode (refuse to start on a hand-edited inputs.conf).
 *
 * Params the input does not declare (host, index, interval, sourcetype, disabled, …) are ignored,
 * except `index`, which goes to `InputConfig.index`. `name` carries the stanza name, with or
 * without the `cloudhsm_audit://` prefix.
 */

import {
  CHECKPOINT_STORES,
  DEFAULT_CHECKPOINT_STORE,
  DEFAULT_LOG_GROUP_PREFIX,
  type CheckpointStoreChoice,
  DEFAULT_START_POSITION,
  NUMBER_BOUNDS,
  unitOf,
  type NumberArgumentName,
} from './arguments';
import type { InputConfig, StartPosition } from './inputConfig';
import {
  type Parsed,
  parseAccount,
  parseClusterOrGroup,
  parseHttpUrl,
  parseLogGroupPrefix,
  parseRegion,
  parseSeconds,
  parseStartPosition,
  splitList,
} from './values';

export interface ArgumentError {
  argument: string;
  message: string;
}

export type ParseResult =
  { ok: true; config: InputConfig } | { ok: false; errors: ArgumentError[] };

export type RawParams = Record<string, string | string[]>;

const SCHEME_PREFIX = 'cloudhsm_audit://';

export const PROXY_CREDENTIALS_MESSAGE =
  'proxy credentials are not supported in a conf file (inputs.conf stores them in clear text): ' +
  'remove the user name and password from the URL';
const ENDPOINT_CREDENTIALS_MESSAGE = 'a user name or password in the endpoint URL is not supported';

export function parseInputConfig(params: RawParams, nowMs: number): ParseResult {
  const errors: ArgumentError[] = [];
  const report = (argument: string, message: string): void => {
    errors.push({ argument, message: `${argument}: ${message}` });
  };

  /** A single value, trimmed; a param_list counts as one value only when it holds one item. */
  const scalar = (name: string): string => {
    const v = params[name];
    if (v === undefined) return '';
    if (Array.isArray(v)) {
      if (v.length > 1) report(name, 'expects a single value, got a list');
      return (v[0] ?? '').trim();
    }
    return v.trim();
  };
  /** A list argument: a string split on commas/whitespace, or a param_list of such strings. */
  const list = (name: string): string[] => {
    const v = params[name];
    if (v === undefined) return [];
    return splitList(Array.isArray(v) ? v.join(',') : v);
  };
  /** Runs `parse` on a value, records its failure under `name`, and returns its value. */
  const take = <T>(name: string, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    report(name, parsed.message);
    return undefined;
  };
  const seconds = (name: NumberArgumentName): number => {
    const b = NUMBER_BOUNDS[name];
    const text = scalar(name);
    return text === ''
      ? b.default
      : (take(name, parseSeconds(text, b.min, b.max, unitOf(name))) ?? b.default);
  };

  const stanza = scalar('name');
  const name = stanza.startsWith(SCHEME_PREFIX) ? stanza.slice(SCHEME_PREFIX.length) : stanza;

  const accountText = scalar('account');
  const account = accountText === '' ? '' : (take('account', parseAccount(accountText)) ?? '');

  const regionTexts = list('regions');
  if (regionTexts.length === 0)
    report('regions', 'at least one AWS region code is required (like us-east-1)');
  const regions = regionTexts.flatMap((r) => take('regions', parseRegion(r)) ?? []);

  const prefixText = scalar('log_group_prefix');
  const logGroupPrefix =
    prefixText === ''
      ? DEFAULT_LOG_GROUP_PREFIX
      : (take('log_group_prefix', parseLogGroupPrefix(prefixText)) ?? '');

  const clusters = list('clusters').flatMap((c) => take('clusters', parseClusterOrGroup(c)) ?? []);

  const startText = scalar('start_position') || DEFAULT_START_POSITION;
  const startPosition: StartPosition = take(
    'start_position',
    parseStartPosition(startText, nowMs),
  ) ?? {
    kind: 'now',
  };

  const pollIntervalSeconds = seconds('poll_interval');
  const lateEventWindowSeconds = seconds('late_event_window');
  const fullReadIntervalSeconds = seconds('full_read_interval');
  const healthIntervalSeconds = seconds('health_interval');
  const discoveryIntervalSeconds = seconds('discovery_interval');
  const maxRequestsPerSecond = seconds('max_requests_per_second');

  const endpointText = scalar('endpoint_url');
  const endpointUrl =
    endpointText === ''
      ? undefined
      : take('endpoint_url', parseHttpUrl(endpointText, ENDPOINT_CREDENTIALS_MESSAGE));
  const proxyText = scalar('https_proxy');
  const httpsProxy =
    proxyText === ''
      ? undefined
      : take('https_proxy', parseHttpUrl(proxyText, PROXY_CREDENTIALS_MESSAGE, 'proxy'));

  const index = scalar('index');

  const storeText = scalar('checkpoint_store').toLowerCase() || DEFAULT_CHECKPOINT_STORE;
  const checkpointStore = (CHECKPOINT_STORES as readonly string[]).includes(storeText)
    ? (storeText as CheckpointStoreChoice)
    : DEFAULT_CHECKPOINT_STORE;
  if (checkpointStore !== storeText)
    report('checkpoint_store', `"${storeText}" is not one of ${CHECKPOINT_STORES.join(', ')}`);

  // splunkd reads run_only_one itself; a value it would not take as a boolean is refused here.
  const runOnlyOne = scalar('run_only_one');
  if (runOnlyOne !== '' && !/^(true|false|t|f|yes|no|y|n|1|0)$/i.test(runOnlyOne))
    report('run_only_one', `"${runOnlyOne}" is not true or false`);

  if (errors.length > 0) return { ok: false, errors };
  const config: InputConfig = {
    name,
    account,
    regions,
    logGroupPrefix,
    clusters,
    startPosition,
    pollIntervalSeconds,
    lateEventWindowSeconds,
    fullReadIntervalSeconds,
    healthIntervalSeconds,
    discoveryIntervalSeconds,
    maxRequestsPerSecond,
    checkpointStore,
  };
  if (endpointUrl !== undefined) config.endpointUrl = endpointUrl;
  if (httpsProxy !== undefined) config.httpsProxy = httpsProxy;
  if (index !== '') config.index = index;
  return { ok: true, config };
}
