/**
 * Runs regexes with the real PCRE2 engine by driving Debian's `pcre2test` (package pcre2-utils).
 * One process per regex handles every subject of a batch. Subjects are bytes (non-UTF mode), sent as
 * `\xhh` escapes so no byte is reinterpreted or trimmed.
 *
 * Reading captures back: pcre2test prints bytes 32..126 as they are and every other byte as `\xhh`,
 * so a printed `\x41` is ambiguous only when the subject itself holds a backslash (or the text
 * `<unset>`). For those subjects, and whenever offsets are asked for, the run adds `allaftertext`
 * and offsets are recovered exactly by walking the subject's printed widths from its end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Capture {
  start: number;
  end: number;
  bytes: Buffer;
}
/** One match: index 0 is the whole match, then each group (null when unset). */
export type Match = (Capture | null)[];

export interface SubjectResult {
  matches: Match[];
  /** Set when the run was asked for limits (`findLimits`). */
  minMatchLimit?: number;
  minDepthLimit?: number;
  /** pcre2test's error text when the match failed, e.g. "match limit exceeded". */
  error?: string;
}

export interface RunOptions {
  /** Iterate over all matches like Perl's /g (Splunk's search-time REPORT does). Default true. */
  global?: boolean;
  /** Always compute exact offsets (needed by LINE_BREAKER / TIME_PREFIX checks). */
  offsets?: boolean;
  /** Ask pcre2test for the minimum match/depth limits of each subject (linearity checks). */
  findLimits?: boolean;
  /** Cap the match limit: a catastrophic regex then fails with "match limit exceeded". */
  matchLimit?: number;
}

const DELIMITERS = ['/', '!', '"', '#', '%', '&', "'", ',', ';', '=', '@', '~', '`', '|'];

function printedWidth(byte: number): number {
  return byte >= 32 && byte <= 126 ? 1 : 4;
}

function printed(bytes: Buffer): string {
  let out = '';
  for (const b of bytes)
    out += b >= 32 && b <= 126 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** Letters and digits go as they are (pcre2test only interprets backslash escapes); every
 * other byte as \xhh, so whitespace at either end survives and no byte is reinterpreted. */
function escapeSubject(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    out += alnum ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Decodes pcre2test's printed form; only valid when the subject holds no backslash. */
function decodePrinted(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.charAt(i) === '\\' && text.charAt(i + 1) === 'x') {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** Offset where the printed suffix `after` starts in `subject`. */
function offsetOfSuffix(subject: Buffer, afterPrintedLength: number): number {
  let width = 0;
  let k = subject.length;
  while (width < afterPrintedLength) {
    k -= 1;
    if (k < 0) throw new Error('pcre2test output does not fit the subject');
    width += printedWidth(subject[k]!);
  }
  if (width !== afterPrintedLength) throw new Error('pcre2test aftertext does not fit the subject');
  return k;
}

function startBefore(subject: Buffer, end: number, printedLength: number): number {
  let width = 0;
  let k = end;
  while (width < printedLength) {
    k -= 1;
    if (k < 0) throw new Error('pcre2test capture does not fit the subject');
    width += printedWidth(subject[k]!);
  }
  if (width !== printedLength) throw new Error('pcre2test capture does not fit the subject');
  return k;
}

export function pickDelimiter(regex: string): string {
  const d = DELIMITERS.find((c) => !regex.includes(c));
  if (!d) throw new Error(`no pcre2test delimiter free for regex ${regex}`);
  return d;
}

let runCount = 0;
/** How many pcre2test processes this test file started (to keep batching honest). */
export function pcre2RunCount(): number {
  return runCount;
}

/**
 * Matches `regex` against every subject with PCRE2 and returns, per subject, every match with
 * byte offsets. Throws on a compile error, so a broken regex in a .conf file fails the tests.
 */
export function runPcre2(
  regex: string,
  subjects: Buffer[],
  options: RunOptions = {},
): SubjectResult[] {
  const global = options.global ?? true;
  if (regex.includes('\n') || regex.includes('\r')) throw new Error('regex spans lines');
  const delimiter = pickDelimiter(regex);
  const patternMods = ['allcaptures'];
  if (global) patternMods.push('global');
  const needsAfter = subjects.map(
    (s) => options.offsets === true || s.includes(0x5c) || s.includes(Buffer.from('<unset>')),
  );
  let input = `${delimiter}${regex}${delimiter}${patternMods.join(',')}\n`;
  subjects.forEach((s, i) => {
    if (s.length === 0) throw new Error('pcre2test cannot take an empty subject line');
    const mods: string[] = [];
    if (needsAfter[i]) mods.push('allaftertext');
    if (options.findLimits) mods.push('find_limits');
    if (options.matchLimit !== undefined) mods.push(`match_limit=${options.matchLimit}`);
    input += `    ${escapeSubject(s)}${mods.length ? `\\=${mods.join(',')}` : ''}\n`;
  });
  const dir = mkdtempSync(join(tmpdir(), 'cloudhsm-pcre2-'));
  try {
    const inFile = join(dir, 'in.txt');
    const outFile = join(dir, 'out.txt');
    writeFileSync(inFile, input, 'latin1');
    runCount += 1;
    const proc = spawnSync('pcre2test', ['-q', inFile, outFile], { encoding: 'latin1' });
    if (proc.error)
      throw new Error(`cannot run pcre2test (install pcre2-utils): ${proc.error.message}`);
    const output = readFileSync(outFile, 'latin1');
    return parseOutput(output, subjects, needsAfter);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseOutput(output: string, subjects: Buffer[], needsAfter: boolean[]): SubjectResult[] {
  const lines = output.split('\n');
  if (lines.length < 1) throw new Error('empty pcre2test output');
  // Line 0 echoes the pattern; a compile error follows it directly.
  if (lines[1]?.startsWith('Failed: error')) throw new Error(`PCRE2 compile error: ${lines[1]}`);
  const results: SubjectResult[] = [];
  let current: SubjectResult | null = null;
  let subjectIndex = -1;
  let match: Match | null = null;
  // pending printed capture per group, waiting for its "n+" line
  let pending: { group: number; text: string } | null = null;
  const flushPending = (): void => {
    if (!pending || !match || subjectIndex < 0) return;
    if (needsAfter[subjectIndex]) {
      // In aftertext mode only an unset group comes without its "n+" line.
      if (pending.text !== '<unset>') throw new Error('capture without aftertext in offsets mode');
      pending = null;
      return;
    }
    const bytes = decodePrinted(pending.text);
    match[pending.group] = { start: -1, end: -1, bytes };
    pending = null;
  };
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.startsWith('    ')) {
      flushPending();
      subjectIndex += 1;
      current = { matches: [] };
      results.push(current);
      match = null;
      continue;
    }
    if (line === '' && li === lines.length - 1) break;
    if (!current) throw new Error(`unexpected pcre2test output: ${line}`);
    const m = /^ ?(\d+)([:+]) (.*)$/s.exec(line) ?? /^ ?(\d+)([:+])$/.exec(line);
    if (m) {
      const group = Number(m[1]);
      const kind = m[2];
      const text = m[3] ?? '';
      if (kind === ':') {
        flushPending();
        if (group === 0) {
          match = [];
          current.matches.push(match);
        }
        if (!match) throw new Error('capture before match');
        if (text === '<unset>' && !needsAfter[subjectIndex]) {
          match[group] = null;
        } else if (text === '<unset>' && needsAfter[subjectIndex]) {
          // An unset group has no "n+" line; a captured "<unset>" has one. Decide on the next line.
          match[group] = null;
          pending = { group, text };
        } else {
          pending = { group, text };
        }
      } else {
        if (!pending || pending.group !== group || !match)
          throw new Error(`stray aftertext: ${line}`);
        const subject = subjects[subjectIndex]!;
        const end = offsetOfSuffix(subject, text.length);
        const start = startBefore(subject, end, pending.text.length);
        const bytes = subject.subarray(start, end);
        if (printed(bytes) !== pending.text || printed(subject.subarray(end)) !== text) {
          throw new Error('pcre2test capture does not match the subject');
        }
        match[group] = { start, end, bytes: Buffer.from(bytes) };
        pending = null;
      }
      continue;
    }
    flushPending();
    if (line === 'No match') continue;
    let lm = /^Minimum match limit = (\d+)$/.exec(line);
    if (lm) {
      current.minMatchLimit = Number(lm[1]);
      continue;
    }
    lm = /^Minimum depth limit = (\d+)$/.exec(line);
    if (lm) {
      current.minDepthLimit = Number(lm[1]);
      continue;
    }
    if (line.startsWith('Minimum heap limit')) continue;
    if (line.startsWith('Failed: error')) {
      current.error = line.replace(/^Failed: error -?\d+: /, '');
      continue;
    }
    if (line === '') continue;
    throw new Error(`unexpected pcre2test output: ${line.slice(0, 200)}`);
  }
  flushPending();
  if (results.length !== subjects.length) {
    throw new Error(`pcre2test answered ${results.length} subjects of ${subjects.length}`);
  }
  return results;
}
