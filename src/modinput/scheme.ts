/**
 * The scheme XML splunkd asks for with `--scheme`: every argument from src/config/arguments.ts,
 * external validation on (bad arguments are refused when an input is created), one process per
 * stanza (use_single_instance false), XML streaming.
 */

import { ARGUMENTS, type ArgumentSpec } from '../config/arguments';
import { escapeXml } from './xmlText';

export const SCHEME_TITLE = 'AWS CloudHSM Audit';
export const SCHEME_DESCRIPTION =
  'Collects AWS CloudHSM audit logs from CloudWatch Logs, across regions and accounts, ' +
  'and checks that every HSM audit trail is complete.';

function renderArg(arg: ArgumentSpec): string {
  return [
    `      <arg name="${escapeXml(arg.name)}">`,
    `        <title>${escapeXml(arg.title)}</title>`,
    `        <description>${escapeXml(arg.description)}</description>`,
    `        <data_type>${arg.dataType}</data_type>`,
    `        <required_on_create>${arg.requiredOnCreate}</required_on_create>`,
    `        <required_on_edit>${arg.requiredOnEdit}</required_on_edit>`,
    '      </arg>',
  ].join('\n');
}

export function renderScheme(args: readonly ArgumentSpec[] = ARGUMENTS): string {
  return [
    '<scheme>',
    `  <title>${escapeXml(SCHEME_TITLE)}</title>`,
    `  <description>${escapeXml(SCHEME_DESCRIPTION)}</description>`,
    '  <use_external_validation>true</use_external_validation>',
    '  <use_single_instance>false</use_single_instance>',
    '  <streaming_mode>xml</streaming_mode>',
    '  <endpoint>',
    '    <args>',
    ...args.map(renderArg),
    '    </args>',
    '  </endpoint>',
    '</scheme>',
    '',
  ].join('\n');
}
