/**
 * Component-test harness: the fake splunkd behind msw (`onUnhandledRequest: 'error'`, so a
 * request the fake does not know fails the test), a test that logs `console.error` fails, and
 * the setup page rendered in Splunk's theme.
 */
import React from 'react';
import '@testing-library/jest-dom';
import { configure, render } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { FakeSplunkd } from './fakeSplunkd';
import { SetupRoot } from '../../../src/ui/setup/SetupRoot';

// @splunk/react-ui marks its parts with data-test, so tests find them (and the page's own) that way.
configure({ testIdAttribute: 'data-test' });

export function useFakeSplunkd(): { splunkd: FakeSplunkd } {
  const state = { splunkd: new FakeSplunkd() };
  const server = setupServer(
    http.all(/\/splunkd\/__raw\//, async ({ request }) => {
      const body = await request.text();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      const reply = state.splunkd.handle(request.method, request.url, headers, body);
      return reply.body === undefined
        ? new HttpResponse('<html><body>Bad gateway</body></html>', {
            status: reply.status,
            headers: { 'Content-Type': 'text/html' },
          })
        : HttpResponse.json(reply.body, { status: reply.status });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    state.splunkd = new FakeSplunkd();
  });
  afterAll(() => server.close());
  return state;
}

export function failOnConsoleError(): void {
  let calls: unknown[][] = [];
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    calls = [];
    spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      calls.push(args);
    });
  });
  afterEach(() => {
    spy?.mockRestore();
    if (calls.length > 0)
      throw new Error(
        `console.error was called:\n${calls.map((args) => args.map(String).join(' ')).join('\n')}`,
      );
  });
}

export function renderSetupPage(colorScheme: 'light' | 'dark' = 'light') {
  return render(<SetupRoot colorScheme={colorScheme} />);
}
