/**
 * Builds the app's JavaScript bundles into build/bundles/, which scripts/package.mjs then copies
 * into the installable app folder:
 *   - `modinput`: the modular input (Node), one self-contained file with every dependency inlined
 *     (no `externals`: the app ships without node_modules), plus the license texts of what it inlines;
 *   - `web`: the setup page (React, @splunk/react-ui), loaded by a Simple XML view;
 *   - `tools`: the project's own Node tools (the CloudHSM cluster simulator), never shipped.
 * `webpack --config-name <name>` builds one of them.
 */
const path = require('node:path');
const webpack = require('webpack');
const { LicenseWebpackPlugin } = require('license-webpack-plugin');

const bundles = path.resolve(__dirname, 'build/bundles');

/** The Node version the bundle is built for; the launcher refuses older runtimes. */
const NODE_TARGET = 'node22';

const typescriptRule = {
  test: /\.tsx?$/,
  exclude: /node_modules/,
  use: { loader: 'ts-loader', options: { transpileOnly: true, configFile: 'tsconfig.build.json' } },
};

const modularInput = {
  name: 'modinput',
  target: NODE_TARGET,
  entry: { collector: './src/modinput/main.ts' },
  output: { path: path.join(bundles, 'bin'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js', '.json'] },
  module: { rules: [typescriptRule] },
  devtool: false,
  optimization: { minimize: false },
  performance: { hints: false },
  plugins: [
    // The AWS SDK loads credential providers with dynamic import(); keep them in the one file.
    new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
    new LicenseWebpackPlugin({
      outputFilename: 'THIRD-PARTY-LICENSES-collector.txt',
      perChunkOutput: false,
      addBanner: false,
    }),
  ],
};

const web = {
  name: 'web',
  target: 'web',
  entry: { setup: './src/ui/setup/index.tsx' },
  output: { path: path.join(bundles, 'appserver/static'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.tsx', '.ts', '.js', '.json'] },
  module: { rules: [typescriptRule] },
  devtool: false,
  performance: { hints: false },
  plugins: [
    new LicenseWebpackPlugin({
      outputFilename: 'THIRD-PARTY-LICENSES-setup.txt',
      perChunkOutput: false,
      addBanner: false,
    }),
  ],
};

const tools = {
  name: 'tools',
  // Run by the developer's own Node (the demo and the benchmark), which may be 20.
  target: 'node20',
  entry: { simulator: './src/simulator/cli.ts' },
  output: { path: path.resolve(__dirname, 'build/tools'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js', '.json'] },
  module: { rules: [typescriptRule] },
  devtool: false,
  optimization: { minimize: false },
  performance: { hints: false },
  plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
};

module.exports = [modularInput, web, tools];
