/**
 * `--validate-arguments`: splunkd sends `<items>` when an input is created or edited; any error is
 * printed as `<error><message>…</message></error>` (splunkd shows the message to the user) and the
 * process exits non-zero. Each message names the argument. After the arguments pass, an optional
 * injected `probe` (AWS access check) can still refuse the input.
 */

import type { SplunkdSession } from '../collector/ports';
import type { InputConfig } from '../config/inputConfig';
import { parseInputConfig } from '../config/validate';
import { parseItemsDocument } from './stdinXml';
import { escapeXml } from './xmlText';

/** Checks that the input can work (e.g. AWS access); returns an error message or undefined. */
export type Probe = (config: InputConfig, session: SplunkdSession) => Promise<string | undefined>;

export interface ValidationOutcome {
  /** `<error><message>…</message></error>` or empty. */
  stdout: string;
  /** The refusal in plain text, for the log. */
  message?: string;
  exitCode: number;
}

export function errorXml(message: string): string {
  return `<error><message>${escapeXml(message)}</message></error>\n`;
}

const failure = (message: string): ValidationOutcome => ({
  stdout: errorXml(message),
  exitCode: 1,
});

export async function validateItems(
  xml: string,
  nowMs: number,
  probe?: Probe,
): Promise<ValidationOutcome> {
  let doc;
  try {
    doc = parseItemsDocument(xml);
  } catch (err) {
    return failure(`cannot read the input definition from splunkd: ${(err as Error).message}`);
  }
  if (doc.entries.length === 0)
    return failure('splunkd sent no input definition (<item>) to validate');

  const configs: InputConfig[] = [];
  for (const item of doc.entries) {
    const result = parseInputConfig({ ...item.params, name: item.name }, nowMs);
    if (!result.ok) return failure(result.errors.map((e) => e.message).join('; '));
    configs.push(result.config);
  }
  if (probe) {
    for (const config of configs) {
      let message: string | undefined;
      try {
        message = await probe(config, doc.session);
      } catch (err) {
        message = `could not check AWS access: ${(err as Error).message}`;
      }
      if (message !== undefined && message !== '') return failure(message);
    }
  }
  return { stdout: '', exitCode: 0 };
}
