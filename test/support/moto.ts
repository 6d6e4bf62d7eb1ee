/**
 * Starts a real moto server (a CloudWatch Logs implementation in Python, `moto[server]` 5.2.5 from
 * the project's `.venv`) for one jest test file, and stops it afterwards.
 *
 *   const moto = await startMoto();      // in beforeAll
 *   new CloudWatchLogsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: ... });
 *   await moto.reset();                  // between tests: drops every log group
 *   await moto.stop();                   // in afterAll
 *
 * The server binds port 0 on loopback and we read the port it chose from its own start-up line,
 * so two test files (or two engineers) never race for a port.
 *
 * ## How moto 5.2.5's CloudWatch Logs behaves (found by reading moto/logs and by the experiments
 * ## pinned in test/support/moto.test.ts; the collector's design depends on these facts)
 *
 * Requests and credentials
 * - Any credentials are accepted (no signature check). But the request MUST carry a SigV4
 *   `Authorization` header: moto picks the service from its credential scope, and a request
 *   without one is routed to S3 (answers `<ListAllMyBucketsResult>` XML). The AWS SDK always signs.
 * - Werkzeug answers every request with `Connection: close`: no keep-alive, one TCP connection
 *   per call. Errors are JSON 1.1: HTTP 400, header `X-Amzn-ErrorType: <Name>`, body
 *   `{"__type": "<Name>", "message": "..."}`; the SDK surfaces `error.name === '<Name>'`.
 * - Missing log group (any API) or stream on GetLogEvents: `ResourceNotFoundException`,
 *   message "The specified log group does not exist." (the same text for a missing stream on
 *   GetLogEvents; PutLogEvents to a missing stream says "The specified log stream does not exist.").
 * - `POST /moto-api/reset` clears every backend (all regions, all accounts).
 * - State is per region: a group created with region us-east-1 is invisible with eu-west-1.
 * - The server is threaded (one thread per request) and the logs backend takes no locks; the
 *   GIL keeps single puts and reads whole, but nothing orders concurrent calls.
 *
 * PutLogEvents
 * - Events of ONE request must be in timestamp order, else `InvalidParameterException` ("Log events
 *   in a single PutLogEvents request must be in chronological order."). Across requests anything
 *   goes: a later request may carry earlier timestamps (that is how we simulate late ingestion).
 * - Events older than 14 days or more than 2 hours in the future (relative to the server's wall
 *   clock) are NOT stored, silently: the response has `rejectedLogEventsInfo`
 *   (`tooOldLogEventEndIndex` / `tooNewLogEventStartIndex`) and HTTP 200. A simulator must
 *   therefore write timestamps near "now".
 * - No sequence token check, no 10,000-event / 1 MB / 24 h batch checks (real AWS has them; the
 *   simulator enforces them itself). `ingestionTime` = the server clock at the put, in ms.
 *
 * GetLogEvents
 * - The stream's events are sorted by `timestamp` (stable: equal timestamps keep put order) and
 *   filtered by startTime/endTime, BOTH INCLUSIVE, on every call. Tokens are positions in that
 *   sorted, filtered list: `f/<index, 56 digits>` (forward, index of the last event returned) and
 *   `b/<index>` (backward, index of the first). Because they are positions, not identities:
 *   a late-put event with an earlier timestamp shifts everything after it by one, so re-reading
 *   with an old forward token returns the previous last event AGAIN and never the late one.
 *   Reading again from a startTime at or before the late event's timestamp does return it.
 *   (Real CloudWatch tokens are opaque; a collector must de-duplicate by Sequence No anyway.)
 * - `limit` default 10,000, max 10,000 (more → InvalidParameterException). Without a token and
 *   without `startFromHead: true` it returns the LAST `limit` events (tail), as AWS does.
 * - At the end of the stream it returns an empty page and the SAME `nextForwardToken` that was sent.
 *   New events appended later are returned when that token is sent again. An empty stream answers
 *   `f/-000…01` with startFromHead and `f/000…00` without (the latter then SKIPS the first event
 *   once it arrives: index 0 counts as read). `startTime: 0` counts as "not set".
 *
 * FilterLogEvents
 * - Default and max `limit` 10,000. `nextToken` = `<group>@<stream>@<eventId>` of the last event
 *   of the page, absent on the last page. Event ids are a global counter as strings ("0", "1", …).
 * - Without `interleaved` events come stream by stream (streams in creation order), each stream
 *   sorted by timestamp; with `interleaved: true` sorted by timestamp across streams. (AWS ignores
 *   `interleaved` nowadays and always interleaves.) Since the token names an event, a late event
 *   sorted before the token's event is skipped by the continuing pagination.
 * - An invalid or stale nextToken (event not found) answers an EMPTY page without a token, no error.
 * - `logStreamNamePrefix` is ignored; `logStreamNames` works. filterPattern: plain words (`a b`)
 *   must all occur as substrings, a quoted phrase must occur; any other syntax (JSON, `?term`,
 *   `[…]`) matches every event.
 * - `searchedLogStreams` lists every stream with `searchedCompletely: true`.
 *
 * What the AWS SDK v3 client does in front of it (pinned in test/support/faultProxy.test.ts)
 * - A response cut mid-body is retried by the SDK; for PutLogEvents the retry stores the batch a
 *   SECOND time (moto ran the first call): CloudWatch can hold one record twice, so readers must
 *   de-duplicate by (stream, Sequence No). The simulator's `duplicates` option reproduces it.
 * - @smithy/node-http-handler 4.x: `requestTimeout` only logs a WARN on console unless the handler
 *   is built with `throwOnRequestTimeout: true`; then the SDK raises TimeoutError (ETIMEDOUT).
 * - Under jest, network errors (ECONNRESET, ECONNREFUSED) come from Node's own realm, fail the
 *   SDK's `instanceof Error`, and reach the test as a plain Error "AWS SDK error wrapper for …"
 *   without `code`: match the message in jest; a separate process (the launcher) sees `code`.
 *   The SDK still retries them.
 *
 * DescribeLogGroups / DescribeLogStreams
 * - `limit` default 50, max 50 (more → InvalidParameterException). `logGroupNamePrefix` and
 *   `logStreamNamePrefix` filter by prefix. Groups sorted by name; streams by name (default
 *   `orderBy: LogStreamName`) or by lastEventTimestamp. Streams' nextToken is `<group>@<stream>`;
 *   groups' is an opaque base64 token; absent on the last page.
 * - DescribeLogStreams reports firstEventTimestamp / lastEventTimestamp / lastIngestionTime exactly
 *   (not eventually consistent as in AWS) and only once the stream has events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` option. */
  endpoint: string;
  /** Stops the server; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Drops every log group and stream (moto's `POST /moto-api/reset`). */
  reset(): Promise<void>;
}

/** The repository root: the first folder upwards from this file holding package.json. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('moto: cannot find the repository root (no package.json above test/support)');
    dir = parent;
  }
  return dir;
}

/** How long moto may take to start: its imports take 2–5 s on a busy machine. */
const START_TIMEOUT_MS = 60_000;

export interface MotoOptions {
  /** The Python virtual environment holding moto; default `.venv` at the repository root. */
  venv?: string;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const root = repositoryRoot();
  const binary = path.join(options.venv ?? path.join(root, '.venv'), 'bin', 'moto_server');
  if (!existsSync(binary)) {
    throw new Error(`moto: ${path.relative(root, binary)} is missing; run bash scripts/setup.sh`);
  }
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  // Keep draining moto's request log so a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(endpoint);
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto: reset answered HTTP ${response.status}`);
    },
  };
}

/** Reads moto's " * Running on http://127.0.0.1:<port>" line (Werkzeug prints it on stderr). */
function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`moto: did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = (code: number | null) =>
      finish(new Error(`moto: exited with code ${code} before listening:\n${output}`));
    const onError = (error: Error) =>
      finish(new Error(`moto: cannot start (${error.message}); run bash scripts/setup.sh`));
    function finish(error?: Error, port?: number) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(port as number);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** The port is bound once the line is printed; one request confirms the app answers. */
async function waitUntilReady(endpoint: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) {
        await response.arrayBuffer();
        return;
      }
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto: ${endpoint} never answered: ${String(lastError)}`);
}
