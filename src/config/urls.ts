/**
 * The one check of the URLs a user configures (endpoint_url and https_proxy, on an input or an
 * account). A URL can carry a password (`http://alice:pw@proxy:3128`), and the text that fails to
 * parse is exactly the text whose password we cannot find: a `/` in the password ends the
 * authority early, a missing scheme turns `alice:` into one. So a problem here is described
 * without ever repeating the text, not even in part; the caller names the argument.
 */

export type UrlKind = 'endpoint' | 'proxy';

const EXAMPLE: Record<UrlKind, string> = {
  endpoint: 'https://host[:port]',
  proxy: 'http://host:port',
};

export const URL_CREDENTIALS_PROBLEM = 'must not contain a user name or password';

/**
 * Why `text` is not an acceptable http(s) URL of this kind, or undefined when it is. A proxy is
 * scheme, host and port only: anything after them (`http://alice:12/s3cret@proxy`) is refused,
 * since no proxy needs a path and such a URL is most likely a password cut in two.
 */
export function httpUrlProblem(
  text: string,
  kind: UrlKind,
  credentialsProblem = URL_CREDENTIALS_PROBLEM,
): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `is not a URL (like ${EXAMPLE[kind]})`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must start with http:// or https:// (like ${EXAMPLE[kind]})`;
  if (url.username !== '' || url.password !== '') return credentialsProblem;
  if (url.hostname === '') return `has no host (like ${EXAMPLE[kind]})`;
  if (kind === 'proxy' && (url.pathname !== '/' || url.search !== '' || url.hash !== ''))
    return `must be a scheme, host and port only, without a path (like ${EXAMPLE.proxy})`;
  return undefined;
}
