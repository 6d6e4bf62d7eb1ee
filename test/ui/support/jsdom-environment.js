/**
 * jsdom for the setup page's component tests, with the fetch API of Node (which msw intercepts)
 * instead of none: jsdom has no fetch, Request, Response, streams or BroadcastChannel. Packages
 * resolve with Node's export conditions, since msw's `msw/node` has no browser build.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

const NODE_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'Blob',
  'AbortController',
  'AbortSignal',
  'BroadcastChannel',
  'structuredClone',
  'TextEncoder',
  'TextDecoder',
  'TextEncoderStream',
  'TextDecoderStream',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'URL',
  'URLSearchParams',
];

class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of NODE_GLOBALS) this.global[name] = globalThis[name];
    // styled-components (under @splunk/react-ui) writes CSS as text nodes outside production,
    // which jsdom re-parses on every insert; its production path (insertRule) is much faster.
    this.global.process.env.SC_DISABLE_SPEEDY = 'false';
  }

  exportConditions() {
    return ['node', 'require', 'default'];
  }
}

module.exports = JsdomWithFetchEnvironment;
