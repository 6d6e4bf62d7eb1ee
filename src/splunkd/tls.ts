/**
 * How this process trusts splunkd's management port: the one TLS decision for every request to
 * splunkd (accounts and secrets now, KV store later), made once per process.
 *
 * - The chain is always verified, against the CA splunkd itself is configured with: server.conf
 *   `[sslConfig] sslRootCAPath`, else `caCertFile` (default `cacert.pem`) under `caPath` (default
 *   `$SPLUNK_HOME/etc/auth`), as server.conf.spec defines them. Only that CA is trusted, not the
 *   system's public ones.
 * - The host name is checked only when `cliVerifyServerName = true`: the setting with which an
 *   admin says local clients of splunkd (the CLI) can check the names in splunkd's certificate.
 *   By default they cannot: server_uri is `https://127.0.0.1:8089` and splunkd's default
 *   certificate is issued to "SplunkServerDefaultCert".
 * - When no CA can be found (no SPLUNK_HOME, no file, no certificate in it), TLS stays encrypted
 *   but unverified, with one WARN that says what to configure.
 */

import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Logger } from '../collector/ports';
import { SplunkdError } from './errors';
import { isTrue, readSslConfig } from './sslConfig';

export interface SplunkdTls {
  /** PEM certificates splunkd's chain must end in; undefined: not verified (a WARN said why). */
  readonly ca?: string;
  /** Where `ca` came from, for messages; set even when the file could not be used. */
  readonly caFile?: string;
  readonly checkHostName: boolean;
}

const CONFIGURE =
  "set sslRootCAPath in server.conf [sslConfig] to the PEM file of the CA that issued splunkd's certificate";

/** `$SPLUNK_HOME` and `$SPLUNK_ETC` in a server.conf path, as splunkd expands them. */
function expand(value: string, home: string, etc: string): string {
  return value.replace(/\$SPLUNK_HOME|\$SPLUNK_ETC/g, (v) => (v === '$SPLUNK_HOME' ? home : etc));
}

/** The PEM text if the file holds at least one certificate, else why not. */
function readCa(file: string): { pem: string } | { problem: string } {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return {
      problem: `cannot read the CA file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    for (const block of blocks) new X509Certificate(block);
  } catch {
    return { problem: 'the CA file holds a certificate that does not parse' };
  }
  return blocks.length > 0 ? { pem } : { problem: 'the CA file holds no PEM certificate' };
}

/** Decides from splunkd's configuration under `env.SPLUNK_HOME`; logs one INFO or one WARN. */
export function chooseSplunkdTls(env: NodeJS.ProcessEnv, logger: Logger): SplunkdTls {
  const home = env.SPLUNK_HOME?.trim();
  if (!home) {
    logger.log(
      'WARN',
      `splunkd TLS: certificate NOT verified: SPLUNK_HOME is not set, so splunkd's CA cannot be found: run the input under splunkd, or ${CONFIGURE}`,
    );
    return { checkHostName: false };
  }
  const etc = env.SPLUNK_ETC?.trim() || path.join(home, 'etc');
  const ssl = readSslConfig(etc);
  const caPath = path.resolve(
    home,
    expand(ssl.get('caPath') || '$SPLUNK_HOME/etc/auth', home, etc),
  );
  const root = ssl.get('sslRootCAPath');
  const setting = root ? 'sslRootCAPath' : 'caCertFile';
  const caFile = path.resolve(
    caPath,
    expand(root || ssl.get('caCertFile') || 'cacert.pem', home, etc),
  );
  const checkHostName = isTrue(ssl.get('cliVerifyServerName'));
  const ca = readCa(caFile);
  if ('problem' in ca) {
    logger.log('WARN', `splunkd TLS: certificate NOT verified: ${ca.problem}: ${CONFIGURE}`, {
      ca_file: caFile,
      from: setting,
    });
    return { caFile, checkHostName: false };
  }
  logger.log('INFO', "splunkd TLS: verifying splunkd's certificate against its CA", {
    ca_file: caFile,
    from: setting,
    host_name_check: checkHostName,
  });
  return { ca: ca.pem, caFile, checkHostName };
}

let processTls: SplunkdTls | undefined;

/** The process's decision: made (and logged) on first use only. */
export function splunkdTls(logger: Logger): SplunkdTls {
  processTls ??= chooseSplunkdTls(process.env, logger);
  return processTls;
}

/** The agent for requests to `origin` (server_uri's): `tls` is the decision for https. */
export function splunkdAgent(origin: URL, tls: SplunkdTls): http.Agent {
  const pool = { keepAlive: true, maxSockets: 2 };
  if (origin.protocol !== 'https:') return new http.Agent(pool);
  if (tls.ca === undefined) return new https.Agent({ ...pool, rejectUnauthorized: false });
  return new https.Agent({
    ...pool,
    ca: tls.ca,
    rejectUnauthorized: true,
    // Chain only: see the header for why the name is checked only on request.
    ...(tls.checkHostName ? {} : { checkServerIdentity: () => undefined }),
  });
}

/** OpenSSL's certificate verification codes, and Node's for a host name mismatch. */
const VERIFY_FAILURE =
  /^(CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** The error for a refused certificate, or undefined when `code` is not a verification failure. */
export function tlsRefusal(code: string, origin: URL, tls: SplunkdTls): SplunkdError | undefined {
  if (!VERIFY_FAILURE.test(code)) return undefined;
  const message =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH'
      ? `splunkd's TLS certificate does not name ${origin.hostname}, the host of server_uri (${code}), and server.conf [sslConfig] cliVerifyServerName = true asks for that check: issue splunkd's certificate for that name, or set cliVerifyServerName = false`
      : `splunkd's TLS certificate does not verify against the CA in ${tls.caFile ?? '(none)'} (${code}): ${CONFIGURE}`;
  return new SplunkdError('TLS_UNTRUSTED', message, { causeCode: code });
}
