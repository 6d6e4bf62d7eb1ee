/**
 * Node prints process warnings (deprecations, the AWS SDK's Node version notice) as several
 * unprefixed lines on stderr, which splunkd would log as ERRORs. Imported first by main.ts, this
 * replaces Node's default printer with one `WARN` line per warning, written straight to stderr
 * (the logger is not built yet at import time).
 */

import { formatLine } from './logger';

process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  process.stderr.write(
    `${formatLine('WARN', `node: ${warning.name}: ${warning.message}`, { code: warning.code })}\n`,
  );
});
