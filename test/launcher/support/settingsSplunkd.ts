/**
 * A splunkd stand-in for the app settings: answers `configs/conf-cloudhsm_audit_settings/logging`
 * as splunkd's REST API does (Atom JSON, `entry[0].content.log_level`; 401 without the session
 * key; `output_mode=json` required), with the level a test sets. Plain HTTP on loopback: the
 * input takes `server_uri` as splunkd gives it, and the TLS side is tested elsewhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SettingsSplunkd {
  uri: string;
  sessionKey: string;
  /** The log_level to answer; null answers 404 as for a missing stanza. */
  logLevel: string | null;
  /** Paths asked, in order. */
  requests: string[];
  close(): Promise<void>;
}

const SETTINGS = '/servicesNS/nobody/cloudhsm_audit/configs/conf-cloudhsm_audit_settings/logging';

export async function startSettingsSplunkd(logLevel: string | null): Promise<SettingsSplunkd> {
  const state = { logLevel, requests: [] as string[] };
  const sessionKey = 'settings-session-key-1234567890';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://splunkd.invalid');
    state.requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, text: string) =>
      send(status, { messages: [{ type: 'ERROR', text }] });
    if (req.headers.authorization !== `Splunk ${sessionKey}`)
      return error(401, 'call not properly authenticated');
    if (url.searchParams.get('output_mode') !== 'json') return error(400, 'want output_mode=json');
    if (url.pathname !== SETTINGS || state.logLevel === null)
      return error(404, 'Could not find object id=logging');
    return send(200, {
      entry: [
        {
          name: 'logging',
          content: { log_level: state.logLevel, disabled: false, 'eai:appName': 'cloudhsm_audit' },
        },
      ],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}`,
    sessionKey,
    get logLevel() {
      return state.logLevel;
    },
    set logLevel(value) {
      state.logLevel = value;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
