import { mkdtempSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corralResources, unpackedPath } from '../../../../main/core/platform/resources.js';

describe('corralResources, packaged', () => {
  it('puts what children read in app.asar.unpacked and the rest in app.asar (macOS)', () => {
    const r = corralResources({
      isPackaged: true,
      resourcesPath: '/Applications/Corral.app/Contents/Resources',
      platform: 'darwin',
      env: {},
    });
    expect(r).toEqual({
      appRoot: '/Applications/Corral.app/Contents/Resources/app.asar',
      hostScript: '/Applications/Corral.app/Contents/Resources/app.asar.unpacked/out/workers/host.mjs',
      reaperScript: '/Applications/Corral.app/Contents/Resources/app.asar.unpacked/out/workers/reaper.cjs',
      demoJob: '/Applications/Corral.app/Contents/Resources/app.asar.unpacked/out/workers/examples/demo.yaml',
      rendererDir: '/Applications/Corral.app/Contents/Resources/app.asar/out/renderer',
      preloadScript: '/Applications/Corral.app/Contents/Resources/app.asar/out/preload/index.cjs',
      packaged: true,
    });
  });

  it('uses backslashes on Windows', () => {
    const r = corralResources({
      isPackaged: true,
      resourcesPath: 'C:\\Users\\ann\\AppData\\Local\\Programs\\Corral\\resources',
      platform: 'win32',
      env: {},
    });
    expect(r.appRoot).toBe('C:\\Users\\ann\\AppData\\Local\\Programs\\Corral\\resources\\app.asar');
    expect(r.hostScript).toBe('C:\\Users\\ann\\AppData\\Local\\Programs\\Corral\\resources\\app.asar.unpacked\\out\\workers\\host.mjs');
    expect(r.rendererDir).toBe('C:\\Users\\ann\\AppData\\Local\\Programs\\Corral\\resources\\app.asar\\out\\renderer');
  });

  it('finds the AppImage/deb layout on Linux', () => {
    const r = corralResources({ isPackaged: true, resourcesPath: '/opt/Corral/resources', platform: 'linux', env: {} });
    expect(r.reaperScript).toBe('/opt/Corral/resources/app.asar.unpacked/out/workers/reaper.cjs');
    expect(r.preloadScript).toBe('/opt/Corral/resources/app.asar/out/preload/index.cjs');
  });

  it('refuses to guess when packaged without a resources path', () => {
    expect(() => corralResources({ isPackaged: true, env: {} })).toThrow(
      'corral: a packaged app needs process.resourcesPath to find its files',
    );
  });

  it('CORRAL_APP_ROOT wins over the packaged layout', () => {
    const r = corralResources({ isPackaged: true, resourcesPath: '/x/resources', env: { CORRAL_APP_ROOT: '/srv/corral' } });
    expect(r.packaged).toBe(false);
    expect(r.hostScript).toBe('/srv/corral/out/workers/host.mjs');
  });
});

describe('corralResources, checkout', () => {
  it('walks up to package.json and uses out/ as is', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'corral-res-')));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'out', 'main'), { recursive: true });
    const r = corralResources({ from: join(root, 'out', 'main'), env: {} });
    expect(r.appRoot).toBe(root);
    expect(r.hostScript).toBe(join(root, 'out', 'workers', 'host.mjs'));
    expect(r.packaged).toBe(false);
  });

  it('says where it looked when there is no package.json', () => {
    expect(() => corralResources({ from: '/', env: {} })).toThrow('corral: cannot find the app root (no package.json above /)');
  });
});

describe('unpackedPath', () => {
  it('rewrites only the app.asar folder segment', () => {
    expect(unpackedPath('/r/app.asar/out/workers/host.mjs')).toBe('/r/app.asar.unpacked/out/workers/host.mjs');
    expect(unpackedPath('C:\\r\\app.asar\\out\\x.cjs')).toBe('C:\\r\\app.asar.unpacked\\out\\x.cjs');
    expect(unpackedPath('/home/me/my-app.asarx/out/a.mjs')).toBe('/home/me/my-app.asarx/out/a.mjs');
  });
});
