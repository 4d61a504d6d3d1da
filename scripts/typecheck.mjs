// Type-check each layer as its own program, so a DOM global in core, a node
// import in the renderer or an electron import outside main/app is a compile error.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const layers = ['contract', 'core', 'node', 'app', 'renderer', 'test'];
let failed = 0;
for (const layer of layers) {
  const r = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${layer}.json`], { stdio: 'inherit' });
  console.log(`typecheck ${layer}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
