#!/usr/bin/env node
// `corral` entry: checks the Node version, then runs the built CLI bundle (npm ci builds it
// through the prepare script). Kept to syntax any old Node parses, so the check can speak.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// package.json's engines is the one place the minimum lives (">=22.17.0": fs.glob is stable there).
const minimum = /(\d+)\.(\d+)\.(\d+)/.exec(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node);
const have = process.versions.node.split('.').map(Number);
const want = minimum.slice(1).map(Number);
const older = have[0] !== want[0] ? have[0] < want[0] : have[1] !== want[1] ? have[1] < want[1] : have[2] < want[2];
if (older) {
  process.stderr.write('corral: needs Node.js ' + want.join('.') + ' or newer; this is Node.js ' + process.versions.node + ' (' + process.execPath + ')\n');
  process.exit(2);
}

const bundle = path.join(root, 'out', 'cli', 'corral.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('corral: the CLI is not built yet; run `npm run build` in ' + root + '\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2));
