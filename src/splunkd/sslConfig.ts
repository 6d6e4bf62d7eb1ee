/**
 * splunkd's own TLS settings (server.conf `[sslConfig]`), read from disk the way splunkd merges a
 * global setting: `etc/system/local`, then every app's `local`, then every app's `default` (apps
 * in ASCII order of their folder names), then `etc/system/default`; the first file that sets a key
 * wins. Read from disk rather than over REST: asking splunkd which CA to trust, over the very
 * connection that CA is meant to verify, would let whoever answers choose.
 */

import fs from 'node:fs';
import path from 'node:path';

export type SslConfig = ReadonlyMap<string, string>;

/** The server.conf files that can set `[sslConfig]`, highest precedence first. */
export function serverConfLayers(etc: string): string[] {
  let apps: string[] = [];
  try {
    apps = fs
      .readdirSync(path.join(etc, 'apps'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    // No apps folder: only the system layers.
  }
  const appConf = (layer: string) =>
    apps.map((app) => path.join(etc, 'apps', app, layer, 'server.conf'));
  return [
    path.join(etc, 'system', 'local', 'server.conf'),
    ...appConf('local'),
    ...appConf('default'),
    path.join(etc, 'system', 'default', 'server.conf'),
  ];
}

/**
 * The settings of one stanza in .conf text: `[stanza]` headers, `key = value` lines, `#` comment
 * lines, a trailing `\` continuing a value. A repeated stanza adds to the first; the last value of
 * a repeated key wins, as in splunkd.
 */
export function stanzaSettings(text: string, stanza: string): Map<string, string> {
  const settings = new Map<string, string>();
  let inStanza = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      inStanza = line.slice(1, -1).trim() === stanza;
      continue;
    }
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const eq = line.indexOf('=');
    if (inStanza && eq > 0) settings.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return settings;
}

/** `[sslConfig]` as splunkd sees it, merged over every layer under `etc`. */
export function readSslConfig(etc: string): SslConfig {
  const merged = new Map<string, string>();
  for (const file of serverConfLayers(etc)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const [key, value] of stanzaSettings(text, 'sslConfig')) {
      if (!merged.has(key)) merged.set(key, value);
    }
  }
  return merged;
}

/** Splunk's boolean spellings. */
export function isTrue(value: string | undefined): boolean {
  return /^(true|t|yes|y|1)$/i.test(value?.trim() ?? '');
}
