// Python function tasks' keys (python, interpreter, init) and the check at load that the function
// exists: one short run of the interpreter, so a typo is a located error before any task starts.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobFileIssue } from '../../contract/types.js';
import type { Locator } from './locate.js';
import { JobValueError, describeValue } from './values.js';

export interface PythonSpec {
  /** '/abs/file.py:func' (a path resolved against the job file's folder) or 'pkg.mod:func' */
  target: string;
  init: string | null;
  /** The interpreter and its own arguments */
  interpreter: string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TARGET_EXPECTED = 'a file or module and a function, like ./thumbs.py:make_thumbnail or thumbs.images:make_thumbnail';

export const DEFAULT_INTERPRETER: readonly string[] = process.platform === 'win32' ? ['py', '-3'] : ['python3'];

/** "./x.py:f" → { file: './x.py', fn: 'f' }; "pkg.mod:f" → { module: 'pkg.mod', fn: 'f' }. */
export function parsePythonTarget(v: unknown): { file?: string; module?: string; fn: string } {
  const text = typeof v === 'string' ? v.trim() : '';
  const colon = text.lastIndexOf(':');
  const where = colon > 0 ? text.slice(0, colon) : '';
  const fn = colon > 0 ? text.slice(colon + 1) : '';
  if (!where || !IDENT.test(fn)) throw new JobValueError(`expected ${TARGET_EXPECTED}, got ${describeValue(v)}`);
  if (where.endsWith('.py') || /[\\/]/.test(where)) return { file: where, fn };
  if (!where.split('.').every((part) => IDENT.test(part))) throw new JobValueError(`expected ${TARGET_EXPECTED}, got ${describeValue(v)}`);
  return { module: where, fn };
}

export function parseInterpreter(v: unknown): string[] {
  if (typeof v === 'string' && v.trim() !== '') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string' && p !== '')) return v as string[];
  throw new JobValueError(`expected a Python interpreter (a path or a list like [py, -3]), got ${describeValue(v)}`);
}

export function parseFunctionName(v: unknown): string {
  if (typeof v === 'string' && IDENT.test(v)) return v;
  throw new JobValueError(`expected the name of a function in the python file or module, got ${describeValue(v)}`);
}

export function pythonSpec(python: string, init: string | null, interpreter: string[] | null, baseDir: string): PythonSpec {
  const t = parsePythonTarget(python);
  const target = t.file !== undefined ? `${resolve(baseDir, t.file)}:${t.fn}` : `${t.module}:${t.fn}`;
  return { target, init, interpreter: interpreter ?? [...DEFAULT_INTERPRETER] };
}

// The host's own lookup (workers/pyhost/corral_host.py load/lookup), run once: prints one JSON line last.
const CHECK = `
import importlib, importlib.util, json, os, sys, traceback
target, init, base = sys.argv[1], sys.argv[2], sys.argv[3]
where, _, name = target.rpartition(":")
def out(**kw):
    sys.stdout.flush(); os.write(1, ("\\n" + json.dumps(kw) + "\\n").encode()); sys.exit(0)
try:
    if where.endswith(".py") or "/" in where or os.sep in where:
        spec = importlib.util.spec_from_file_location("corral_check", where)
        mod = importlib.util.module_from_spec(spec); sys.path.insert(0, os.path.dirname(where)); spec.loader.exec_module(mod)
    else:
        sys.path.insert(0, base); mod = importlib.import_module(where)
except BaseException as e:
    out(kind="import", trace="".join(traceback.format_exception(type(e), e, e.__traceback__)).rstrip())
for key, n in (("python", name), ("init", init)):
    if not n: continue
    f = getattr(mod, n, None)
    if f is None: out(kind="missing", key=key, name=n)
    if not callable(f): out(kind="notCallable", key=key, name=n, type=type(f).__name__)
out(kind="ok")
`;

const CHECK_TIMEOUT_MS = 30_000;

/** Problems with the python key's file, interpreter or functions, found by running the interpreter once. */
export function checkPython(spec: PythonSpec, raw: { interpreter?: unknown }, baseDir: string, cwd: string, env: Record<string, string>, locate: Locator): JobFileIssue[] {
  const where = spec.target.slice(0, spec.target.lastIndexOf(':'));
  const isFile = where.endsWith('.py') || /[\\/]/.test(where);
  if (isFile) {
    let kind: 'file' | 'folder' | null = null;
    try {
      kind = statSync(where).isDirectory() ? 'folder' : 'file';
    } catch {
      // missing: said below
    }
    if (kind !== 'file') return [locate.issue(['python'], kind === 'folder' ? `expected a file, got a folder: ${where}` : `no such file: ${where}`)];
  }
  const [file, ...args] = spec.interpreter;
  const r = spawnSync(file, [...args, '-c', CHECK, spec.target, spec.init ?? '', baseDir], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: CHECK_TIMEOUT_MS,
    windowsHide: true,
  });
  const interpreterKey = raw.interpreter === undefined ? 'python' : 'interpreter';
  const shown = spec.interpreter.join(' ');
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'ETIMEDOUT' ? `no answer within ${CHECK_TIMEOUT_MS / 1000} s` : r.error.message;
    return [locate.issue([interpreterKey], `cannot run the Python interpreter "${shown}": ${why}`)];
  }
  const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
  let answer: { kind: string; key?: 'python' | 'init'; name?: string; type?: string; trace?: string };
  try {
    answer = JSON.parse(last) as typeof answer;
  } catch {
    const err = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
    return [locate.issue([interpreterKey], `the Python interpreter "${shown}" could not check the function (exit code ${r.status ?? r.signal}): ${err}`)];
  }
  const what = isFile ? where : `module ${where}`;
  switch (answer.kind) {
    case 'import':
      return [locate.issue(['python'], `importing ${what} failed:\n${answer.trace}`)];
    case 'missing':
      return [locate.issue([answer.key!], `${what} has no function "${answer.name}"`)];
    case 'notCallable':
      return [locate.issue([answer.key!], `${what}: "${answer.name}" is not callable (it is ${answer.type === 'NoneType' ? 'None' : `${/^[aeiou]/i.test(answer.type ?? '') ? 'an' : 'a'} ${answer.type}`})`)];
    default:
      return [];
  }
}

/** python excludes command and module; interpreter and init need python. */
export function pythonCrossChecks(raw: Record<string, unknown>, locate: Locator): JobFileIssue[] {
  const issues: JobFileIssue[] = [];
  if (raw.python !== undefined) {
    for (const other of ['command', 'module']) {
      if (raw[other] !== undefined) issues.push(locate.issue(['python'], `expected either ${other} or python, got both`, 'key'));
    }
  } else {
    for (const key of ['interpreter', 'init']) {
      if (raw[key] !== undefined) issues.push(locate.issue([key], 'applies only to python jobs; this job has no python key', 'key'));
    }
  }
  return issues;
}
