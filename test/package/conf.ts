/** A minimal .conf reader for tests: `[stanza]`, `key = value`, `#` comments. */
export type Conf = Map<string, Map<string, string>>;

export function parseConf(text: string): Conf {
  const conf: Conf = new Map();
  let current = new Map<string, string>();
  conf.set('', current);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const stanza = /^\[(.*)\]$/.exec(line);
    if (stanza) {
      const name = stanza[1] as string;
      current = conf.get(name) ?? new Map();
      conf.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return conf;
}

export interface SpecSetting {
  name: string;
  type: string;
  /** The `* …` lines after the setting, joined with spaces, without the asterisks. */
  text: string;
}

/** Reads the settings of one stanza of a .conf.spec file. */
export function parseSpecStanza(text: string, stanza: string): SpecSetting[] {
  const settings: SpecSetting[] = [];
  let inStanza = false;
  let current: SpecSetting | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const s = /^\[(.*)\]$/.exec(line);
    if (s) {
      inStanza = s[1] === stanza;
      current = undefined;
      continue;
    }
    if (!inStanza) continue;
    const setting = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (setting) {
      current = { name: setting[1] as string, type: setting[2] as string, text: '' };
      settings.push(current);
    } else if (line.startsWith('*') && current) {
      current.text = `${current.text} ${line.slice(1).trim()}`.trim();
    }
  }
  return settings;
}
