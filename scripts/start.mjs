// `npm start`: the Electron app when its runtime and a display are there, else `corral serve --demo`
// with one line saying why. Electron's binary is located without require('electron'), which
// would try to download it (and print) when it is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the Electron binary is, or why there is none. Reads node_modules/electron/path.txt like electron/index.js. */
export function findElectron({ env = process.env, fs = { existsSync, readFileSync }, resolveFrom = root } = {}) {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(resolveFrom, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { missing: 'Electron is not installed (npm install)' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathTxt) ? String(fs.readFileSync(pathTxt, 'utf8')).trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
    return fs.existsSync(bin) ? { binary: bin } : { missing: `no Electron binary at ${bin} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!rel) return { missing: 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)' };
  const bin = join(pkgDir, 'dist', rel);
  return fs.existsSync(bin) ? { binary: bin } : { missing: 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)' };
}

/** Electron or the browser dashboard, and the one line to print when falling back. */
export function startMode({ electron, platform = process.platform, env = process.env }) {
  const fallback = (reason) => ({ mode: 'serve', line: `corral: ${reason} — starting the browser dashboard instead` });
  if ('missing' in electron) return fallback(electron.missing);
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return fallback('no display (DISPLAY and WAYLAND_DISPLAY are unset)');
  return { mode: 'electron', binary: electron.binary };
}

/** Runs a child with our stdio, passes our signals on, and exits with its status. */
function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`corral: could not start ${cmd}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const extra = process.argv.slice(2);
  const choice = startMode({ electron: findElectron() });
  // Both ways in start on the embedded demo job, as the README's first command promises.
  if (choice.mode === 'electron') run(choice.binary, [root, '--demo', ...extra]);
  else {
    process.stderr.write(choice.line + '\n');
    run(process.execPath, [join(root, 'bin', 'corral.cjs'), 'serve', '--demo', ...extra]);
  }
}
