/**
 * Bundles the dashboard render harness (entry.tsx) for headless Chromium. Not part of the app.
 * Production mode, so React and Splunk's packages run their production code paths (development
 * builds print warnings the render test would count as console errors), but not minified: the
 * bundle is about as large either way and minifying costs minutes on a small machine.
 * The output folder comes from HARNESS_OUT (the test passes a folder under build/).
 */
const path = require('node:path');
const webpack = require('webpack');

module.exports = {
  name: 'dashboard-harness',
  mode: 'production',
  target: 'web',
  entry: { harness: path.join(__dirname, 'entry.tsx') },
  output: {
    path: process.env.HARNESS_OUT || path.resolve(__dirname, '../../../build/dashboard-harness'),
    filename: '[name].js',
  },
  resolve: { extensions: ['.tsx', '.ts', '.js', '.json'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: {
            transpileOnly: true,
            configFile: path.resolve(__dirname, '../../../tsconfig.json'),
            compilerOptions: { noEmit: false, module: 'ESNext', jsx: 'react-jsx' },
          },
        },
      },
      // Splunk's ESM builds import without file extensions.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  // One file (plus its CSS), so the page needs no chunk loading from a file:// URL.
  plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
  devtool: false,
  optimization: { minimize: false },
  performance: { hints: false },
};
