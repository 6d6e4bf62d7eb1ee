/**
 * What kind of Splunk host runs the input, as splunkd's REST API tells it, for
 * `checkpoint_store = auto`:
 *
 * - `GET /services/server/info`: `server_roles` holds `shc_member` (or `shc_captain` on the
 *   captain) on a search head cluster member; `instance_type` is `cloud` on Splunk Cloud Platform
 *   (as Splunk's own solnlib reads them).
 * - `GET /services/shcluster/member/info`: answers 200 on a search head cluster member, 503 ("not
 *   enabled") elsewhere; asked only when the roles do not already say so.
 *
 * When splunkd cannot be asked, the answer says why instead of guessing. A refused connection is
 * not retried (nothing listens at server_uri: the management port is off, so there is no KV store
 * to use either); a timeout or a 5xx is asked once more.
 */

import type { Logger, SplunkdSession } from '../collector/ports';
import { SplunkdError } from '../splunkd/errors';
import { SplunkdRest, type SplunkdResponse } from '../splunkd/rest';

export type Deployment =
  | { kind: 'shc_member'; evidence: string }
  | { kind: 'cloud'; evidence: string }
  | { kind: 'other'; evidence: string }
  | { kind: 'unknown'; problem: string };

const SHC_ROLES = ['shc_member', 'shc_captain'];

export async function detectDeployment(
  session: SplunkdSession,
  logger: Logger,
  signal?: AbortSignal,
): Promise<Deployment> {
  const rest = new SplunkdRest(session, logger, { retries: 0 });
  const get = async (path: string): Promise<SplunkdResponse> => {
    try {
      return await rest.getJson(path, signal);
    } catch (err) {
      const refused = err instanceof SplunkdError && err.causeCode === 'ECONNREFUSED';
      const answered = err instanceof SplunkdError && err.status === 503;
      if (signal?.aborted || refused || answered) throw err;
      await new Promise((r) => setTimeout(r, 500));
      return rest.getJson(path, signal);
    }
  };
  try {
    const info = await get('/services/server/info?output_mode=json');
    const content = (info.json as { entry?: { content?: Record<string, unknown> }[] } | undefined)
      ?.entry?.[0]?.content;
    if (info.status !== 200 || !content)
      return {
        kind: 'unknown',
        problem: `server/info answered HTTP ${info.status} without server info`,
      };
    const roles = Array.isArray(content.server_roles) ? content.server_roles.map(String) : [];
    const instanceType = typeof content.instance_type === 'string' ? content.instance_type : '';
    const evidence = `server_roles=${roles.join(',') || '(none)'} instance_type=${instanceType || '(none)'}`;
    if (roles.some((r) => SHC_ROLES.includes(r))) return { kind: 'shc_member', evidence };
    if (instanceType === 'cloud') return { kind: 'cloud', evidence };
    // 503 "not enabled" is the answer of a host outside a cluster: a status, not a failure.
    const member = await get('/services/shcluster/member/info?output_mode=json').catch(
      (err: unknown) => {
        if (err instanceof SplunkdError && err.status !== undefined) return { status: err.status };
        throw err;
      },
    );
    if (member.status === 200)
      return { kind: 'shc_member', evidence: `${evidence}; shcluster/member/info answered 200` };
    return { kind: 'other', evidence };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { kind: 'unknown', problem: (err as Error).message };
  } finally {
    rest.close();
  }
}
