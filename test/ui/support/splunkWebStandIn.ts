/**
 * A local stand-in for Splunk Web, enough to run the built setup page as Splunk Web would:
 *   - the view `/<locale>/app/cloudhsm_audit/<view>`: the Simple XML file turned into a page that
 *     loads `/<locale>/config?autoload=1` (the recorded `$C`), sets the CSRF cookie, holds the
 *     view's `<html>` panel and loads the view's `stylesheet=` and `script=` files from the app's
 *     static folder;
 *   - `/<locale>/static/@<build>[:<app build>]/app/cloudhsm_audit/<file>`: the app's appserver/static;
 *   - `/<locale>/static/@<build>/build/api/get_theme.js`: Splunk Web's theme API, answering `theme`;
 *   - `/<locale>/splunkd/__raw/…`: the fake splunkd.
 * Every request is recorded (method, URL, headers, body); one it does not know is answered 404 and
 * listed in `unexpected`.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { FakeSplunkd, RecordedRequest } from './fakeSplunkd';

export interface StandInOptions {
  /** The installable app folder (or one with the same default/ and appserver/static/ layout). */
  viewFile: string;
  staticDir: string;
  config: Record<string, unknown> & {
    LOCALE: string;
    MRSPARKLE_PORT_NUMBER: string;
    FORM_KEY: string;
  };
  splunkd: FakeSplunkd;
}

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  unexpected: string[];
  theme: 'light' | 'dark';
  close(): Promise<void>;
}

interface View {
  label: string;
  scripts: string[];
  stylesheets: string[];
  html: string;
}

export function readView(file: string): View {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    stopNodes: ['*.html'],
  });
  const { dashboard } = parser.parse(fs.readFileSync(file, 'utf8')) as {
    dashboard: {
      label?: string;
      script?: string;
      stylesheet?: string;
      row?: { panel?: { html?: string } };
    };
  };
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    label: dashboard.label ?? '',
    scripts: list(dashboard.script),
    stylesheets: list(dashboard.stylesheet),
    html: dashboard.row?.panel?.html ?? '',
  };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.txt': 'text/plain',
};

export async function startSplunkWebStandIn(options: StandInOptions): Promise<StandIn> {
  const { config, splunkd } = options;
  const locale = config.LOCALE;
  const build = `@${String(config.BUILD_NUMBER)}`;
  const appStatic = `/${locale}/static/${build}:${String(config.APP_BUILD ?? 0)}/app/cloudhsm_audit/`;
  const view = readView(options.viewFile);
  const state = {
    requests: [] as RecordedRequest[],
    unexpected: [] as string[],
    theme: 'light' as 'light' | 'dark',
  };

  function page(): string {
    const scripts = view.scripts.map((s) => `<script src="${appStatic}${s}"></script>`).join('');
    const styles = view.stylesheets
      .map((s) => `<link rel="stylesheet" href="${appStatic}${s}">`)
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${view.label} | Splunk</title>${styles}
<script src="/${locale}/config?autoload=1"></script>
<style>
  body { margin: 0; font-family: "Splunk Platform Sans", "Proxima Nova", Roboto, Helvetica, Arial, sans-serif; background: ${state.theme === 'dark' ? '#171d21' : '#f2f4f5'}; }
  .splunk-header { background: #1a1c20; color: #fff; height: 40px; display: flex; align-items: center; padding: 0 20px; font-size: 14px; }
  .splunk-header b { color: #65a637; margin-right: 24px; }
  .app-bar { background: ${state.theme === 'dark' ? '#31373e' : '#fff'}; color: ${state.theme === 'dark' ? '#fff' : '#3c444d'}; height: 36px; display: flex; align-items: center; gap: 24px; padding: 0 20px; font-size: 13px; border-bottom: 1px solid #c3cbd4; }
  .dashboard-body { padding: 10px 20px; }
  .panel { margin: 0; }
</style></head>
<body><div class="splunk-header"><b>splunk&gt;enterprise</b>Apps ▾</div>
<div class="app-bar"><span>CloudHSM Event Dashboard</span><span>CloudHSM Audit Integrity</span><span>Search</span><span>Alerts ▾</span><strong>${view.label}</strong><span style="margin-left:auto">AWS CloudHSM Audit</span></div>
<div class="dashboard-body"><div class="panel">${view.html}</div></div>${scripts}</body></html>`;
  }

  function reply(
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
      );
      const rawUrl = req.url ?? '/';
      const method = req.method ?? 'GET';
      state.requests.push({ method, url: rawUrl, headers, body });
      const { pathname } = new URL(rawUrl, 'http://127.0.0.1');

      if (pathname === `/${locale}/app/cloudhsm_audit/cloudhsm_audit_setup`) {
        // Splunk Web sets its CSRF cookie on every page; @splunk/splunk-utils reads it back.
        return reply(res, 200, 'text/html; charset=utf-8', page(), {
          'Set-Cookie': `splunkweb_csrf_token_${config.MRSPARKLE_PORT_NUMBER}=${config.FORM_KEY}; Path=/; SameSite=Strict`,
        });
      }
      if (pathname === `/${locale}/config`) {
        const json = JSON.stringify(config);
        return new URL(rawUrl, 'http://127.0.0.1').searchParams.get('autoload') === '1'
          ? reply(res, 200, 'text/javascript', `window.$C = ${json};`)
          : reply(res, 200, 'application/json', json);
      }
      if (new RegExp(`^/${locale}/static/@[^/]+/build/api/get_theme\\.js$`).test(pathname)) {
        return reply(
          res,
          200,
          'text/javascript',
          `window.__get_theme__ = { getTheme: function () { return Promise.resolve(${JSON.stringify(state.theme)}); } };`,
        );
      }
      const staticMatch = new RegExp(
        `^/${locale}/static/(?:@[^/]+/)?app/cloudhsm_audit/([\\w.-]+)$`,
      ).exec(pathname);
      if (staticMatch?.[1]) {
        const file = path.join(options.staticDir, staticMatch[1]);
        if (fs.existsSync(file))
          return reply(
            res,
            200,
            TYPES[path.extname(file)] ?? 'application/octet-stream',
            fs.readFileSync(file),
          );
      }
      if (pathname.startsWith(`/${locale}/splunkd/__raw/`)) {
        const answer = splunkd.handle(method, rawUrl, headers, body);
        return reply(
          res,
          answer.status,
          'application/json; charset=utf-8',
          JSON.stringify(answer.body ?? null),
        );
      }
      if (pathname === '/favicon.ico') return reply(res, 204, 'image/x-icon', '');
      state.unexpected.push(`${method} ${rawUrl}`);
      return reply(res, 404, 'text/plain', 'Not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get unexpected() {
      return state.unexpected;
    },
    get theme() {
      return state.theme;
    },
    set theme(value) {
      state.theme = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
