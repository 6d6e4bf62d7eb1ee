/**
 * A stand-in for the splunkd REST endpoints the setup page calls, behind Splunk Web's proxy
 * (`…/splunkd/__raw/…`), answering as the REST API reference describes: Atom-JSON feeds with
 * `entry[].name/content/acl`, errors as `{"messages":[{"type":"ERROR","text":…}]}`, 201 on create,
 * 409 for a name taken, 404 for an unknown entity, 403 naming the missing capability, and the
 * collector's `--validate-arguments` message as a 400 on input create/edit. It enforces Splunk
 * Web's CSRF check on writes and records every request, so tests can see where a secret went.
 * Used by the component tests (through msw) and by the end-to-end test (through an HTTP server).
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeUser {
  username: string;
  roles: string[];
  capabilities: string[];
}

export interface FakeReply {
  status: number;
  body?: unknown;
}

export const CSRF_TOKEN = '11223344556677889900';
export const ADMIN: FakeUser = {
  username: 'admin',
  roles: ['admin'],
  capabilities: [
    'admin_all_objects',
    'edit_storage_passwords',
    'list_storage_passwords',
    'list_inputs',
  ],
};

type Stanza = Record<string, string>;

const APP_NS = '/servicesNS/nobody/cloudhsm_audit/';
const REALM_SEPARATOR = ':';

/** What the fake collector's `--validate-arguments` says about an input's args (undefined: valid). */
export type Validator = (args: Stanza) => string | undefined;

export class FakeSplunkd {
  readonly requests: RecordedRequest[] = [];
  user: FakeUser = ADMIN;
  configured = false;
  accounts = new Map<string, Stanza>();
  /** storage/passwords entries by `realm:name:`. */
  passwords = new Map<string, { realm: string; username: string; password: string }>();
  inputs = new Map<string, Stanza>();
  indexes = ['main', 'cloudhsm', 'security', '_internal', '_audit'];
  validator: Validator = () => undefined;
  /** `server/info` server_roles: an all-in-one instance by default. */
  serverRoles = ['indexer', 'license_manager', 'kv_store'];
  /** The cloudhsm_index macro's definition, as default/macros.conf ships it. */
  indexMacro = 'index=*';
  /** `[logging] log_level` of cloudhsm_audit_settings.conf. */
  logLevel = 'INFO';
  /** What a oneshot search answers (the fake runs no SPL); the searches asked are recorded. */
  searchResults: Record<string, unknown>[] = [];
  readonly searches: string[] = [];

  handle(method: string, rawUrl: string, headers: Record<string, string>, body: string): FakeReply {
    this.requests.push({ method, url: rawUrl, headers, body });
    const url = new URL(rawUrl, 'http://splunkweb.invalid');
    const marker = url.pathname.indexOf('/splunkd/__raw/');
    if (marker < 0) return error(404, `Not found: ${url.pathname}`);
    const path = decodeURI(url.pathname.slice(marker + '/splunkd/__raw'.length));
    if (url.searchParams.get('output_mode') !== 'json')
      return error(400, 'The setup page must ask for output_mode=json.');
    if (method !== 'GET' && headers['x-splunk-form-key'] !== CSRF_TOKEN)
      return error(401, 'Splunk cannot authenticate the request. CSRF validation failed.');
    const form = new URLSearchParams(body);

    if (path === '/services/authentication/current-context' && method === 'GET')
      return feed([{ name: this.user.username, content: { ...this.user } }]);
    if (path === '/servicesNS/nobody/system/apps/local/cloudhsm_audit') {
      if (method === 'POST') {
        if (!this.can('admin_all_objects')) return this.forbidden('admin_all_objects');
        this.configured = form.get('configured') === 'true';
      }
      return feed([
        {
          name: 'cloudhsm_audit',
          content: { configured: this.configured, label: 'AWS CloudHSM Audit' },
        },
      ]);
    }
    if (path === '/services/server/info' && method === 'GET')
      return feed([
        { name: 'server-info', content: { server_roles: this.serverRoles, version: '9.4.0' } },
      ]);
    if (!path.startsWith(APP_NS)) return error(404, `Not found: ${path}`);
    const endpoint = path.slice(APP_NS.length);

    if (endpoint === 'configs/conf-macros/cloudhsm_index') {
      if (method === 'POST') {
        if (!this.can('admin_all_objects')) return this.forbidden('admin_all_objects');
        this.indexMacro = form.get('definition') ?? this.indexMacro;
      }
      return feed([
        { name: 'cloudhsm_index', content: { definition: this.indexMacro, iseval: '0' } },
      ]);
    }
    if (endpoint === 'configs/conf-cloudhsm_audit_settings/logging') {
      if (method === 'POST') {
        if (!this.can('admin_all_objects')) return this.forbidden('admin_all_objects');
        this.logLevel = form.get('log_level') ?? this.logLevel;
      }
      return feed([{ name: 'logging', content: { log_level: this.logLevel } }]);
    }
    if (endpoint === 'search/jobs' && method === 'POST') {
      if (form.get('exec_mode') !== 'oneshot')
        return error(400, 'The fake only runs oneshot searches.');
      this.searches.push(form.get('search') ?? '');
      return { status: 200, body: { preview: false, fields: [], results: this.searchResults } };
    }

    if (endpoint.startsWith('configs/conf-cloudhsm_audit_accounts'))
      return this.accountsConf(method, endpoint, form);
    if (endpoint.startsWith('storage/passwords'))
      return this.storagePasswords(method, endpoint, url.searchParams, form);
    if (endpoint.startsWith('data/inputs/cloudhsm_audit'))
      return this.modinput(method, endpoint, form);
    if (endpoint === 'data/indexes' && method === 'GET')
      return feed(
        this.indexes.map((name) => ({ name, content: { disabled: false, datatype: 'event' } })),
      );
    return error(404, `Not found: ${path}`);
  }

  private can(capability: string): boolean {
    return (
      this.user.capabilities.includes(capability) ||
      this.user.capabilities.includes('admin_all_objects')
    );
  }

  private forbidden(...capabilities: string[]): FakeReply {
    const needs = [...new Set([...capabilities, 'admin_all_objects'])].join(' OR ');
    return error(
      403,
      `You (user=${this.user.username}) do not have permission to perform this operation (requires capability: ${needs}).`,
    );
  }

  private accountsConf(method: string, endpoint: string, form: URLSearchParams): FakeReply {
    const name = endpoint.split('/')[2];
    if (method !== 'GET' && !this.can('admin_all_objects'))
      return this.forbidden('admin_all_objects');
    if (name === undefined) {
      if (method === 'GET')
        return feed([
          { name: 'default', content: {} },
          ...[...this.accounts].map(([stanza, content]) => ({ name: stanza, content })),
        ]);
      if (method !== 'POST') return error(405, 'Method not allowed');
      const stanza = form.get('name') ?? '';
      if (!stanza) return error(400, 'Missing argument: name');
      if (this.accounts.has(stanza))
        return error(409, `An object with name=${stanza} already exists`);
      form.delete('name');
      this.accounts.set(stanza, Object.fromEntries(form));
      return feed([{ name: stanza, content: this.accounts.get(stanza) }], 201);
    }
    const existing = this.accounts.get(name);
    if (!existing) return error(404, `Could not find object id=${name}`);
    if (method === 'DELETE') {
      this.accounts.delete(name);
      return feed([]);
    }
    if (method === 'POST') Object.assign(existing, Object.fromEntries(form));
    return feed([{ name, content: existing }]);
  }

  private storagePasswords(
    method: string,
    endpoint: string,
    query: URLSearchParams,
    form: URLSearchParams,
  ): FakeReply {
    const id = endpoint.split('/')[2];
    if (method === 'GET' && !this.can('list_storage_passwords'))
      return this.forbidden('list_storage_passwords', 'edit_storage_passwords');
    if (method !== 'GET' && !this.can('edit_storage_passwords'))
      return this.forbidden('edit_storage_passwords');
    if (id === undefined) {
      if (method === 'GET') {
        const realm = /^realm=(.*)$/.exec(query.get('search') ?? '')?.[1];
        const fields = query.getAll('f');
        const entries = [...this.passwords]
          .filter(([, entry]) => realm === undefined || entry.realm === realm)
          .map(([key, entry]) => {
            const content: Record<string, unknown> = {
              realm: entry.realm,
              username: entry.username,
              clear_password: entry.password,
              encr_password: '$7$encrypted',
              password: '********',
            };
            return {
              name: key,
              content: fields.length
                ? Object.fromEntries(Object.entries(content).filter(([k]) => fields.includes(k)))
                : content,
            };
          });
        return feed(entries);
      }
      const username = form.get('name') ?? '';
      const realm = form.get('realm') ?? '';
      const key = `${realm}${REALM_SEPARATOR}${username}${REALM_SEPARATOR}`;
      if (!username || !form.get('password'))
        return error(400, 'Missing argument: name or password');
      if (this.passwords.has(key)) return error(409, `An object with name=${key} already exists`);
      this.passwords.set(key, { realm, username, password: form.get('password') ?? '' });
      return feed([{ name: key, content: { realm, username } }], 201);
    }
    const entry = this.passwords.get(id);
    if (!entry) return error(404, `Could not find object id=${id}`);
    if (method === 'DELETE') {
      this.passwords.delete(id);
      return feed([]);
    }
    if (method === 'POST') entry.password = form.get('password') ?? entry.password;
    return feed([{ name: id, content: { realm: entry.realm, username: entry.username } }]);
  }

  private modinput(method: string, endpoint: string, form: URLSearchParams): FakeReply {
    const [, , , name, verb] = endpoint.split('/');
    if (method !== 'GET' && !this.can('edit_modinput_cloudhsm_audit'))
      return this.forbidden('edit_modinput_cloudhsm_audit');
    if (name === undefined) {
      if (method === 'GET')
        return feed(
          [...this.inputs].map(([stanza, content]) => ({
            name: stanza,
            content: inputContent(content),
          })),
        );
      const stanza = form.get('name') ?? '';
      if (!stanza) return error(400, 'Missing argument: name');
      if (this.inputs.has(stanza))
        return error(409, `An object with name=${stanza} already exists`);
      form.delete('name');
      const args = Object.fromEntries(form);
      const invalid = this.validator(args);
      if (invalid) return error(400, invalid);
      this.inputs.set(stanza, { ...args, disabled: '0' });
      return feed([{ name: stanza, content: inputContent(this.inputs.get(stanza) ?? {}) }], 201);
    }
    const existing = this.inputs.get(name);
    if (!existing) return error(404, `Could not find object id=${name}`);
    if (method === 'DELETE') {
      this.inputs.delete(name);
      return feed([]);
    }
    if (verb === 'enable' || verb === 'disable') existing.disabled = verb === 'disable' ? '1' : '0';
    else if (method === 'POST') {
      const merged = { ...existing, ...Object.fromEntries(form) };
      const invalid = this.validator(merged);
      if (invalid) return error(400, invalid);
      Object.assign(existing, Object.fromEntries(form));
    }
    return feed([{ name, content: inputContent(existing) }]);
  }
}

function inputContent(stanza: Stanza): Record<string, unknown> {
  return { ...stanza, disabled: stanza.disabled === '1', index: stanza.index ?? 'default' };
}

function feed(entries: { name: string; content: unknown }[], status = 200): FakeReply {
  return {
    status,
    body: {
      links: {},
      origin: 'https://127.0.0.1:8089/servicesNS/nobody/cloudhsm_audit',
      updated: '2026-11-27T12:00:00+00:00',
      generator: { build: 'fake', version: '9.4.0' },
      entry: entries.map((entry) => ({
        ...entry,
        id: `https://127.0.0.1:8089/servicesNS/nobody/cloudhsm_audit/${encodeURIComponent(entry.name)}`,
        acl: { app: 'cloudhsm_audit', owner: 'nobody', sharing: 'app', can_write: true },
      })),
      paging: { total: entries.length, perPage: 30, offset: 0 },
      messages: [],
    },
  };
}

function error(status: number, text: string): FakeReply {
  return { status, body: { messages: [{ type: 'ERROR', text }] } };
}

const KNOWN_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-2',
];

/** The collector's message for a region code that has the right shape but does not exist. */
export const regionValidator: Validator = (args) => {
  const bad = (args.regions ?? '')
    .split(',')
    .find((region) => region && !KNOWN_REGIONS.includes(region));
  return bad ? `regions: "${bad}" is not an AWS region code` : undefined;
};

/**
 * The recorded requests that carry `secret` anywhere — URL, body or a header — as typed,
 * URL-encoded (form bodies, query strings) or form-encoded (`+` for spaces).
 */
export function requestsCarrying(
  requests: readonly RecordedRequest[],
  secret: string,
): RecordedRequest[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ];
  return requests.filter((request) =>
    [request.url, request.body, ...Object.values(request.headers)].some((part) =>
      forms.some((form) => part.includes(form)),
    ),
  );
}
