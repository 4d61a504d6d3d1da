// electron-builder.yml checked offline: against the schema electron-builder itself validates with,
// then for what the schema cannot say (fuse decisions, deb metadata, entitlements, icons on disk).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { readBuilderConfig, readPackageJson, root } from './support.js';

const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
// Same options as app-builder-lib's schemaValidator, minus coerceTypes: a quoted "true" must fail here.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const config = readBuilderConfig();

describe('electron-builder.yml against app-builder-lib/scheme.json', () => {
  it('is valid', () => {
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator rejects a misspelt option and a wrong type (so the check above can fail)', () => {
    expect(validate({ ...config, nsis: { ...config.nsis, oneClik: false } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'yes' } })).toBe(false);
  });
});

describe('what the schema cannot check', () => {
  it('names the app and keeps the output outside the sources', () => {
    expect(config.appId).toBe('app.corral.desktop');
    expect(config.productName).toBe('Corral');
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'build' });
  });

  it('sets every fuse, runAsNode on with its reason written next to it', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    // The comment block right above the setting says why fork, not utilityProcess.fork.
    const lines = readFileSync(join(root, 'electron-builder.yml'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.trim() === 'runAsNode: true');
    let from = at;
    while (from > 0 && lines[from - 1].trim().startsWith('#')) from--;
    const reason = lines.slice(from, at).join(' ');
    expect(reason).toContain('ELECTRON_RUN_AS_NODE');
    expect(reason).toContain('utilityProcess.fork');
  });

  it('deb has a maintainer and a homepage (fpm refuses to build without them)', () => {
    expect(config.deb.maintainer ?? config.linux.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(readPackageJson().homepage).toMatch(/^https:\/\//);
  });

  it('Linux ships AppImage and deb with a category and a desktop entry', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toMatch(/^Utility;/);
    expect(config.linux.desktop?.entry?.GenericName).toBeTruthy();
    expect(config.linux.executableName).toBe('corral');
  });

  it('Windows is an assisted NSIS installer, per user, with a choice of folder', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
  });

  it('macOS: dmg + zip, hardened runtime, entitlements that exist, notarisation from the environment', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    for (const key of ['entitlements', 'entitlementsInherit'] as const) {
      const file = join(root, String(config.mac[key]));
      expect(existsSync(file), file).toBe(true);
      const plist = readFileSync(file, 'utf8');
      expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
      // An app that is not sandboxed must not claim sandbox inheritance.
      expect(plist).not.toContain('<key>com.apple.security.inherit</key>');
    }
  });

  it('points every platform at an icon file that exists', () => {
    for (const p of [config.mac.icon, config.win.icon, config.linux.icon]) {
      expect(existsSync(join(root, String(p))), String(p)).toBe(true);
    }
  });

  it('passes electron-builder’s own configuration check', async () => {
    await expect(validateConfiguration(config as Configuration, new DebugLogger(false))).resolves.toBeUndefined();
  });
});
