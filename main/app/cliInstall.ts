import { dirname } from 'node:path';

// macOS menu "Install Command Line Tool": links /usr/local/bin/corral to the launcher inside the app
// (Contents/Resources/bin/corral), asking for an administrator password through osascript when the
// folder is not writable. File system and process runner are injected so every branch is tested.

export const cliLinkPath = '/usr/local/bin/corral';

export interface CliInstallDeps {
  readlink(path: string): Promise<string>;
  /** Throws with code ENOENT when nothing is there */
  lstat(path: string): Promise<{ isSymbolicLink(): boolean }>;
  symlink(target: string, path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Runs a program; rejects with its stderr in the message when it exits non-zero */
  run(file: string, args: string[]): Promise<void>;
}

export type CliInstallResult = { ok: true; message: string } | { ok: false; message: string };

const code = (err: unknown) => (err as { code?: string }).code;
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const appleScriptString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The osascript program that makes the link as root (the system asks for the password). */
export function adminLinkScript(launcher: string, link: string): string {
  const sh = `mkdir -p ${shellQuote(dirname(link))} && ln -sf ${shellQuote(launcher)} ${shellQuote(link)}`;
  return `do shell script ${appleScriptString(sh)} with administrator privileges`;
}

export async function installCommandLineTool(launcher: string, deps: CliInstallDeps, link = cliLinkPath): Promise<CliInstallResult> {
  const done: CliInstallResult = { ok: true, message: `Installed: \`corral\` in a new terminal runs ${launcher}.` };
  let existing: { isSymbolicLink(): boolean } | null = null;
  try {
    existing = await deps.lstat(link);
  } catch (err) {
    if (code(err) !== 'ENOENT') return { ok: false, message: `Could not look at ${link}: ${(err as Error).message}` };
  }
  if (existing) {
    if (!existing.isSymbolicLink()) return { ok: false, message: `${link} already exists and is not a link to Corral; remove it first.` };
    const target = await deps.readlink(link);
    if (target === launcher) return done;
    // A link into an older copy of Corral (moved or renamed app) is replaced; any other link is not ours.
    if (!/\/Contents\/Resources\/bin\/corral$/.test(target)) {
      return { ok: false, message: `${link} already links to ${target}, not to Corral; remove it first.` };
    }
  }
  try {
    if (existing) await deps.unlink(link);
    await deps.symlink(launcher, link);
    return done;
  } catch (err) {
    if (code(err) !== 'EACCES' && code(err) !== 'EPERM' && code(err) !== 'ENOENT') {
      return { ok: false, message: `Could not link ${link}: ${(err as Error).message}` };
    }
  }
  try {
    await deps.run('/usr/bin/osascript', ['-e', adminLinkScript(launcher, link)]);
    return done;
  } catch (err) {
    const msg = (err as Error).message;
    if (/User canceled|\(-128\)/.test(msg)) return { ok: false, message: 'Not installed: the administrator password was not given.' };
    return { ok: false, message: `Could not link ${link}: ${msg.trim()}` };
  }
}
