import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminLinkScript, installCommandLineTool, type CliInstallDeps } from '../../../main/app/cliInstall.js';

// macOS "Install Command Line Tool" (item 7): real links in a temp folder, osascript injected.
const launcher = '/Applications/Corral.app/Contents/Resources/bin/corral';
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function temp() {
  const d = await mkdtemp(join(tmpdir(), 'corral-cli-'));
  dirs.push(d);
  return d;
}
const realFs = { lstat, readlink, symlink, unlink };
const noAdmin: CliInstallDeps['run'] = () => Promise.reject(new Error('must not ask for a password'));

describe('installCommandLineTool', () => {
  it('links the launcher when the folder is writable, without a password', async () => {
    const link = join(await temp(), 'corral');
    expect(await installCommandLineTool(launcher, { ...realFs, run: noAdmin }, link)).toEqual({
      ok: true,
      message: `Installed: \`corral\` in a new terminal runs ${launcher}.`,
    });
    expect(await readlink(link)).toBe(launcher);
  });

  it('is a no-op when the link is already there', async () => {
    const link = join(await temp(), 'corral');
    await symlink(launcher, link);
    expect((await installCommandLineTool(launcher, { ...realFs, run: noAdmin }, link)).ok).toBe(true);
  });

  it('replaces a link into an older copy of Corral', async () => {
    const link = join(await temp(), 'corral');
    await symlink('/Users/u/Downloads/Corral.app/Contents/Resources/bin/corral', link);
    expect((await installCommandLineTool(launcher, { ...realFs, run: noAdmin }, link)).ok).toBe(true);
    expect(await readlink(link)).toBe(launcher);
  });

  it('refuses to replace a file or a link that is not Corral’s', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'corral'), '#!/bin/sh\n');
    expect(await installCommandLineTool(launcher, { ...realFs, run: noAdmin }, join(dir, 'corral'))).toEqual({
      ok: false,
      message: `${join(dir, 'corral')} already exists and is not a link to Corral; remove it first.`,
    });
    await symlink('/opt/homebrew/bin/corral', join(dir, 'other'));
    expect(await installCommandLineTool(launcher, { ...realFs, run: noAdmin }, join(dir, 'other'))).toEqual({
      ok: false,
      message: `${join(dir, 'other')} already links to /opt/homebrew/bin/corral, not to Corral; remove it first.`,
    });
  });

  it('asks for an administrator password through osascript when the folder is not writable', async () => {
    const runs: Array<[string, string[]]> = [];
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const deps: CliInstallDeps = {
      ...realFs,
      lstat: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
      symlink: () => Promise.reject(denied),
      run: async (file, args) => void runs.push([file, args]),
    };
    expect((await installCommandLineTool(launcher, deps)).ok).toBe(true);
    expect(runs).toEqual([['/usr/bin/osascript', ['-e', adminLinkScript(launcher, '/usr/local/bin/corral')]]]);
  });

  it('says so when the user cancels the password prompt', async () => {
    const deps: CliInstallDeps = {
      ...realFs,
      lstat: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
      symlink: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
      run: () => Promise.reject(new Error('0:88: execution error: User canceled. (-128)\n')),
    };
    expect(await installCommandLineTool(launcher, deps)).toEqual({ ok: false, message: 'Not installed: the administrator password was not given.' });
  });

  it('the admin script quotes paths with spaces and quotes for both the shell and AppleScript', () => {
    const script = adminLinkScript(`/Applications/My "Corral's".app/Contents/Resources/bin/corral`, '/usr/local/bin/corral');
    expect(script).toBe(
      `do shell script "mkdir -p '/usr/local/bin' && ln -sf '/Applications/My \\"Corral'\\\\''s\\".app/Contents/Resources/bin/corral' '/usr/local/bin/corral'" with administrator privileges`,
    );
    // The shell part, unescaped from AppleScript, makes the link right (run by a real sh, as root would).
    const sh = JSON.parse(script.slice('do shell script '.length, -' with administrator privileges'.length)) as string;
    expect(execFileSync('sh', ['-c', `set -- ${sh.split(' && ')[1].replace(/^ln -sf /, '')}; printf '%s\\n' "$1" "$2"`]).toString()).toBe(
      `/Applications/My "Corral's".app/Contents/Resources/bin/corral\n/usr/local/bin/corral\n`,
    );
  });
});
