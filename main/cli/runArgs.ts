// `corral run`'s command line, read the way GNU parallel reads its own: options until the first
// word that is not one, then the command's words, then input sources after `:::` and `::::`.
import { UsageError } from './args.js';

export interface RunOption {
  long: string;
  short?: string;
  /** Takes a value (-j 4, -j4, --jobs=4, --jobs 4) */
  value?: boolean;
  /** Given more than once, every value counts (-a A -a B, --env X --env Y) */
  repeat?: boolean;
  /** Other spellings parallel accepts for the same option */
  aliases?: readonly string[];
}

export const RUN_OPTIONS: readonly RunOption[] = [
  { long: '--jobs', short: '-j', value: true, aliases: ['--max-procs', '-P'] },
  { long: '--joblog', value: true },
  { long: '--resume' },
  { long: '--resume-failed' },
  { long: '--timeout', value: true },
  { long: '--retries', value: true },
  { long: '--retry-delay', value: true },
  { long: '--halt', value: true, aliases: ['--halt-on-error'] },
  { long: '--memory-limit', value: true },
  { long: '--termseq', value: true },
  { long: '--results', value: true, aliases: ['--res'] },
  { long: '--tag' },
  { long: '--tagstring', value: true },
  { long: '--line-buffer', aliases: ['--lb'] },
  { long: '--ungroup', short: '-u' },
  { long: '--group' },
  { long: '--keep-order', short: '-k' },
  { long: '--colsep', short: '-C', value: true },
  { long: '--null', short: '-0' },
  { long: '--arg-file', short: '-a', value: true, repeat: true },
  { long: '--link', aliases: ['--xapply'] },
  { long: '--bar' },
  { long: '--eta' },
  { long: '--progress' },
  { long: '--workdir', value: true, aliases: ['--wd'] },
  { long: '--env', value: true, repeat: true },
  { long: '--shuf' },
  { long: '--delay', value: true },
  { long: '--dry-run' },
  { long: '--will-cite' },
  { long: '--json' },
  { long: '--tick', value: true },
  { long: '--serve' },
  { long: '--port', value: true },
  { long: '--demo' },
  { long: '--broker', value: true },
  { long: '--help', short: '-h' },
];

/** GNU parallel's options Corral does not do: refused by name, never silently ignored. */
export const REFUSED: Readonly<Record<string, string>> = {
  '--sshlogin': 'remote hosts', '-S': 'remote hosts', '--sshloginfile': 'remote hosts', '--slf': 'remote hosts',
  '--transferfile': 'remote hosts', '--transfer': 'remote hosts', '--return': 'remote hosts', '--cleanup': 'remote hosts',
  '--trc': 'remote hosts', '--basefile': 'remote hosts', '--onall': 'remote hosts', '--nonall': 'remote hosts',
  '--pipe': 'input on stdin of the tasks', '--pipepart': 'input on stdin of the tasks', '--block': 'input on stdin of the tasks',
  '--round-robin': 'input on stdin of the tasks', '--cat': 'input on stdin of the tasks', '--fifo': 'input on stdin of the tasks',
  '--load': 'load limits', '--noswap': 'load limits', '--memfree': 'load limits (see --memory-limit)', '--memsuspend': 'load limits',
  '-X': 'several arguments per command', '-m': 'several arguments per command', '-n': 'several arguments per command',
  '--max-args': 'several arguments per command', '-N': 'several arguments per command', '-L': 'several arguments per command',
  '--max-lines': 'several arguments per command', '--xargs': 'several arguments per command',
  '-I': 'custom replacement strings', '-i': 'custom replacement strings', '--replace': 'custom replacement strings',
  '--extensionreplace': 'custom replacement strings', '--basenamereplace': 'custom replacement strings',
  '--plus': 'custom replacement strings', '--rpl': 'custom replacement strings',
  '--semaphore': 'semaphores', '--sem': 'semaphores', '--fg': 'semaphores', '--bg': 'semaphores',
  '--tmux': 'tmux output', '--tmuxpane': 'tmux output', '--files': 'output in files (see --results)',
  '--compress': 'compressed output', '--ctag': 'coloured tags', '--ctagstring': 'coloured tags', '--tee': 'input on stdin of the tasks',
  '--shebang': 'shebang scripts', '--header': 'header lines', '--csv': 'CSV input', '--sqlmaster': 'SQL', '--sqlworker': 'SQL',
  '--sqlandworker': 'SQL', '-q': 'quoting the command', '--quote': 'quoting the command', '--shellquote': 'quoting the command',
  '-d': 'custom delimiters', '--delimiter': 'custom delimiters', '-E': 'an end-of-file string', '--eof': 'an end-of-file string',
  '--nice': 'nice', '--tty': 'a terminal for tasks', '--verbose': 'echoing commands', '-t': 'echoing commands',
  '-v': 'echoing commands', '--filter': 'filters', '--limit': 'limits', '--retry-failed': 'rerunning from a joblog (see --resume-failed)',
  '--trim': 'trimming', '--no-run-if-empty': 'skipping empty input', '-r': 'skipping empty input', '--record-env': 'environment records',
  '--session': 'environment records', '--ssh': 'remote hosts', '--number-of-cpus': 'CPU detection', '--number-of-cores': 'CPU detection',
  '--use-cpus-instead-of-cores': 'CPU detection', '--use-cores-instead-of-threads': 'CPU detection',
  '--use-sockets-instead-of-threads': 'CPU detection', '--total-jobs': 'progress estimates', '--silent': 'silencing commands',
  '--tmpdir': 'a temporary folder', '--tempdir': 'a temporary folder', '--citation': 'citations',
  '--max-replace-args': 'several arguments per command', '--keep-order-of': 'keep-order variants', '--arg-sep': 'custom separators',
  '--arg-file-sep': 'custom separators', '--max-chars': 'several arguments per command', '-s': 'several arguments per command',
  '--show-limits': 'several arguments per command', '--jobs-per-host': 'remote hosts', '--controlmaster': 'remote hosts', '-M': 'remote hosts',
};

export type InputSourceArg = { kind: 'args'; values: string[] } | { kind: 'file'; path: string };

export interface RunArgs {
  values: Map<string, string>;
  repeated: Map<string, string[]>;
  switches: Set<string>;
  /** The command's words (or, alone, a job file) */
  words: string[];
  /** `:::` and `::::` sources in order; -a files come first, as parallel puts them */
  sources: InputSourceArg[];
}

const byName = new Map<string, RunOption>();
for (const o of RUN_OPTIONS) for (const n of [o.long, o.short, ...(o.aliases ?? [])]) if (n) byName.set(n, o);

/** A word that names a job file rather than a command (see isJobFileArg) */
export const JOB_FILE = /\.(ya?ml|json)$/i;

const isSep = (w: string) => w === ':::' || w === '::::';

function refuse(name: string): never {
  throw new UsageError(`corral run: ${name} is GNU parallel's option for ${REFUSED[name]}, which Corral does not do`);
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const out: RunArgs = { values: new Map(), repeated: new Map(), switches: new Set(), words: [], sources: [] };
  const set = (o: RunOption, value: string | undefined, given: string) => {
    if (!o.value) {
      if (value !== undefined) throw new UsageError(`corral run: ${given} takes no value`);
      out.switches.add(o.long);
      return;
    }
    if (value === undefined || (isSep(value))) throw new UsageError(`corral run: ${given} needs a value`);
    if (o.repeat) out.repeated.set(o.long, [...(out.repeated.get(o.long) ?? []), value]);
    else out.values.set(o.long, value);
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-' || isSep(w)) {
      // A job file may be followed by options (corral run job.yaml --joblog x.tsv); a command may not.
      if (out.words.length === 0 && JOB_FILE.test(w) && i + 1 < argv.length && argv[i + 1].startsWith('-') && argv[i + 1] !== '--') {
        out.words.push(w);
        continue;
      }
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const o = byName.get(name);
      if (!o) {
        if (name in REFUSED) refuse(name);
        throw new UsageError(`corral run: unknown option ${name} (see corral run --help)`);
      }
      set(o, eq < 0 ? (o.value ? argv[++i] : undefined) : w.slice(eq + 1), name);
      // `--demo python`: the Python demo, and options may follow it as they may follow a job file.
      if (name === '--demo' && eq < 0 && argv[i + 1] === 'python') out.values.set('--demo', argv[++i]);
      continue;
    }
    // Short options: -j4, -j 4, -k0 (switches bundled).
    for (let c = 1; c < w.length; c++) {
      const name = `-${w[c]}`;
      const o = byName.get(name);
      if (!o) {
        if (name in REFUSED) refuse(name);
        throw new UsageError(`corral run: unknown option ${name} (see corral run --help)`);
      }
      if (o.value) {
        set(o, c + 1 < w.length ? w.slice(c + 1) : argv[++i], name);
        break;
      }
      set(o, undefined, name);
    }
  }
  for (; i < argv.length && !isSep(argv[i]); i++) out.words.push(argv[i]);
  for (const path of out.repeated.get('--arg-file') ?? []) out.sources.push({ kind: 'file', path });
  while (i < argv.length) {
    const sep = argv[i++];
    const items: string[] = [];
    for (; i < argv.length && !isSep(argv[i]); i++) items.push(argv[i]);
    if (sep === ':::') out.sources.push({ kind: 'args', values: items });
    else if (items.length === 0) throw new UsageError('corral run: :::: needs at least one file');
    else for (const path of items) out.sources.push({ kind: 'file', path });
  }
  return out;
}
