/**
 * Certificates for the fake splunkd, made at test time by the openssl CLI in a temp folder (no
 * private key is ever committed): a CA, and server certificates it issues the way splunkd's are,
 * for "SplunkServerDefaultCert" (which no server_uri host matches), optionally also naming an IP.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Pem {
  key: string;
  cert: string;
}

/** splunkd's default server certificate's common name. */
export const SPLUNK_DEFAULT_CN = 'SplunkServerDefaultCert';

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function inTemp<T>(work: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-pki-'));
  try {
    return work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

export function makeCa(name: string): Pem {
  return inTemp((dir) => {
    const [key, cert] = [path.join(dir, 'ca.key'), path.join(dir, 'ca.pem')];
    openssl([
      'req',
      '-x509',
      ...EC,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  });
}

/** A server certificate issued by `ca` for `commonName`, with `altNames` (`IP:…`, `DNS:…`) if any. */
export function issueServerCert(ca: Pem, commonName: string, altNames: string[] = []): Pem {
  return inTemp((dir) => {
    const file = (name: string) => path.join(dir, name);
    fs.writeFileSync(file('ca.key'), ca.key);
    fs.writeFileSync(file('ca.pem'), ca.cert);
    const ext = ['basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth'];
    if (altNames.length > 0) ext.push(`subjectAltName=${altNames.join(',')}`);
    fs.writeFileSync(file('ext.cnf'), `${ext.join('\n')}\n`);
    openssl(
      ['req', '-new', ...EC, '-subj', `/CN=${commonName}`, '-keyout', file('srv.key')].concat([
        '-out',
        file('srv.csr'),
      ]),
    );
    openssl([
      'x509',
      '-req',
      '-in',
      file('srv.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      String(Date.now()),
      '-days',
      '1',
      '-extfile',
      file('ext.cnf'),
      '-out',
      file('srv.pem'),
    ]);
    return {
      key: fs.readFileSync(file('srv.key'), 'utf8'),
      cert: fs.readFileSync(file('srv.pem'), 'utf8'),
    };
  });
}
