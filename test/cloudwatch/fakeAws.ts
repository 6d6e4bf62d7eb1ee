/**
 * Loopback fakes for the real-HTTP client tests: a CloudWatch Logs endpoint (JSON 1.1), an STS
 * endpoint answering AssumeRole in its XML shape, a CONNECT proxy that records its tunnels, and an
 * independent SigV4 verifier (node:crypto, not the SDK's signer).
 */

import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Responder = (req: RecordedRequest, res: http.ServerResponse) => void;

async function listen(
  server: http.Server,
  sockets: Set<net.Socket>,
): Promise<{ url: string; close(): Promise<void> }> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server that records each request (with body) and hands it to `respond`. */
export async function startRecordingServer(respond: Responder): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      respond(recorded, res);
    });
  });
  const { url, close } = await listen(server, new Set());
  return { url, requests, close };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': crypto.randomUUID(),
  });
  res.end(JSON.stringify(body));
}

/** CloudWatch Logs: DescribeLogGroups answers one CloudHSM group; anything else is an error. */
export const logsResponder: Responder = (req, res) => {
  if (req.headers['x-amz-target'] === 'Logs_20140328.DescribeLogGroups') {
    return sendJson(res, 200, {
      logGroups: [
        {
          logGroupName: '/aws/cloudhsm/cluster-abc',
          arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/cloudhsm/cluster-abc:*',
        },
      ],
    });
  }
  return sendJson(res, 400, { __type: 'InvalidParameterException', message: 'unexpected target' });
};

export interface StsFake extends FakeServer {
  /** Parsed form bodies of AssumeRole calls. */
  assumeRoles: URLSearchParams[];
}

/** STS: AssumeRole answers temporary credentials valid for `validForMs` from now. */
export async function startFakeSts(
  issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  validForMs = 3600_000,
): Promise<StsFake> {
  const assumeRoles: URLSearchParams[] = [];
  const server = await startRecordingServer((req, res) => {
    const form = new URLSearchParams(req.body);
    if (form.get('Action') !== 'AssumeRole') {
      res.writeHead(400, { 'Content-Type': 'text/xml' });
      return res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>no</Message></Error></ErrorResponse>',
      );
    }
    assumeRoles.push(form);
    const expiration = new Date(Date.now() + validForMs).toISOString();
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:${form.get('RoleSessionName')}</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/CloudHsmAuditReader/${form.get('RoleSessionName')}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>
      <SessionToken>${issued.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  });
  return { ...server, assumeRoles };
}

export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT tunnel opened. */
  tunnels: string[];
  close(): Promise<void>;
}

/** A CONNECT proxy (what hpagent speaks for http and https targets) that records its tunnels. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    sockets.add(client);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  const { url, close } = await listen(server, sockets);
  return { url, tunnels, close };
}

const sha256 = (data: string) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key: crypto.BinaryLike, data: string) =>
  crypto.createHmac('sha256', key).update(data).digest();

/**
 * Recomputes the SigV4 signature of a recorded request with `secret` and returns the parsed
 * Authorization header, or throws saying what does not match.
 */
export function verifySigV4(
  req: RecordedRequest,
  secret: string,
): { accessKeyId: string; region: string; service: string; signedHeaders: string[] } {
  const auth = req.headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) throw new Error(`not a SigV4 Authorization header: ${auth.slice(0, 40)}`);
  const [, accessKeyId, day, region, service, signed, signature] = m as unknown as string[];
  const signedHeaders = signed!.split(';');
  const url = new URL(req.url, 'http://x');
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const headerValue = (h: string) => {
    const v = req.headers[h];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonical = [
    req.method,
    url.pathname,
    query,
    signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join(''),
    signed,
    (req.headers['x-amz-content-sha256'] as string | undefined) ?? sha256(req.body),
  ].join('\n');
  const amzDate = req.headers['x-amz-date'] as string;
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  const expected = crypto.createHmac('sha256', key).update(toSign).digest('hex');
  if (expected !== signature)
    throw new Error('SigV4 signature does not match the configured secret');
  return { accessKeyId: accessKeyId!, region: region!, service: service!, signedHeaders };
}
