import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectron, startMode } from '../../../scripts/start.mjs';

// `npm start` decides between Electron and the browser dashboard without touching the network.

describe('npm start', () => {
  const root = mkdtempSync(join(tmpdir(), 'corral-start-'));
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron","main":"index.js"}');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('says the runtime is missing when path.txt or the binary is absent', () => {
    expect(findElectron({ resolveFrom: root, env: {} })).toEqual({ missing: 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)' });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(findElectron({ resolveFrom: root, env: {} })).toEqual({ missing: 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)' });
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectron({ resolveFrom: root, env: {} })).toEqual({ binary: join(pkg, 'dist', 'electron') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    expect(findElectron({ resolveFrom: root, env: { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' } })).toEqual({
      missing: 'no Electron binary at /nowhere/electron (ELECTRON_OVERRIDE_DIST_PATH)',
    });
  });

  it('says when Electron is not installed at all', () => {
    expect(findElectron({ resolveFrom: tmpdir(), env: {} })).toEqual({ missing: 'Electron is not installed (npm install)' });
  });

  it('is what this checkout reports (no runtime downloaded here)', () => {
    const here = findElectron();
    expect('binary' in here || here.missing === 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)').toBe(true);
  });

  it('falls back to the browser dashboard with one line saying why', () => {
    expect(startMode({ electron: { missing: 'Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?)' }, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({
      mode: 'serve',
      line: 'corral: Electron runtime not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?) — starting the browser dashboard instead',
    });
    expect(startMode({ electron: { binary: '/e' }, platform: 'linux', env: {} })).toEqual({
      mode: 'serve',
      line: 'corral: no display (DISPLAY and WAYLAND_DISPLAY are unset) — starting the browser dashboard instead',
    });
  });

  it('launches Electron when it and a display are there', () => {
    expect(startMode({ electron: { binary: '/e' }, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toEqual({ mode: 'electron', binary: '/e' });
    expect(startMode({ electron: { binary: '/e' }, platform: 'darwin', env: {} })).toEqual({ mode: 'electron', binary: '/e' });
  });
});
