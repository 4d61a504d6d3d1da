// Job file text → validated JobSpec, or every problem found, each at its file:line:column.
import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { JobFileIssue } from '../../contract/types.js';
import { describeReadError } from './inputs.js';
import { Locator, formatPath, makeIssue, suggestKey, unknownKeyMessage, type KeyPath } from './locate.js';
import { hasReplacementString } from './replace.js';
import { KNOWN_KEYS, inputsOf, jobSchema, type ParsedJob } from './schema.js';
import type { JobSpec } from './types.js';
import { checkPython, pythonCrossChecks, pythonSpec } from './python.js';

export type JobParseResult = { ok: true; spec: JobSpec; warnings: string[] } | { ok: false; issues: JobFileIssue[] };

export interface ParseJobOptions {
  /** Path of the job file as the user gave it (used in messages), or null for pasted text */
  file: string | null;
  /**
   * Folder that relative paths (module, cwd, inputs.file, inputs.glob) resolve against. Null for
   * pasted text with no folder (the app's working folder is often /): relative paths are refused
   * and tasks run in the home folder unless cwd says otherwise.
   */
  baseDir: string | null;
}

export const PASTED_FILE = '<pasted>';
export const PASTED_NAME = 'pasted job';
const INPUT_KINDS = ['list', 'range', 'file', 'glob'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function joinAnd(words: string[]): string {
  return words.length <= 2 ? words.join(' and ') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function sortIssues(issues: JobFileIssue[]): JobFileIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => !seen.has(i.text) && seen.add(i.text))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function pathKind(path: string): 'file' | 'folder' | null {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return null;
  }
}

/** Rules that span keys, or need the file system; checked on the raw document values. */
function crossChecks(raw: Record<string, unknown>, baseDir: string, locate: Locator): JobFileIssue[] {
  const issues: JobFileIssue[] = [];
  const has = (key: string) => raw[key] !== undefined;
  if (!has('command') && !has('module') && !has('python')) {
    issues.push(locate.issue(['command'], 'missing; expected command (a command line or a list of arguments) or module (a path)'));
  } else if (has('command') && has('module')) {
    issues.push(locate.issue(['module'], 'expected either command or module, got both', 'key'));
  }
  issues.push(...pythonCrossChecks(raw, locate));
  if (isRecord(raw.inputs)) {
    const given = Object.keys(raw.inputs).filter((k) => (INPUT_KINDS as readonly string[]).includes(k)); // in file order
    if (given.length === 0) issues.push(locate.issue(['inputs'], 'expected one of list, range, file or glob, got none'));
    if (given.length > 1) issues.push(locate.issue(['inputs', given[1]], `expected one of list, range, file or glob, got ${joinAnd([...given])}`, 'key'));
  }
  for (const key of ['maxTasksPerWorker', 'chunksize']) {
    if (has(key) && has('command')) issues.push(locate.issue([key], 'applies only to module jobs; this job has a command', 'key'));
  }
  if (typeof raw.module === 'string' && raw.module.trim() !== '') {
    const path = resolve(baseDir, raw.module);
    const kind = pathKind(path);
    if (kind !== 'file') issues.push(locate.issue(['module'], kind === 'folder' ? `expected a file, got a folder: ${path}` : `no such file: ${path}`));
  }
  if (typeof raw.cwd === 'string' && raw.cwd.trim() !== '') {
    const path = resolve(baseDir, raw.cwd);
    const kind = pathKind(path);
    if (kind !== 'folder') issues.push(locate.issue(['cwd'], kind === 'file' ? `expected a folder, got a file: ${path}` : `no such folder: ${path}`));
  }
  return issues;
}

const PATH_KEYS: readonly KeyPath[] = [['module'], ['cwd'], ['inputs', 'file'], ['inputs', 'glob']];

/** The message for a relative path in pasted text that has no folder to resolve against. */
export function relativePastedPathMessage(path: string): string {
  return `${JSON.stringify(path)} is a relative path, and pasted text has no folder to resolve it against; use an absolute path, or save the job as a file and open it (its paths then resolve against its folder)`;
}

function relativePathIssues(raw: Record<string, unknown>, locate: Locator): JobFileIssue[] {
  const issues: JobFileIssue[] = [];
  for (const keys of PATH_KEYS) {
    const value = keys.reduce<unknown>((v, k) => (isRecord(v) ? v[String(k)] : undefined), raw);
    if (typeof value === 'string' && value.trim() !== '' && !isAbsolute(value)) issues.push(locate.issue(keys, relativePastedPathMessage(value)));
  }
  return issues;
}

function warningsFor(parsed: ParsedJob, locate: Locator): string[] {
  const warnings: string[] = [];
  const cmd = parsed.command;
  if (cmd && !(cmd.kind === 'shell' ? hasReplacementString(cmd.template) : cmd.template.some(hasReplacementString))) {
    warnings.push(locate.issue(['command'], 'has no replacement string, so each input is appended as {} (as GNU parallel does)').text);
  }
  if (parsed.retryDelay > 0 && parsed.retries === 0) {
    warnings.push(locate.issue(['retryDelay'], 'has no effect while retries is 0').text);
  }
  return warnings;
}

function defaultName(file: string | null): string {
  if (file === null) return PASTED_NAME;
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

/** Parse and validate job file text (YAML or JSON). Reports every problem found, sorted by line. */
export function parseJobText(text: string, opts: ParseJobOptions): JobParseResult {
  const file = opts.file ?? PASTED_FILE;
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const locate = new Locator(doc, lines, file);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: sortIssues(doc.errors.map((e) => {
        const { line, column } = locate.at(e.pos[0]);
        return makeIssue(file, line, column, '', e.message);
      })),
    };
  }
  const issues = locate.duplicateKeys();
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, issues: [makeIssue(file, 1, 1, '', (err as Error).message)] };
  }
  const result = jobSchema.safeParse(raw);
  const suggested = new Set<string>(); // keys a typo probably meant: their "missing" issue would be noise
  if (!result.success) {
    for (const iss of result.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        const known = KNOWN_KEYS[iss.path.map(String).join('.')] ?? [];
        for (const key of iss.keys) {
          const suggestion = suggestKey(key, known);
          if (suggestion) suggested.add(formatPath([...iss.path, suggestion] as KeyPath));
          issues.push(locate.issue([...iss.path, key] as KeyPath, unknownKeyMessage(key, known), 'key'));
        }
      } else {
        issues.push(locate.issue(iss.path, iss.message));
      }
    }
  }
  const baseDir = resolve(opts.baseDir ?? homedir());
  if (isRecord(raw)) {
    const refused = opts.baseDir === null ? relativePathIssues(raw, locate) : [];
    const paths = new Set(refused.map((i) => i.path));
    issues.push(...refused, ...crossChecks(raw, baseDir, locate).filter((i) => !paths.has(i.path)));
  }
  if (suggested.has('module')) suggested.add('command');
  const meantInput = [...suggested].some((p) => p.startsWith('inputs.'));
  const shown = issues.filter(
    (i) => !(i.message.startsWith('missing;') && suggested.has(i.path)) && !(meantInput && i.path === 'inputs' && i.message.endsWith('got none')),
  );
  if (issues.length > 0 || !result.success) return { ok: false, issues: sortIssues(shown) };

  const parsed = result.data;
  const inputs = inputsOf(parsed.inputs, (p) => resolve(baseDir, p));
  if (!inputs) throw new Error('parseJobText: inputs passed validation without a source'); // crossChecks prevents this
  const spec: JobSpec = {
    name: parsed.name ?? defaultName(opts.file),
    file: opts.file === null ? null : resolve(opts.file),
    baseDir,
    command: parsed.command,
    module: parsed.module === null ? null : resolve(baseDir, parsed.module),
    inputs,
    concurrency: parsed.concurrency,
    timeout: parsed.timeout,
    retries: parsed.retries,
    retryDelayMs: parsed.retryDelay,
    delayMs: parsed.delay,
    halt: parsed.halt,
    memoryLimit: parsed.memoryLimit,
    kill: parsed.kill,
    stuck: parsed.stuck,
    env: parsed.env ?? {},
    cwd: parsed.cwd === null ? baseDir : resolve(baseDir, parsed.cwd),
    order: parsed.order,
    maxTasksPerWorker: parsed.maxTasksPerWorker,
    chunksize: parsed.chunksize,
    maxResultSize: parsed.maxResultSize,
    daemons: parsed.daemons,
    python: parsed.python === null ? null : pythonSpec(parsed.python, parsed.init, parsed.interpreter, baseDir),
  };
  // The function must load: one run of the interpreter finds a typo before any task starts.
  const pyIssues = spec.python ? checkPython(spec.python, raw as { interpreter?: unknown }, baseDir, spec.cwd, spec.env, locate) : [];
  if (pyIssues.length > 0) return { ok: false, issues: pyIssues };
  // Defaults are shared objects; a caller that edits its spec must not change the next one.
  const yamlWarnings = doc.warnings.map((w) => {
    const { line, column } = locate.at(w.pos[0]);
    return makeIssue(file, line, column, '', w.message).text;
  });
  return { ok: true, spec: structuredClone(spec), warnings: [...yamlWarnings, ...warningsFor(parsed, locate)] };
}

/** Read and parse a job file; relative paths in it resolve against its folder. */
export async function loadJobFile(path: string): Promise<JobParseResult> {
  let text: string;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, issues: [makeIssue(path, 0, 0, '', `cannot read job file: ${describeReadError(err)}`)] };
  }
  return parseJobText(text, { file: path, baseDir: dirname(resolve(path)) });
}
