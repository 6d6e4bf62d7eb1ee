/**
 * `cloudhsm_audit://<name>` inputs as `data/inputs/cloudhsm_audit` shows them: the form's model,
 * its defaults (the collector's, see README/inputs.conf.spec), and the args posted to splunkd.
 * The form is checked with the collector's own argument rules (src/config), the ones its
 * `--validate-arguments` applies when splunkd saves the input, so a mistake is named in the form
 * before the round trip; only the AWS access check needs splunkd.
 */
import {
  ARGUMENTS,
  DEFAULT_CHECKPOINT_STORE,
  DEFAULT_LOG_GROUP_PREFIX,
  NUMBER_BOUNDS,
  type ArgumentSpec,
  type CheckpointStoreChoice,
} from '../../config/arguments';
import { parseInputConfig } from '../../config/validate';
import { splitList } from '../../config/values';
import { NAME_PATTERN, type FieldErrors } from './account';

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
  /** Where the input keeps its checkpoints: files on the host, the KV store, or chosen at start. */
  checkpointStore: CheckpointStoreChoice;
  /**
   * Arguments the form has no dedicated field for (EXTRA_ARGUMENTS), by argument name: a new
   * argument in src/config/arguments.ts appears under "Advanced settings" without a form change.
   */
  extra: Record<string, string>;
}

/** A field of the form: a draft key, or `arg:<name>` for an extra argument. */
export type InputFieldKey = keyof InputDraft | `arg:${string}`;

export interface InputSummary {
  name: string;
  account: string;
  regions: string[];
  clusters: string[];
  index: string;
  disabled: boolean;
  draft: InputDraft;
}

/** The collector's defaults (src/config/arguments.ts), as the form's text. */
export const INPUT_DEFAULTS = {
  logGroupPrefix: DEFAULT_LOG_GROUP_PREFIX,
  pollInterval: String(NUMBER_BOUNDS.poll_interval.default),
  lateEventWindow: String(NUMBER_BOUNDS.late_event_window.default),
  healthInterval: String(NUMBER_BOUNDS.health_interval.default),
  discoveryInterval: String(NUMBER_BOUNDS.discovery_interval.default),
  maxRequestsPerSecond: String(NUMBER_BOUNDS.max_requests_per_second.default),
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
    checkpointStore: DEFAULT_CHECKPOINT_STORE,
    extra: Object.fromEntries(EXTRA_ARGUMENTS.map((a) => [a.name, a.defaultValue ?? ''])),
  };
}

/** A list setting as splunkd returns it, split as the collector splits it (commas or spaces). */
function listOf(value: unknown): string[] {
  return typeof value === 'string' ? splitList(value) : [];
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
  const clusters = listOf(content.clusters);
  const draft: InputDraft = {
    name,
    account: text(content, 'account'),
    regions: listOf(content.regions),
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
    // A value the form does not offer (a hand-edited typo) is kept, so validation names it.
    checkpointStore: text(
      content,
      'checkpoint_store',
      DEFAULT_CHECKPOINT_STORE,
    ) as CheckpointStoreChoice,
    extra: Object.fromEntries(
      EXTRA_ARGUMENTS.map((a) => [a.name, text(content, a.name, a.defaultValue ?? '')]),
    ),
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
    checkpoint_store: draft.checkpointStore,
  };
  for (const { name } of EXTRA_ARGUMENTS) args[name] = (draft.extra[name] ?? '').trim();
  // An empty index would make splunkd reject the request; leaving it out keeps splunkd's default.
  if (draft.index) args.index = draft.index;
  return args;
}

/** The form field that shows a collector argument's error. */
const FIELD_OF_ARGUMENT: Record<string, keyof InputDraft> = {
  account: 'account',
  regions: 'regions',
  log_group_prefix: 'logGroupPrefix',
  clusters: 'clusters',
  start_position: 'startDate',
  poll_interval: 'pollInterval',
  late_event_window: 'lateEventWindow',
  health_interval: 'healthInterval',
  discovery_interval: 'discoveryInterval',
  max_requests_per_second: 'maxRequestsPerSecond',
  endpoint_url: 'endpointUrl',
  https_proxy: 'httpsProxy',
  checkpoint_store: 'checkpointStore',
};

/** The choices the form offers for `checkpoint_store`, in words an admin knows. */
export const CHECKPOINT_STORE_CHOICES: readonly {
  value: CheckpointStoreChoice;
  label: string;
  description: string;
}[] = [
  {
    value: 'auto',
    label: 'Automatic',
    description: 'KV store on a search head cluster or Splunk Cloud, files elsewhere',
  },
  {
    value: 'kvstore',
    label: 'KV store',
    description: 'Shared by the cluster: the input resumes on whichever host runs it',
  },
  {
    value: 'file',
    label: 'Files on this host',
    description: 'Run the input on this host only',
  },
];

/**
 * The collector's arguments without a dedicated field: shown generically, by their spec. Settings
 * splunkd reads itself (`run_only_one`) stay at their default: not shown, never posted.
 */
export const EXTRA_ARGUMENTS: readonly ArgumentSpec[] = ARGUMENTS.filter(
  (a) => !(a.name in FIELD_OF_ARGUMENT) && !a.readBySplunkd,
);

/** `regions: "x" is not …` → `"x" is not ….`: the field's label already names the argument. */
function fieldMessage(argument: string, message: string): string {
  const text = message.startsWith(`${argument}: `) ? message.slice(argument.length + 2) : message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function validateInput(
  draft: InputDraft,
  options: { isNew: boolean; existingNames: readonly string[]; accounts: readonly string[] },
  nowMs = Date.now(),
): FieldErrors<InputFieldKey> {
  const errors: FieldErrors<InputFieldKey> = {};
  const name = draft.name.trim();
  if (options.isNew) {
    if (!name) errors.name = 'Enter a name for this input.';
    else if (!NAME_PATTERN.test(name)) errors.name = 'Use only letters, digits, "_", "-" and ".".';
    else if (options.existingNames.includes(name))
      errors.name = `An input named "${name}" already exists.`;
  }
  const parsed = parseInputConfig({ name, ...inputArgs(draft) }, nowMs);
  if (!parsed.ok) {
    for (const { argument, message } of parsed.errors) {
      const field: InputFieldKey = FIELD_OF_ARGUMENT[argument] ?? `arg:${argument}`;
      if (!errors[field]) errors[field] = fieldMessage(argument, message);
    }
  }
  // An empty account is valid: the input then uses the host's default AWS credentials.
  if (draft.account && !options.accounts.includes(draft.account))
    errors.account = `The account "${draft.account}" does not exist any more: choose another one.`;
  if (!draft.discoverAll && draft.clusters.length === 0)
    errors.clusters = 'Add at least one cluster ID or log group name, or choose "All clusters".';
  if (draft.startChoice === 'date' && !draft.startDate.trim())
    errors.startDate = 'Enter a date like 2026-01-31 or 2026-01-31T08:00:00Z.';
  return errors;
}
