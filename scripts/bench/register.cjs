/**
 * Lets plain `node` run the bench and emulator TypeScript (and the simulator it imports) without a
 * build step: a CommonJS require hook that strips types with @swc/core, the compiler jest already
 * uses. `node -r ./scripts/bench/register.cjs scripts/bench/main.ts`. Not shipped, not bundled.
 */
const fs = require('node:fs');
const Module = require('node:module');
const swc = require('@swc/core');

const options = (filename) => ({
  filename,
  jsc: { parser: { syntax: 'typescript', tsx: false }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});

Module._extensions['.ts'] = function compileTs(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), options(filename));
  module._compile(code, filename);
};
