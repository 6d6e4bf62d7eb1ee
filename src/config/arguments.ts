/**
 * The single source of truth for the `cloudhsm_audit` input's arguments: the scheme XML
 * (`--scheme`), `README/inputs.conf.spec`, the defaults in `default/inputs.conf` and the
 * validation in `validate.ts` all follow this list; a test checks the conf files agree with it.
 *
 * Names follow splunkd's rule `[0-9a-zA-Z][0-9a-zA-Z_-]*` and never reuse the implicit settings
 * (`name`, `host`, `index`, `source`, `sourcetype`, `disabled`, `interval`).
 */

export type ArgumentDataType = 'string' | 'number' | 'boolean';

export interface ArgumentSpec {
  /** The scheme arg name, also the inputs.conf key. */
  name: string;
  /** Short label shown in Splunk Web. */
  title: string;
  /** What the admin should enter, in words an admin understands. */
  description: string;
  dataType: ArgumentDataType;
  requiredOnCreate: boolean;
  requiredOnEdit: boolean;
  /** The value `default/inputs.conf` sets under `[cloudhsm_audit]`; absent = no default (empty). */
  defaultValue?: string;
  /** The value type written in inputs.conf.spec, e.g. `<string>` or `<integer>`. */
  specType: string;
  /**
   * Read by splunkd, not by the input (`run_only_one`): declared so splunkd, AppInspect and admins
   * see it; the setup page leaves it to its default.
   */
  readBySplunkd?: true;
}

/** Inclusive integer bounds of the numeric arguments, with the reason for each default. */
export const NUMBER_BOUNDS = {
  /** 10 s: a failed HSM login shows in Splunk within about 30 s (poll + CloudWatch ingestion). */
  poll_interval: { min: 1, max: 3600, default: 10 },
  /**
   * 1800 s: CloudWatch Logs can ingest a record minutes after its timestamp; a gap is re-read,
   * and a certificate-storage stream re-read behind its newest record, for at least 15 minutes.
   */
  late_event_window: { min: 900, max: 86400, default: 1800 },
  /**
   * 300 s: streams whose CloudWatch listing shows nothing new are still read this often, because
   * AWS documents that listing as eventually consistent; a stale hint then delays a record by at
   * most 5 minutes, and 60 idle streams cost 0.2 requests/s. Down to 5 s for a lab or a test.
   */
  full_read_interval: { min: 5, max: 86400, default: 300 },
  /**
   * 300 s: one health event per log group every 5 minutes is enough for a dashboard; down to 5 s
   * for a lab or a test, where one event per poll or two is wanted.
   */
  health_interval: { min: 5, max: 86400, default: 300 },
  /**
   * 300 s: a new cluster's log group is picked up within 5 minutes without hammering the API;
   * down to 5 s for a lab (DescribeLogGroups still goes through the request budget).
   */
  discovery_interval: { min: 5, max: 86400, default: 300 },
  /**
   * 10 requests/s per account and region: the lower of GetLogEvents' published quotas (10–25/s),
   * shared with every other reader of the account. Raise it where Service Quotas allow.
   */
  max_requests_per_second: { min: 1, max: 100, default: 10, unit: 'requests per second' },
} as const;

export type NumberArgumentName = keyof typeof NUMBER_BOUNDS;

/** Where a stream without a checkpoint starts reading by default: one week back. */
export const DEFAULT_START_POSITION = '-7d';
/** CloudHSM writes each cluster's audit log to `/aws/cloudhsm/<cluster-id>`. */
export const DEFAULT_LOG_GROUP_PREFIX = '/aws/cloudhsm/';

/** Where an input keeps its checkpoints (src/checkpoint/backend.ts decides what `auto` means). */
export const CHECKPOINT_STORES = ['auto', 'file', 'kvstore'] as const;
export type CheckpointStoreChoice = (typeof CHECKPOINT_STORES)[number];
export const DEFAULT_CHECKPOINT_STORE: CheckpointStoreChoice = 'auto';

/** The unit of a numeric argument: seconds unless its bounds say otherwise. */
export function unitOf(name: NumberArgumentName): string {
  const b = NUMBER_BOUNDS[name];
  return 'unit' in b ? b.unit : 'seconds';
}

function numberArg(name: NumberArgumentName, title: string, description: string): ArgumentSpec {
  const b = NUMBER_BOUNDS[name];
  return {
    name,
    title,
    description: `${description} Whole number of ${unitOf(name)} from ${b.min} to ${b.max}; default ${b.default}.`,
    dataType: 'number',
    requiredOnCreate: false,
    requiredOnEdit: false,
    defaultValue: String(b.default),
    specType: '<integer>',
  };
}

export const ARGUMENTS: readonly ArgumentSpec[] = [
  {
    name: 'account',
    title: 'AWS account',
    description:
      'Name of an AWS account configured on the app setup page. Leave empty to use the AWS default ' +
      'credential chain of the Splunk host (environment variables, shared config file, EC2 or ECS role).',
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    specType: '<string>',
  },
  {
    name: 'regions',
    title: 'AWS regions',
    description:
      'AWS region codes to collect from, separated by commas or spaces, for example "us-east-1, eu-west-1".',
    dataType: 'string',
    requiredOnCreate: true,
    requiredOnEdit: false,
    specType: '<comma-separated list of AWS region codes>',
  },
  {
    name: 'log_group_prefix',
    title: 'Log group prefix',
    description:
      'CloudWatch Logs group name prefix under which CloudHSM clusters write their audit logs. ' +
      `Default ${DEFAULT_LOG_GROUP_PREFIX}.`,
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    defaultValue: DEFAULT_LOG_GROUP_PREFIX,
    specType: '<string>',
  },
  {
    name: 'clusters',
    title: 'Clusters',
    description:
      'Optional list of CloudHSM cluster ids (cluster-xxxxxxxxxxx) or full log group names ' +
      '(starting with /), separated by commas or spaces. Leave empty to collect every log group under ' +
      'the prefix, including clusters created later.',
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    specType: '<comma-separated list of cluster ids or log group names>',
  },
  {
    name: 'start_position',
    title: 'Start position',
    description:
      'Where collection starts for an HSM seen for the first time: "now", a relative age such as -7d ' +
      '(units s, m, h, d, w), or an ISO 8601 date or date and time (UTC unless an offset is given). ' +
      `Default ${DEFAULT_START_POSITION}.`,
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    defaultValue: DEFAULT_START_POSITION,
    specType: '<string>',
  },
  numberArg(
    'poll_interval',
    'Poll interval (seconds)',
    'How often each log group is read for new records.',
  ),
  numberArg(
    'late_event_window',
    'Late event window (seconds)',
    "How long records CloudWatch Logs ingests late are still looked for: a gap in an HSM's sequence " +
      'numbers is re-read this long, and a certificate-storage stream is re-read this far behind its ' +
      'newest record; at least 15 minutes.',
  ),
  numberArg(
    'full_read_interval',
    'Full read interval (seconds)',
    "How often every HSM stream is read even when CloudWatch's listing shows nothing new in it (the " +
      'listing is eventually consistent); the most a stale listing can delay a record.',
  ),
  numberArg(
    'health_interval',
    'Health interval (seconds)',
    'How often the input writes a health event per log group.',
  ),
  numberArg(
    'discovery_interval',
    'Discovery interval (seconds)',
    'How often the input looks for new CloudHSM log groups (clusters); new HSM streams of a known ' +
      'group are found at every poll.',
  ),
  numberArg(
    'max_requests_per_second',
    'API requests per second',
    'Most CloudWatch Logs requests per second this input makes per AWS account and region, shared by ' +
      'all its log groups, so the account quota is left for other readers.',
  ),
  {
    name: 'endpoint_url',
    title: 'CloudWatch Logs endpoint URL',
    description:
      'Optional http(s) URL of the CloudWatch Logs endpoint (VPC endpoint, FIPS endpoint). Leave empty for ' +
      'the regional AWS endpoint. Overrides the account setting.',
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    specType: '<url>',
  },
  {
    name: 'https_proxy',
    title: 'HTTPS proxy URL',
    description:
      'Optional http(s) URL of a proxy for AWS calls, for example http://proxy.example.com:3128. ' +
      'A user name or password in the URL is refused: inputs.conf stores it in clear text. ' +
      'Overrides the account setting.',
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    specType: '<url>',
  },
  {
    name: 'checkpoint_store',
    title: 'Checkpoint store',
    description:
      'Where the input keeps its checkpoints (how far it has read each HSM log): "kvstore" keeps them ' +
      "in Splunk's KV store, shared by every member of a search head cluster, so the input resumes " +
      'where it stopped when it moves to another host; only one host runs it at a time (a lease in ' +
      'the KV store). "file" keeps them in files on the host that runs the input. "auto" chooses ' +
      'kvstore on a search head cluster member or a Splunk Cloud search head and file elsewhere. ' +
      `Default ${DEFAULT_CHECKPOINT_STORE}.`,
    dataType: 'string',
    requiredOnCreate: false,
    requiredOnEdit: false,
    defaultValue: DEFAULT_CHECKPOINT_STORE,
    specType: `<${CHECKPOINT_STORES.join('|')}>`,
  },
  {
    name: 'run_only_one',
    title: 'Run on one search head cluster member only',
    description:
      "Read by splunkd in a search head cluster: true (Splunk's default) runs the input on one " +
      'member only, and splunkd starts it on another member when that one goes down or the captain ' +
      'changes. Keep true: the input collects every record of the account once; with the KV store ' +
      'a second copy would only wait for the lease. Default true.',
    dataType: 'boolean',
    requiredOnCreate: false,
    requiredOnEdit: false,
    defaultValue: 'true',
    specType: '<boolean>',
    readBySplunkd: true,
  },
];

/** Arguments by name. */
export const ARGUMENT_BY_NAME: ReadonlyMap<string, ArgumentSpec> = new Map(
  ARGUMENTS.map((a) => [a.name, a]),
);
