/**
 * A fake splunkd management port for tests: node:https with a self-signed certificate made by the
 * openssl CLI in a temp folder (or one issued by a test CA: testPki.ts), answering the documented
 * JSON shapes of the conf endpoints (accounts) and storage/passwords, checking the Authorization
 * header. It also answers what every splunkd answers to a running input: `server/info` (a heavy
 * forwarder's roles) and the app's log level (`INFO` unless the test sets another).
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FakeSplunkdState {
  sessionKey: string;
  /** Stanza name → content. */
  accounts: Record<string, Record<string, string>>;
  /** storage/passwords entity id (`realm:name:` with escapes) → clear password. */
  passwords: Record<string, string>;
  /** Status codes to answer before behaving normally, consumed one per request. */
  failNext: number[];
  /** `[logging] log_level` of cloudhsm_audit_settings.conf; default INFO, as the app ships it. */
  logLevel?: string;
}

export interface FakeSplunkd {
  uri: string;
  state: FakeSplunkdState;
  /** Decoded paths of every request, in order. */
  requests: string[];
  /** TCP connections accepted, including those whose TLS handshake the client refused. */
  connections(): number;
  close(): Promise<void>;
}

export function makeSelfSignedCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-splunkd-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const CONF_PREFIX = '/servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_accounts/';
const PASSWORD_PREFIX = '/servicesNS/nobody/cloudhsm_audit/storage/passwords/';
const SETTINGS = '/servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_settings/logging';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const messages = (text: string) => ({ messages: [{ type: 'ERROR', text }] });

export async function startFakeSplunkd(
  state: FakeSplunkdState,
  tls = makeSelfSignedCert(),
): Promise<FakeSplunkd> {
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://splunkd.invalid');
    const decoded = decodeURIComponent(url.pathname);
    requests.push(decoded);
    const fail = state.failNext.shift();
    if (fail !== undefined) return send(res, fail, messages(`injected ${fail}`));
    if (req.headers.authorization !== `Splunk ${state.sessionKey}`)
      return send(res, 401, messages('call not properly authenticated'));
    if (url.searchParams.get('output_mode') !== 'json')
      return send(res, 400, messages('want output_mode=json'));
    if (decoded === '/services/server/info')
      return send(res, 200, {
        entry: [{ name: 'server-info', content: { server_roles: ['kv_store'], serverName: 'hf' } }],
      });
    if (decoded === SETTINGS) {
      const content = { log_level: state.logLevel ?? 'INFO', 'eai:appName': 'cloudhsm_audit' };
      return send(res, 200, { entry: [{ name: 'logging', content }] });
    }
    if (decoded.startsWith(CONF_PREFIX)) {
      const content = state.accounts[decoded.slice(CONF_PREFIX.length)];
      if (!content) return send(res, 404, messages('Could not find object'));
      return send(res, 200, {
        entry: [
          {
            name: decoded.slice(CONF_PREFIX.length),
            content: { ...content, disabled: false, 'eai:appName': 'cloudhsm_audit' },
          },
        ],
      });
    }
    if (decoded.startsWith(PASSWORD_PREFIX)) {
      const id = decoded.slice(PASSWORD_PREFIX.length);
      const clear = state.passwords[id];
      if (clear === undefined) return send(res, 404, messages(`Could not find object id=${id}`));
      return send(res, 200, {
        entry: [
          {
            name: id,
            content: { realm: 'cloudhsm_audit', clear_password: clear, encr_password: '$7$xyz' },
          },
        ],
      });
    }
    return send(res, 404, messages('unknown endpoint'));
  };
  const server = https.createServer(tls, handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `https://127.0.0.1:${port}`,
    state,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
