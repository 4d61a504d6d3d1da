// GNU parallel's replacement strings, substituted into a command template per task.
import { hasRawBytes, inputLiteral } from './bytes.js';
import { displayArg, quoteCmd, quotePosix } from './quote.js';
import type { JobSpec } from './types.js';
import { splitColumns } from './columns.js';

/**
 * `{}` `{.}` `{/}` `{//}` `{/.}` `{#}` `{%}` and the positional `{1}` `{1.}` `{1/}` `{1//}` `{1/.}`
 * (longer forms first so `{//}` is not read as `{/}`).
 */
export const REPLACEMENT_STRING = /\{([1-9]\d*|)(\/\/|\/\.|\/|\.|)\}|\{[#%]\}/g;

export interface TaskVars {
  input: string;
  seq: number; // {#}, 1-based
  slot: number | string; // {%}, 1-based (a broker run signs a placeholder the agent fills in)
}

export interface ExpandedCommand {
  /** Program to spawn: the program itself, or the shell (/bin/sh, cmd.exe) for a string command */
  file: string;
  args: string[];
  /** True when `file` is the platform shell. Spawn file+args as they are; never add spawn's own shell option. */
  shell: boolean;
  /** Pass as spawn's windowsVerbatimArguments: cmd.exe's line is already quoted (see quoteCmd). */
  windowsVerbatimArguments: boolean;
  /** The command line as a user reads it (joblog Command column) */
  display: string;
}

/** Does the template use any replacement string? Without one, GNU parallel appends " {}". */
export function hasReplacementString(text: string): boolean {
  return new RegExp(REPLACEMENT_STRING.source).test(text);
}

// Path parts follow GNU parallel (Perl regexes and File::Basename), checked against parallel 20221122:
// {.} of dir.x/file.tar.gz is dir.x/file.tar, {.} of .bashrc is "", {/} of a/b/ is "", {//} of file is ".".
const pathPartsCache = new Map<NodeJS.Platform, ReturnType<typeof makePathParts>>();
function pathParts(platform: NodeJS.Platform) {
  let parts = pathPartsCache.get(platform);
  if (!parts) pathPartsCache.set(platform, (parts = makePathParts(platform)));
  return parts;
}

function makePathParts(platform: NodeJS.Platform) {
  const sep = platform === 'win32' ? '/\\\\' : '/';
  const extension = new RegExp(`\\.[^${sep}.]*$`);
  const throughLastSep = new RegExp(`^[\\s\\S]*[${sep}]`);
  const trailingSeps = new RegExp(`([\\s\\S])[${sep}]*$`);
  const lastSep = (s: string) => Math.max(s.lastIndexOf('/'), platform === 'win32' ? s.lastIndexOf('\\') : -1);
  const fileparseDir = (s: string) => {
    const i = lastSep(s);
    return (i < 0 ? './' : s.slice(0, i + 1)).replace(trailingSeps, '$1');
  };
  const dirname = (s: string) => {
    const dir = fileparseDir(s);
    return s.slice(lastSep(s) + 1) === '' ? fileparseDir(dir) : dir;
  };
  const basename = (s: string) => s.replace(throughLastSep, '');
  const noExt = (s: string) => s.replace(extension, '');
  return { dirname, basename, noExt };
}

function pathPart(part: string, value: string, platform: NodeJS.Platform): string {
  const p = pathParts(platform);
  switch (part) {
    case '': return value;
    case '.': return p.noExt(value);
    case '/': return p.basename(value);
    case '//': return p.dirname(value);
    case '/.': return p.noExt(p.basename(value));
    default: throw new Error(`not a replacement string part: ${part}`);
  }
}

/**
 * The values one replacement string stands for: one for `{#}`, `{%}` and `{N…}` (empty past the
 * last column, as parallel); one per column for `{}` `{.}`…, which parallel gives each quoted apart.
 */
function replacementValues(token: string, vars: TaskVars, platform: NodeJS.Platform): string[] {
  if (token === '{#}') return [String(vars.seq)];
  if (token === '{%}') return [String(vars.slot)];
  const m = /^\{([1-9]\d*|)(.*)\}$/.exec(token);
  if (!m || !new RegExp(`^${REPLACEMENT_STRING.source}$`).test(token)) throw new Error(`not a replacement string: ${token}`);
  const columns = splitColumns(vars.input);
  if (m[1] === '') return columns.map((c) => pathPart(m[2], c, platform));
  return [pathPart(m[2], columns[Number(m[1]) - 1] ?? '', platform)];
}

/** The value of one replacement string for a task (the columns of a several-source input joined by spaces). */
export function replacementValue(token: string, vars: TaskVars, platform: NodeJS.Platform = process.platform): string {
  return replacementValues(token, vars, platform).join(' ');
}

function substitute(text: string, vars: TaskVars, platform: NodeJS.Platform, quote: (v: string) => string): string {
  return text.replace(REPLACEMENT_STRING, (token) => {
    const values = replacementValues(token, vars, platform);
    return token === '{#}' || token === '{%}' ? values[0] : values.map(quote).join(' ');
  });
}

/**
 * The program and arguments of one task. An array command runs without a shell, each element one
 * argv entry; a string command runs through /bin/sh -c (cmd.exe /d /s /c on Windows) with every
 * substituted value quoted, so an input always reaches the program as one literal argument.
 * A template with no replacement string gets " {}" appended (GNU parallel does the same).
 * Inputs are bytes (see bytes.ts): an argument holding bytes that are not UTF-8 is rebuilt by sh.
 */
export function expandCommand(cmd: JobSpec['command'], vars: TaskVars, platform: NodeJS.Platform = process.platform): ExpandedCommand {
  if (cmd === null) throw new Error('expandCommand: a module job has no command');
  if (vars.input.includes('\0')) throw new Error(`input ${inputLiteral(vars.input)} contains a NUL byte, which no program can receive`);
  if (platform === 'win32' && hasRawBytes(vars.input)) {
    throw new Error(`input ${inputLiteral(vars.input)} is not UTF-8 text: Windows passes arguments as text, so these bytes cannot reach the program exactly`);
  }
  if (cmd.kind === 'argv') {
    const template = cmd.template.some(hasReplacementString) ? cmd.template : [...cmd.template, '{}'];
    const argv = template.map((part) => substitute(part, vars, platform, (v) => v));
    const display = argv.map((a) => displayArg(a, platform)).join(' ');
    if (argv.some(hasRawBytes)) {
      // spawn would send these as UTF-8 (a bad byte becomes EF BF BD): sh rebuilds them and execs
      // the program, so the task's pid is still the program's. Only here: the common path stays a direct exec.
      return { file: '/bin/sh', args: ['-c', `exec ${argv.map(quotePosix).join(' ')}`], shell: true, windowsVerbatimArguments: false, display };
    }
    return { file: argv[0], args: argv.slice(1), shell: false, windowsVerbatimArguments: false, display };
  }
  const template = hasReplacementString(cmd.template) ? cmd.template : `${cmd.template} {}`;
  if (platform === 'win32') {
    const line = substitute(template, vars, platform, quoteCmd);
    return { file: 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], shell: true, windowsVerbatimArguments: true, display: line };
  }
  const line = substitute(template, vars, platform, quotePosix);
  return { file: '/bin/sh', args: ['-c', line], shell: true, windowsVerbatimArguments: false, display: line };
}
