/**
 * `cloudhsm_audit://<name>` inputs as `data/inputs/cloudhsm_audit` shows them: the form's model,
 * its defaults (the collector's, see README/inputs.conf.spec), and the args posted to splunkd.
 * splunkd runs the collector's `--validate-arguments` on create and edit; this module only
 * catches what a person can fix before that round trip.
 */
import { NAME_PATTERN, proxyUrlError, urlError, type FieldErrors } from './account';
import { REGION_PATTERN } from './regions';

export type StartChoice = 'now' | '-7d' | 'date';

export interface InputDraft {
  name: string;
  account: string;
  regions: string[];
  /** true: every log group under the prefix, rediscovered while running. */
  discoverAll: boolean;
  clusters: string[];
  startChoice: StartChoice;
  /** ISO date or date-time, when `startChoice` is `date`. */
  startDate: string;
  pollInterval: string;
  index: string;
  logGroupPrefix: string;
  lateEventWindow: string;
  healthInterval: string;
  discoveryInterval: string;
  maxRequestsPerSecond: string;
  endpointUrl: string;
  httpsProxy: string;
}

export interface InputSummary {
  name: string;
  account: string;
  regions: string[];
  clusters: string[];
  index: string;
  disabled: boolean;
  draft: InputDraft;
}

export const INPUT_DEFAULTS = {
  logGroupPrefix: '/aws/cloudhsm/',
  /** Seconds between polls of one log group. */
  pollInterval: '10',
  /** Seconds re-read behind the newest record, for records CloudWatch ingests late. */
  lateEventWindow: '1800',
  healthInterval: '300',
  discoveryInterval: '300',
  /** CloudWatch Logs requests per second per account and region: the GetLogEvents quota. */
  maxRequestsPerSecond: '10',
} as const;

/** A new input; `account` empty means the host's default AWS credentials. */
export function emptyInput(account = ''): InputDraft {
  return {
    name: '',
    account,
    regions: [],
    discoverAll: true,
    clusters: [],
    startChoice: '-7d',
    startDate: '',
    pollInterval: INPUT_DEFAULTS.pollInterval,
    index: '',
    logGroupPrefix: INPUT_DEFAULTS.logGroupPrefix,
    lateEventWindow: INPUT_DEFAULTS.lateEventWindow,
    healthInterval: INPUT_DEFAULTS.healthInterval,
    discoveryInterval: INPUT_DEFAULTS.discoveryInterval,
    maxRequestsPerSecond: INPUT_DEFAULTS.maxRequestsPerSecond,
    endpointUrl: '',
    httpsProxy: '',
  };
}

export function splitList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function text(content: Record<string, unknown>, key: string, fallback = ''): string {
  const value = content[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function isTrue(value: unknown): boolean {
  return (
    value === true ||
    value === 1 ||
    (typeof value === 'string' && /^(1|true|t|yes|y|on)$/i.test(value))
  );
}

export function inputFromEntry(name: string, content: Record<string, unknown>): InputSummary {
  const start = text(content, 'start_position', '-7d');
  const clusters = splitList(content.clusters);
  const draft: InputDraft = {
    name,
    account: text(content, 'account'),
    regions: splitList(content.regions),
    discoverAll: clusters.length === 0,
    clusters,
    startChoice: start === 'now' || start === '-7d' ? start : 'date',
    startDate: start === 'now' || start === '-7d' ? '' : start,
    pollInterval: text(content, 'poll_interval', INPUT_DEFAULTS.pollInterval),
    index: text(content, 'index') === 'default' ? '' : text(content, 'index'),
    logGroupPrefix: text(content, 'log_group_prefix', INPUT_DEFAULTS.logGroupPrefix),
    lateEventWindow: text(content, 'late_event_window', INPUT_DEFAULTS.lateEventWindow),
    healthInterval: text(content, 'health_interval', INPUT_DEFAULTS.healthInterval),
    discoveryInterval: text(content, 'discovery_interval', INPUT_DEFAULTS.discoveryInterval),
    maxRequestsPerSecond: text(
      content,
      'max_requests_per_second',
      INPUT_DEFAULTS.maxRequestsPerSecond,
    ),
    endpointUrl: text(content, 'endpoint_url'),
    httpsProxy: text(content, 'https_proxy'),
  };
  return {
    name,
    account: draft.account,
    regions: draft.regions,
    clusters,
    index: draft.index,
    disabled: isTrue(content.disabled),
    draft,
  };
}

/** The args posted to `data/inputs/cloudhsm_audit` (without `name`). */
export function inputArgs(draft: InputDraft): Record<string, string> {
  const args: Record<string, string> = {
    account: draft.account,
    regions: draft.regions.join(','),
    log_group_prefix: draft.logGroupPrefix.trim(),
    clusters: draft.discoverAll ? '' : draft.clusters.join(','),
    start_position: draft.startChoice === 'date' ? draft.startDate.trim() : draft.startChoice,
    poll_interval: draft.pollInterval.trim(),
    late_event_window: draft.lateEventWindow.trim(),
    health_interval: draft.healthInterval.trim(),
    discovery_interval: draft.discoveryInterval.trim(),
    max_requests_per_second: draft.maxRequestsPerSecond.trim(),
    endpoint_url: draft.endpointUrl.trim(),
    https_proxy: draft.httpsProxy.trim(),
  };
  // An empty index would make splunkd reject the request; leaving it out keeps splunkd's default.
  if (draft.index) args.index = draft.index;
  return args;
}

const WHOLE = /^\d+$/;

export function validateInput(
  draft: InputDraft,
  options: { isNew: boolean; existingNames: readonly string[]; accounts: readonly string[] },
): FieldErrors<keyof InputDraft> {
  const errors: FieldErrors<keyof InputDraft> = {};
  const name = draft.name.trim();
  if (options.isNew) {
    if (!name) errors.name = 'Enter a name for this input.';
    else if (!NAME_PATTERN.test(name)) errors.name = 'Use only letters, digits, "_", "-" and ".".';
    else if (options.existingNames.includes(name))
      errors.name = `An input named "${name}" already exists.`;
  }
  // An empty account is valid: the input then uses the host's default AWS credentials.
  if (draft.account && !options.accounts.includes(draft.account))
    errors.account = `The account "${draft.account}" does not exist any more: choose another one.`;
  const badRegion = draft.regions.find((region) => !REGION_PATTERN.test(region));
  if (draft.regions.length === 0) errors.regions = 'Choose at least one AWS region.';
  else if (badRegion) errors.regions = `"${badRegion}" is not an AWS region code (like us-east-1).`;
  if (!draft.discoverAll && draft.clusters.length === 0)
    errors.clusters = 'Add at least one cluster ID or log group name, or choose "All clusters".';
  if (draft.startChoice === 'date' && Number.isNaN(Date.parse(draft.startDate.trim())))
    errors.startDate = 'Enter a date like 2026-01-31 or 2026-01-31T08:00:00Z.';
  // The collector's ranges (README/inputs.conf.spec).
  const numbers: [keyof InputDraft, string, number, number][] = [
    ['pollInterval', 'Poll interval', 1, 3600],
    ['lateEventWindow', 'Late event window', 900, 86400],
    ['healthInterval', 'Health interval', 5, 86400],
    ['discoveryInterval', 'Discovery interval', 5, 86400],
    ['maxRequestsPerSecond', 'Requests per second', 1, 100],
  ];
  for (const [key, label, min, max] of numbers) {
    const value = String(draft[key]).trim();
    if (!WHOLE.test(value) || Number(value) < min || Number(value) > max)
      errors[key] = `${label} is a whole number from ${min} to ${max}.`;
  }
  if (!draft.logGroupPrefix.trim().startsWith('/'))
    errors.logGroupPrefix = 'A log group prefix starts with "/".';
  const endpointError = urlError(draft.endpointUrl);
  if (endpointError) errors.endpointUrl = endpointError;
  const proxyError = proxyUrlError(draft.httpsProxy);
  if (proxyError) errors.httpsProxy = proxyError;
  return errors;
}
