// Builds every bundle into out/:
//   out/main/index.cjs      Electron main (main/app)
//   out/preload/index.cjs   sandboxed preload (CommonJS: sandboxed preloads cannot be ESM)
//   out/cli/corral.cjs      `corral run | serve | reap` (main/cli)
//   out/workers/host.mjs    module-task host, one per slot (ESM: it import()s user modules)
//   out/workers/pyhost/     Python function-task host, one per slot (stdlib-only Python, copied as is)
//   out/workers/reaper.cjs  orphan reaper
//   out/workers/spawner.cjs spawn helper (forks command tasks)
//   out/workers/examples/   the embedded demo job (copied as is)
//   out/renderer/           the dashboard (vite)
//   out/THIRD_PARTY_NOTICES.txt  licences of the packages shipped (scripts/notices.mjs), with the renderer
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Runtime dependencies stay external (electron-builder ships them in node_modules).
const external = ['electron', ...Object.keys(pkg.dependencies ?? {})];
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeBundles = [
  { name: 'main', entry: 'main/app/main.ts', outfile: 'out/main/index.cjs', format: 'cjs', external },
  // The preload is sandboxed: it can require only 'electron', so everything else is bundled in.
  { name: 'preload', entry: 'preload/index.ts', outfile: 'out/preload/index.cjs', format: 'cjs', external: ['electron'] },
  { name: 'cli', entry: 'main/cli/index.ts', outfile: 'out/cli/corral.cjs', format: 'cjs', external },
  { name: 'host', entry: 'workers/host/index.ts', outfile: 'out/workers/host.mjs', format: 'esm', external },
  { name: 'reaper', entry: 'workers/reaper/index.ts', outfile: 'out/workers/reaper.cjs', format: 'cjs', external: [] },
  { name: 'spawner', entry: 'workers/spawner/index.ts', outfile: 'out/workers/spawner.cjs', format: 'cjs', external: [] },
];

mkdirSync(join(root, 'out'), { recursive: true });
for (const b of nodeBundles) {
  if (!want(b.name)) continue;
  if (!existsSync(join(root, b.entry))) {
    console.warn(`build: skipping ${b.name} (${b.entry} does not exist yet)`);
    continue;
  }
  await build({ ...common, entryPoints: [b.entry], outfile: b.outfile, format: b.format, external: b.external });
}

if (want('pyhost')) {
  rmSync(join(root, 'out/workers/pyhost'), { recursive: true, force: true });
  cpSync(join(root, 'workers/pyhost'), join(root, 'out/workers/pyhost'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
}

if (want('examples')) {
  rmSync(join(root, 'out/workers/examples'), { recursive: true, force: true });
  if (existsSync(join(root, 'workers/examples'))) {
    cpSync(join(root, 'workers/examples'), join(root, 'out/workers/examples'), { recursive: true });
  }
}

if (want('renderer') && existsSync(join(root, 'renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'renderer/vite.config.mts'), logLevel: 'warn' });
  const { noticesText, shippedPackages } = await import('./notices.mjs');
  writeFileSync(join(root, 'out/THIRD_PARTY_NOTICES.txt'), noticesText(shippedPackages(root), root));
}
console.log('build: ok');
