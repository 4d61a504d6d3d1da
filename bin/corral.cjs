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
// A long run allocates steadily and V8 then grows its young generation to 128 MB of RSS, more than
// everything the run keeps (docs/performance.md, "Memory"). The flag must be on the command line
// (V8 sizes the heap at start), so `run` and `serve` re-exec themselves with it, keeping their pid
// (process.execve; not on Windows, where they run without it). CORRAL_NODE_FLAGS=0 turns it off.
const SEMI_SPACE = '--max-semi-space-size=8';
const command = process.argv[2];
if ((command === 'run' || command === 'serve') && typeof process.execve === 'function' && process.platform !== 'win32'
  && process.env.CORRAL_NODE_FLAGS !== '0' && !process.execArgv.some(function (a) { return a.indexOf('--max-semi-space-size') === 0; })) {
  try {
    process.execve(process.execPath, [process.execPath].concat(process.execArgv, [SEMI_SPACE, __filename], process.argv.slice(2)), process.env);
  } catch {
    // could not re-exec (a sandbox refusing execve): run as we are, only with V8's default heap sizing
  }
}
require(bundle).main(process.argv.slice(2));
