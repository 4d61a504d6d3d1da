import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where Corral's own files live at run time: in a checkout, in out/, or inside a packaged app. */
export interface CorralResources {
  /** Folder holding package.json (a checkout, or resources/app(.asar) when packaged) */
  appRoot: string;
  hostScript: string; // out/workers/host.mjs
  reaperScript: string; // out/workers/reaper.cjs
  demoJob: string; // out/workers/examples/demo.yaml
  rendererDir: string; // out/renderer
  preloadScript: string; // out/preload/index.cjs
}

export interface ResourceOptions {
  /** Start of the upward search for package.json; defaults to this file's folder */
  from?: string;
  /** Electron's app.isPackaged, when running inside Electron */
  isPackaged?: boolean;
  /** Electron's process.resourcesPath, when packaged */
  resourcesPath?: string;
  env?: NodeJS.ProcessEnv;
}

function findAppRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`corral: cannot find the app root (no package.json above ${from})`);
    dir = up;
  }
}

/**
 * Files a child process runs must be readable by a plain Node (ELECTRON_RUN_AS_NODE) process,
 * so in a packaged app they come from app.asar.unpacked (see asarUnpack in electron-builder.yml).
 */
function unpacked(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function corralResources(opts: ResourceOptions = {}): CorralResources {
  const env = opts.env ?? process.env;
  const appRoot = env.CORRAL_APP_ROOT
    ? resolve(env.CORRAL_APP_ROOT)
    : opts.isPackaged && opts.resourcesPath
      ? join(opts.resourcesPath, 'app.asar')
      : findAppRoot(opts.from ?? __dirname);
  const out = join(appRoot, 'out');
  return {
    appRoot,
    hostScript: unpacked(join(out, 'workers', 'host.mjs')),
    reaperScript: unpacked(join(out, 'workers', 'reaper.cjs')),
    demoJob: unpacked(join(out, 'workers', 'examples', 'demo.yaml')),
    rendererDir: join(out, 'renderer'),
    preloadScript: join(out, 'preload', 'index.cjs'),
  };
}
