/** parseAccount: each bad stanza value is named, with how to fix it. */

import { parseAccount } from '../../src/splunkd/account';
import { Secret } from '../../src/splunkd/secret';
import { SplunkdError } from '../../src/splunkd/errors';

const ok = { auth_type: 'default_chain' };

describe('parseAccount', () => {
  it.each([
    ['auth_type', { auth_type: 'iam_user' }, 'auth_type must be access_key or default_chain'],
    [
      'access_key_id missing',
      { auth_type: 'access_key' },
      'access_key_id is required when auth_type = access_key',
    ],
    [
      'access_key_id malformed',
      { auth_type: 'access_key', access_key_id: 'not a key' },
      'access_key_id is not an AWS access key id',
    ],
    [
      'role_arn',
      { ...ok, role_arn: 'arn:aws:iam::12345:user/x' },
      'role_arn is not an IAM role ARN',
    ],
    [
      'external_id without role',
      { ...ok, external_id: 'abc' },
      'external_id is set without role_arn',
    ],
    [
      'external_id too short',
      { ...ok, role_arn: 'arn:aws:iam::123456789012:role/r', external_id: 'a' },
      'external_id must be',
    ],
    ['role_session_name', { ...ok, role_session_name: 'has space' }, 'role_session_name must be'],
    [
      'endpoint_url',
      { ...ok, endpoint_url: 'ftp://x' },
      'endpoint_url must start with http:// or https://',
    ],
    ['https_proxy not a URL', { ...ok, https_proxy: 'proxy:3128x' }, 'https_proxy must start with'],
  ])('names %s', (_label, content, text) => {
    let caught: unknown;
    try {
      parseAccount('prod', content, new Secret('s'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SplunkdError);
    expect((caught as SplunkdError).code).toBe('ACCOUNT_INVALID');
    expect((caught as SplunkdError).message).toContain(`account "prod": ${text}`);
    expect((caught as SplunkdError).message).toContain('setup page');
  });

  it.each([
    ['https_proxy', 'alice:s3cr/et@proxy.corp:3128', 'must start with'],
    ['https_proxy', 'http://alice:s3cr/et@proxy.corp:3128', 'is not a URL'],
    ['https_proxy', 'http://alice:12/s3cret@proxy.corp:3128', 'path'],
    ['endpoint_url', 'https://alice:s3cr/et@logs.internal', 'is not a URL'],
  ])('refuses %s %j naming the key, never echoing the URL', (key, value, problem) => {
    let caught: unknown;
    try {
      parseAccount('prod', { ...ok, [key]: value });
    } catch (err) {
      caught = err;
    }
    expect((caught as SplunkdError).code).toBe('ACCOUNT_INVALID');
    const message = (caught as SplunkdError).message;
    expect(message).toContain(`account "prod": ${key} `);
    expect(message).toContain(problem);
    for (const part of ['s3cr', 'alice', 'proxy.corp', 'logs.internal'])
      expect({ part, echoed: message.includes(part) }).toEqual({ part, echoed: false });
  });

  it('treats empty values as absent and trims the rest', () => {
    expect(
      parseAccount('prod', {
        auth_type: ' default_chain ',
        role_arn: '',
        external_id: '',
        role_session_name: '',
        endpoint_url: ' ',
        disabled: '0',
      }),
    ).toEqual({
      name: 'prod',
      authType: 'default_chain',
      roleSessionName: 'splunk-cloudhsm-audit',
    });
  });

  it('accepts GovCloud and China role ARNs', () => {
    for (const arn of [
      'arn:aws-us-gov:iam::123456789012:role/a/b',
      'arn:aws-cn:iam::123456789012:role/r',
    ]) {
      expect(parseAccount('x', { ...ok, role_arn: arn }).roleArn).toBe(arn);
    }
  });
});
