// `electron-builder --linux dir` run for real, offline, with a stand-in Electron (standIn.ts): the
// fuses are flipped in it, app.asar is written, and the app folder is what users install. Then the
// CLI launcher runs the packaged CLI with Node 24 standing in for the app's runtime.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBuilderConfig, root } from '../../unit/packaging/support.js';
import { makeStandInElectron, standInRefusal } from './standIn.js';

const work = mkdtempSync(join(tmpdir(), 'corral-pack-'));
const app = join(work, 'dist', 'linux-unpacked');
const resources = join(app, 'resources');
let builderLog = '';

beforeAll(() => {
  if (!existsSync(join(root, 'out/THIRD_PARTY_NOTICES.txt'))) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
  const electronDist = makeStandInElectron(join(work, 'electron-dist'));
  // electronDist + electronVersion: nothing is downloaded (no Electron zip, no headers: no native modules).
  const args = ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, '-c.electronVersion=45.4.1', `-c.directories.output=${join(work, 'dist')}`];
  try {
    builderLog = execFileSync(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), ...args], {
      cwd: root,
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_CACHE: join(work, 'cache') },
      stdio: 'pipe',
      timeout: 240_000,
    }).toString();
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    builderLog = `electron-builder failed:\n${String(e.stdout ?? '')}${String(e.stderr ?? err)}`;
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const asarFiles = () => listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));

describe('electron-builder --linux dir (stand-in Electron)', () => {
  it('packages the app folder', () => {
    expect(existsSync(join(resources, 'app.asar')), builderLog).toBe(true);
    expect(existsSync(join(app, 'corral')), 'executableName').toBe(true);
  });

  it('flips every fuse electron-builder.yml sets, in the binary it ships', async () => {
    const wire = await getCurrentFuseWire(join(app, 'corral'));
    const on = (i: number) => String.fromCharCode(wire[i as keyof typeof wire] as number);
    const fuses = readBuilderConfig().electronFuses;
    const order = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar'];
    order.forEach((name, i) => expect(on(i), name).toBe(fuses[name] ? '1' : '0'));
    expect(on(7), 'grantFileProtocolExtraPrivileges').toBe('0');
  });

  it('ships the CLI launchers in resources/bin, the shell one executable', () => {
    const sh = join(resources, 'bin', 'corral');
    expect(statSync(sh).mode & 0o755).toBe(0o755);
    expect(readFileSync(sh, 'utf8')).toBe(readFileSync(join(root, 'build/bin/corral'), 'utf8'));
    expect(existsSync(join(resources, 'bin', 'corral.cmd'))).toBe(true);
  });

  it('ships the licence and the third-party notices of what the renderer bundled', () => {
    expect(readFileSync(join(resources, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    const notices = readFileSync(join(resources, 'THIRD_PARTY_NOTICES.txt'), 'utf8');
    for (const pkg of ['react', 'react-dom', 'recharts', 'd3-scale', 'zod', 'ws', 'yaml', 'electron-updater']) {
      expect(notices, pkg).toMatch(new RegExp(`^${pkg} \\d+\\.\\d+\\.\\d+: `, 'm'));
    }
  });

  it('app.asar holds bin/corral.cjs (package.json "bin") and no simulator chunk', () => {
    const files = asarFiles();
    expect(files).toContain('/bin/corral.cjs');
    expect(files).toContain('/out/cli/corral.cjs');
    expect(files.filter((f) => /mock/i.test(f) && !f.includes('/node_modules/'))).toEqual([]);
    const pkg = JSON.parse(execFileSync(process.execPath, ['-e', `process.stdout.write(require('@electron/asar').extractFile(${JSON.stringify(join(resources, 'app.asar'))}, 'package.json'))`], { cwd: root }).toString()) as { bin: Record<string, string>; main: string };
    expect(files).toContain(`/${pkg.bin.corral}`);
    expect(files).toContain(`/${pkg.main}`);
  });

  it('writes the update feed electron-updater reads (app-update.yml from publish)', () => {
    expect(readFileSync(join(resources, 'app-update.yml'), 'utf8')).toMatch(/^owner: corral-app\nrepo: corral\nprovider: github\n/);
  });

  it('unpacks the workers (the module host and the reaper run as plain Node)', () => {
    for (const f of ['host.mjs', 'reaper.cjs', 'examples/demo.yaml']) expect(existsSync(join(resources, 'app.asar.unpacked/out/workers', f)), f).toBe(true);
  });
});

describe('the CLI launcher, with Node 24 standing in for the app runtime', () => {
  // Node cannot read app.asar: the archive is unpacked in place, under the same name.
  beforeAll(() => {
    if (!existsSync(join(resources, 'app.asar'))) return;
    // extractAll copies unpacked files from <archive>.unpacked, so that must sit beside the archive.
    mkdirSync(join(work, 'archive'));
    renameSync(join(resources, 'app.asar'), join(work, 'archive', 'app.asar'));
    symlinkSync(join(resources, 'app.asar.unpacked'), join(work, 'archive', 'app.asar.unpacked'));
    extractAll(join(work, 'archive', 'app.asar'), join(resources, 'app.asar'));
    // The deb's /usr/bin/corral: a symlink to resources/bin/corral (build/linux/after-install.sh).
    mkdirSync(join(work, 'usr-bin'));
    symlinkSync(join(resources, 'bin', 'corral'), join(work, 'usr-bin', 'corral'));
  });

  const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const state = join(work, 'state');
      execFile(file, args, { env: { PATH: process.env.PATH, HOME: work, XDG_STATE_HOME: state, ...env }, timeout: 240_000 }, (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('the stand-in refuses to start without ELECTRON_RUN_AS_NODE (so a pass below means the launcher set it)', async () => {
    const r = await run(join(app, 'corral'), ['-e', '1']);
    expect(r.stderr.trim()).toBe(standInRefusal);
  });

  it('`corral run --demo` completes through /usr/bin/corral → resources/bin/corral', async () => {
    const r = await run(join(work, 'usr-bin', 'corral'), ['run', '--demo']);
    // The demo has one task that fails by design: exit 1, after all 20 ran.
    expect(r.stderr + r.stdout).toMatch(/^corral-demo: finished — 19 ok, 1 failed of 20 in (\d+m)?\d+s$/m);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(`joblog: ${join(work, 'state', 'corral', 'joblogs', 'corral-demo')}`);
  }, 240_000);

  it('a usage error comes back with the CLI’s exit code 2', async () => {
    const r = await run(join(resources, 'bin', 'corral'), ['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('corral: unknown command "frobnicate"; commands are run, serve, reap, agent\n');
  });

  it('says where it looked when the app is not next to it', async () => {
    const lone = join(work, 'lone', 'bin');
    mkdirSync(lone, { recursive: true });
    cpSync(join(resources, 'bin', 'corral'), join(lone, 'corral'));
    const r = await run(join(lone, 'corral'), ['run', '--demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`corral: cannot find the Corral app next to ${join(work, 'lone')} (looked for ${join(work, 'lone')}/../corral)\n`);
  });
});

describe('no simulator in the production renderer', () => {
  it('the strings below do find the simulator when a build keeps it (CORRAL_RENDERER_MOCK=1)', async () => {
    const outDir = join(work, 'renderer-with-mock');
    const { build } = await import('vite');
    process.env.CORRAL_RENDERER_MOCK = '1';
    try {
      await build({ configFile: join(root, 'renderer/vite.config.mts'), logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
    } finally {
      delete process.env.CORRAL_RENDERER_MOCK;
    }
    const code = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
    expect(code).toContain('resize-images');
    expect(code).toContain('corral-joblog.tsv');
  }, 120_000);

  it('out/renderer has none of the simulator’s strings', () => {
    const assets = join(root, 'out/renderer/assets');
    for (const f of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(assets, f), 'utf8');
      expect(code, f).not.toContain('resize-images');
      expect(code, f).not.toContain('corral-joblog.tsv');
    }
  });
});
