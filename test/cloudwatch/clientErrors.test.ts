/** describeError: table-driven over the SDK's modeled exceptions (via aws-sdk-client-mock) and raw network errors. */

import {
  AccessDeniedException,
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  UnrecognizedClientException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import util from 'node:util';
import { createLogsClient } from '../../src/cloudwatch/client';
import { describeError, redact } from '../../src/cloudwatch/errors';
import { Secret } from '../../src/splunkd/secret';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'x' });
const logsMock = mockClient(CloudWatchLogsClient);

function sdkError(
  name: string,
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

afterEach(() => logsMock.reset());

describe('describeError on modeled CloudWatch Logs exceptions', () => {
  const cases: [
    string,
    Error,
    { code: string; retryable: boolean; throttled: boolean; hint?: RegExp },
  ][] = [
    [
      'throttling',
      new ThrottlingException({ ...meta(400), message: 'Rate exceeded' }),
      { code: 'ThrottlingException', retryable: true, throttled: true, hint: /rate quota/ },
    ],
    [
      'service unavailable',
      new ServiceUnavailableException({ ...meta(503), message: 'try later' }),
      { code: 'ServiceUnavailableException', retryable: true, throttled: false },
    ],
    [
      'deleted log group',
      new ResourceNotFoundException({
        ...meta(400),
        message: 'The specified log group does not exist.',
      }),
      { code: 'ResourceNotFoundException', retryable: false, throttled: false, hint: /deleted/ },
    ],
    [
      'missing permission',
      new AccessDeniedException({
        ...meta(400),
        message: 'not authorized to perform: logs:GetLogEvents',
      }),
      { code: 'AccessDeniedException', retryable: false, throttled: false, hint: /IAM policy/ },
    ],
    [
      'unknown key',
      new UnrecognizedClientException({
        ...meta(400),
        message: 'The security token included in the request is invalid.',
      }),
      {
        code: 'UnrecognizedClientException',
        retryable: false,
        throttled: false,
        hint: /setup page/,
      },
    ],
    [
      'bad request',
      new InvalidParameterException({ ...meta(400), message: 'bad token' }),
      { code: 'InvalidParameterException', retryable: false, throttled: false },
    ],
  ];

  it.each(cases)('%s', async (_label, error, want) => {
    logsMock.on(DescribeLogStreamsCommand).rejects(error);
    const client = createLogsClient({
      region: 'eu-west-1',
      account: {
        name: 'prod',
        authType: 'access_key',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: new Secret(SECRET),
        roleSessionName: 'splunk-cloudhsm-audit',
      },
      logger: { log: () => undefined },
    });
    const err = await client
      .send(new DescribeLogStreamsCommand({ logGroupName: '/aws/cloudhsm/cluster-abc' }))
      .catch((e: unknown) => e);
    expect(logsMock).toHaveReceivedCommandWith(DescribeLogStreamsCommand, {
      logGroupName: '/aws/cloudhsm/cluster-abc',
    });
    const described = describeError(err);
    expect(described).toMatchObject({
      code: want.code,
      retryable: want.retryable,
      throttled: want.throttled,
    });
    expect(described.message.startsWith(`${want.code} (HTTP `)).toBe(true);
    if (want.hint) expect(described.message).toMatch(want.hint);
    client.destroy();
  });
});

describe('describeError on other errors', () => {
  it.each([
    [
      'expired session token',
      sdkError(
        'ExpiredTokenException',
        400,
        'The security token included in the request is expired',
      ),
      'ExpiredTokenException',
      true,
      false,
    ],
    ['unmodeled 5xx', sdkError('Unknown', 502, 'Bad Gateway'), 'Unknown', true, false],
    ['HTTP 429', sdkError('Unknown', 429, 'Too Many Requests'), 'Unknown', true, true],
    [
      'SDK-marked throttling',
      sdkError('Whatever', 400, 'slow', { $retryable: { throttling: true } }),
      'Whatever',
      true,
      true,
    ],
    [
      'connection reset',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'ECONNRESET',
      true,
      false,
    ],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
      'ECONNREFUSED',
      true,
      false,
    ],
    [
      'DNS failure',
      Object.assign(new Error('getaddrinfo EAI_AGAIN logs.eu-west-1.amazonaws.com'), {
        code: 'EAI_AGAIN',
      }),
      'EAI_AGAIN',
      true,
      false,
    ],
    [
      'request timeout',
      Object.assign(new Error('exceeded 20000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
      'TimeoutError',
      true,
      false,
    ],
    [
      'TLS rejection',
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      false,
      false,
    ],
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'CredentialsProviderError',
      false,
      false,
    ],
    [
      'aborted',
      Object.assign(new Error('The operation was aborted'), {
        name: 'AbortError',
        code: 'ABORT_ERR',
      }),
      'AbortError',
      false,
      false,
    ],
  ])('%s', (_label, err, code, retryable, throttled) => {
    expect(describeError(err)).toMatchObject({ code, retryable, throttled });
  });

  it('describes non-errors', () => {
    expect(describeError('boom')).toEqual({
      code: 'Unknown',
      message: 'boom',
      retryable: false,
      throttled: false,
    });
    expect(describeError(undefined).code).toBe('Unknown');
  });
});

describe('describeError never prints secrets', () => {
  it('redacts keys, tokens and signatures from AWS messages, and any secret given', () => {
    const token = 'FwoGZXIvYXdzEXAMPLEsessionTOKENvalueThatIsLongEnough0123456789';
    const err = sdkError(
      'SignatureDoesNotMatch',
      403,
      `The request signature we calculated does not match. Credential=AKIAIOSFODNN7EXAMPLE/20261127/eu-west-1/logs/aws4_request ` +
        `Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7 token=${token} key=${SECRET}`,
    );
    const d = describeError(err);
    for (const leaked of [
      token,
      SECRET,
      'AKIAIOSFODNN7EXAMPLE',
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    ]) {
      expect(d.message).not.toContain(leaked);
    }
    expect(d).toMatchObject({ code: 'SignatureDoesNotMatch', retryable: false });
    expect(d.message).toMatch(/check the account on the setup page/);
    expect(describeError(new Error('short pw hunter2 in text'), ['hunter2']).message).not.toContain(
      'hunter2',
    );
    expect(util.inspect(d)).not.toContain(SECRET);
  });

  it('keeps log group names and ordinary text readable', () => {
    expect(
      redact('The specified log group /aws/cloudhsm/cluster-jxhlf7644ne does not exist.'),
    ).toBe('The specified log group /aws/cloudhsm/cluster-jxhlf7644ne does not exist.');
  });

  it('keeps a long AWS message to one bounded line', () => {
    const d = describeError(sdkError('InvalidParameterException', 400, 'word '.repeat(500)));
    expect(d.message.length).toBeLessThan(300);
    expect(d.message).not.toContain('\n');
  });
});
