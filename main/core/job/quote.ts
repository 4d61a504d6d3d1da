import { hasRawBytes, rawRunBytes, splitRawBytes } from './bytes.js';

// Quoting of substituted values for the platform shell. Only values are quoted; the template
// the user wrote is passed to the shell as written (as GNU parallel does).

// Characters that mean nothing to sh anywhere in a word. "=" and "~" are left out: "a=b" as the
// first word is an assignment and "~x" expands. A value made only of these is left bare, like
// GNU parallel's --dry-run shows it.
const POSIX_SAFE = /^[A-Za-z0-9_./+-]+$/;

/**
 * One sh word that is exactly `value`: bare when safe, else single-quoted with ' as '\''. Bytes
 * that are not UTF-8 cannot be written in the script (spawn sends it as UTF-8), so the shell
 * rebuilds each run of them: `b\xff\xfec` is the word b"$(printf '\377\376')"c. A run holds only
 * bytes 0x80–0xFF, never a newline, so the command substitution strips nothing.
 */
export function quotePosix(value: string): string {
  if (!hasRawBytes(value)) return quotePosixText(value);
  return splitRawBytes(value)
    .map((r) => (r.raw ? `"$(printf '${rawRunBytes(r.text).map((b) => `\\${b.toString(8)}`).join('')}')"` : quotePosixText(r.text)))
    .join('');
}

function quotePosixText(value: string): string {
  if (POSIX_SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

// cmd.exe metacharacters, escaped with ^ after quoting (cross-spawn's list, from https://qntm.org/cmd).
const CMD_META = /([()\][%!^"`<>&|;, *?])/g;

/**
 * One argument for a program started by `cmd.exe /d /s /c "<line>"` that the program's C runtime
 * (CommandLineToArgvW rules) reads back as exactly `value`. First quote for the C runtime
 * (backslashes before a quote are doubled), then ^-escape cmd's metacharacters, quotes included,
 * so cmd neither interprets `&|<>` nor expands `%VAR%`. Same algorithm as cross-spawn/execa.
 * cmd.exe cannot carry a line break or NUL inside one command line, so those throw.
 */
export function quoteCmd(value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new Error(`cannot pass ${JSON.stringify(value)} through cmd.exe: it contains a line break or NUL; use an array command`);
  }
  let arg = value.replace(/(\\*)"/g, '$1$1\\"');
  arg = arg.replace(/(\\*)$/, '$1$1');
  return `"${arg}"`.replace(CMD_META, '^$1');
}

/** How one argv entry is shown to a user (joblog Command column, task table). */
export function displayArg(value: string, platform: NodeJS.Platform): string {
  if (platform !== 'win32') return quotePosix(value);
  return value !== '' && !/[\s"]/.test(value) ? value : `"${value.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')}"`;
}
