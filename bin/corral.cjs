#!/usr/bin/env node
// `corral` entry: runs the built CLI bundle (npm ci builds it through the prepare script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'corral.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('corral: the CLI is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2));
