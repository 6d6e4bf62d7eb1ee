/**
 * Time as the search harness models it, in UTC (the harness's user and server time zone):
 *   - relative time modifiers (`now`, `-24h@h`, `-6m@m`, `+1h`, `@d`, `-7d@w1`, epoch numbers), as
 *     Splunk's "Specify time modifiers in your search" documents them: offsets, then a snap to the
 *     start of a unit, then optional offsets after the snap;
 *   - strftime() for the format variables the app's searches use;
 *   - the ISO 8601 text Splunk's REST API gives `_time` in (`2026-11-26T20:00:00.000+00:00`);
 *   - span strings (`5m`, `1h`) in seconds.
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Unit names and their abbreviations, as Splunk accepts them. */
function unitOf(word: string): 's' | 'm' | 'h' | 'd' | 'w' | 'mon' | 'q' | 'y' {
  const w = word.toLowerCase();
  if (/^(s|sec|secs|second|seconds)$/.test(w)) return 's';
  if (/^(m|min|mins|minute|minutes)$/.test(w)) return 'm';
  if (/^(h|hr|hrs|hour|hours)$/.test(w)) return 'h';
  if (/^(d|day|days)$/.test(w)) return 'd';
  if (/^(w|week|weeks)$/.test(w)) return 'w';
  if (/^(mon|month|months)$/.test(w)) return 'mon';
  if (/^(q|qtr|qtrs|quarter|quarters)$/.test(w)) return 'q';
  if (/^(y|yr|yrs|year|years)$/.test(w)) return 'y';
  throw new Error(`time unit not modelled: ${word}`);
}

function addUnits(t: number, n: number, unit: ReturnType<typeof unitOf>): number {
  if (unit in UNIT_SECONDS) return t + n * UNIT_SECONDS[unit]!;
  const d = new Date(t * 1000);
  const months = unit === 'mon' ? n : unit === 'q' ? 3 * n : 12 * n;
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime() / 1000;
}

function snap(t: number, unitWord: string): number {
  const wm = /^(w|week|weeks)(\d)?$/i.exec(unitWord);
  const d = new Date(Math.floor(t) * 1000);
  if (wm) {
    // @w0 = Sunday (the default), @w1 = Monday ...
    const day = Number(wm[2] ?? 0);
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
    const back = (d.getUTCDay() - day + 7) % 7;
    return start - back * 86400;
  }
  const unit = unitOf(unitWord);
  if (unit === 's') return Math.floor(t);
  if (unit === 'm') return Math.floor(t / 60) * 60;
  if (unit === 'h') return Math.floor(t / 3600) * 3600;
  if (unit === 'd') return Math.floor(t / 86400) * 86400;
  if (unit === 'mon') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  if (unit === 'q')
    return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) / 1000;
  return Date.UTC(d.getUTCFullYear(), 0, 1) / 1000;
}

function applyOffsets(t: number, text: string, spec: string): number {
  let rest = text;
  let out = t;
  while (rest) {
    const m = /^([+-])(\d*)([a-z]+)/i.exec(rest);
    if (!m) throw new Error(`relative time not modelled: ${spec}`);
    out = addUnits(out, (m[1] === '-' ? -1 : 1) * Number(m[2] || 1), unitOf(m[3]!));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** A time modifier's value at `now` (epoch seconds). */
export function resolveTime(spec: string, now: number): number {
  const s = spec.trim();
  if (s === '' || s === 'now') return now;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const at = s.indexOf('@');
  if (at < 0) return applyOffsets(now, s, spec);
  const before = applyOffsets(now, s.slice(0, at), spec);
  const m = /^@([a-z]+\d?)(.*)$/i.exec(s.slice(at));
  if (!m) throw new Error(`relative time not modelled: ${spec}`);
  return applyOffsets(snap(before, m[1]!), m[2]!, spec);
}

/** `30s`, `5m`, `1h`, `1d` in seconds. */
export function spanSeconds(span: string): number {
  const m = /^(\d+)([a-z]+)$/i.exec(span.trim());
  if (!m) throw new Error(`span not modelled: ${span}`);
  const unit = unitOf(m[2]!);
  if (!(unit in UNIT_SECONDS)) throw new Error(`span unit not modelled: ${span}`);
  return Number(m[1]) * UNIT_SECONDS[unit]!;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** strftime() in UTC for the variables the app uses; any other variable throws. */
export function strftime(t: number, format: string): string {
  const d = new Date(Math.floor(t * 1000));
  const frac = t - Math.floor(t);
  return format.replace(/%(\d?N|.)/g, (whole, v: string) => {
    switch (v) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return pad(d.getUTCFullYear() % 100);
      case 'm':
        return pad(d.getUTCMonth() + 1);
      case 'd':
        return pad(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2, ' ');
      case 'H':
        return pad(d.getUTCHours());
      case 'M':
        return pad(d.getUTCMinutes());
      case 'S':
        return pad(d.getUTCSeconds());
      case 'b':
        return MONTHS[d.getUTCMonth()]!;
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 's':
        return String(Math.floor(t));
      case 'T':
        return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      case 'F':
        return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case '%':
        return '%';
      default: {
        const n = /^(\d)N$/.exec(v);
        if (n) return pad(Math.floor((frac + 1e-9) * 10 ** Number(n[1])), Number(n[1]));
        throw new Error(`strftime variable not modelled: ${whole}`);
      }
    }
  });
}

/** `_time` as Splunk's REST API returns it. */
export function isoTime(t: number): string {
  return `${strftime(t, '%Y-%m-%dT%H:%M:%S.%3N')}+00:00`;
}
