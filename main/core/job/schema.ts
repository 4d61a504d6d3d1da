// The job file's shape as a zod schema. Every value goes through one of the parsers in values.ts/
// rules.ts so that messages read "expected …, got …"; zod supplies the key paths and unknown keys.
import { z } from 'zod';
import type { Concurrency, HaltRule, InputsSpec, KillStep, RelativeDuration, StuckConfig } from './types.js';
import type { Ordering, StuckAction } from '../../contract/types.js';
import { MAX_INPUTS, rangeCount } from './inputs.js';
import { DEFAULT_KILL_SEQUENCE, parseHalt, parseKillSequence } from './rules.js';
import { parseFunctionName, parseInterpreter, parsePythonTarget } from './python.js';
import {
  JobValueError, describeValue, parseChoice, parseConcurrency, parseDuration, parseInteger, parsePercent,
  parseScalarText, parseSize, parseTimeout,
} from './values.js';

/** A zod schema around a parser that throws JobValueError. */
function value<T>(parse: (v: unknown) => T) {
  // .optional() first: zod then calls the transform for an absent key too, which supplies the default.
  return z.unknown().optional().transform((v, ctx): T => {
    try {
      return parse(v);
    } catch (err) {
      if (!(err instanceof JobValueError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, input: v, path: err.at });
      return z.NEVER;
    }
  });
}

/** As value(), with a default when the key is absent. */
function optional<T>(parse: (v: unknown) => T, fallback: T) {
  return value((v) => (v === undefined ? fallback : parse(v)));
}

function required<T>(parse: (v: unknown) => T, expected: string) {
  return value((v) => {
    if (v === undefined) throw new JobValueError(`missing; expected ${expected}`);
    return parse(v);
  });
}

function mapping<S extends z.core.$ZodLooseShape>(shape: S, expected = 'a mapping') {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'invalid_type' ? (iss.input === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${describeValue(iss.input)}`) : undefined,
  });
}

function nonEmptyText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.trim() === '') throw new JobValueError(`expected a non-empty string, got ${describeValue(v)}`);
  return v;
}

function durationText(v: unknown, positive: boolean): number {
  const ms = parseDuration(v as string | number);
  if (positive && ms <= 0) throw new JobValueError(`expected a duration like 500ms, 10s, 5m or 1h30m, got ${describeValue(v)}`);
  return ms;
}

const isOff = (v: unknown) => v === 'off' || v === false;
/** A stuck rule or limit that can be switched off with `off` or `false`. */
function orOff<T>(parse: (v: unknown) => T, expectedOff: string) {
  return (v: unknown): T | null => {
    if (isOff(v)) return null;
    try {
      return parse(v);
    } catch (err) {
      if (err instanceof JobValueError) throw new JobValueError(err.message.replace(/^expected (.*), got/, `expected $1, ${expectedOff}, got`));
      throw err;
    }
  };
}

function parseCommand(v: unknown): { kind: 'shell'; template: string } | { kind: 'argv'; template: string[] } {
  if (typeof v === 'string' && v.trim() !== '') return { kind: 'shell', template: v };
  if (Array.isArray(v) && v.length > 0) {
    const template = v.map((part, i) => {
      if (typeof part === 'string' || typeof part === 'number') return String(part);
      throw new JobValueError(`expected a string, got ${describeValue(part)}`, [i]);
    });
    if (template[0] === '') throw new JobValueError('expected a program name, got ""', [0]);
    return { kind: 'argv', template };
  }
  throw new JobValueError(`expected a command line or a list of arguments, got ${describeValue(v)}`);
}

function parseInt(v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw new JobValueError(`expected an integer, got ${describeValue(v)}`);
}

const rangeSchema = mapping(
  {
    from: required(parseInt, 'an integer'),
    to: required(parseInt, 'an integer'),
    step: optional((v) => {
      const n = parseInt(v);
      if (n === 0) throw new JobValueError('expected a non-zero integer, got 0');
      return n;
    }, null as number | null),
  },
  'a mapping like { from: 1, to: 100, step: 1 }',
).transform((r, ctx) => {
  const step = r.step ?? (r.from <= r.to ? 1 : -1);
  if (step > 0 && r.from > r.to) {
    ctx.addIssue({ code: 'custom', path: ['step'], input: step, message: `expected a negative step to count down from ${r.from} to ${r.to}, got ${step}` });
  } else if (step < 0 && r.from < r.to) {
    ctx.addIssue({ code: 'custom', path: ['step'], input: step, message: `expected a positive step to count up from ${r.from} to ${r.to}, got ${step}` });
  } else if (rangeCount(r.from, r.to, step) > MAX_INPUTS) {
    ctx.addIssue({ code: 'custom', input: r, message: `expected at most ${MAX_INPUTS} inputs, got ${rangeCount(r.from, r.to, step)}` });
  }
  return { from: r.from, to: r.to, step };
});

const listItem = value((v) => {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new JobValueError(`expected a string or a number, got ${describeValue(v)}`);
});

const inputsSchema = mapping(
  {
    list: z
      .array(listItem, { error: (iss) => `expected a list of inputs, got ${describeValue(iss.input)}` })
      .transform((list, ctx) => {
        if (list.length === 0) ctx.addIssue({ code: 'custom', input: list, message: 'expected at least one input, got an empty list' });
        return list;
      })
      .optional(),
    range: rangeSchema.optional(),
    file: optional(nonEmptyText, undefined),
    glob: optional(nonEmptyText, undefined),
  },
  'a mapping with one of list, range, file or glob',
);

const STUCK_DEFAULTS: StuckConfig = { cpuIdleMs: 60_000, silentMs: 120_000, overduePercent: 300, blockedMs: 60_000, action: 'warn' };
const stuckDuration = (fallback: number) => optional(orOff((v) => durationText(v, true), 'or off'), fallback);

const stuckSchema = z.preprocess(
  (v) => (isOff(v) ? { cpuIdle: 'off', silent: 'off', overdue: 'off', blocked: 'off' } : v === undefined ? {} : v),
  mapping(
    {
      cpuIdle: stuckDuration(STUCK_DEFAULTS.cpuIdleMs as number),
      silent: stuckDuration(STUCK_DEFAULTS.silentMs as number),
      overdue: optional(orOff((v) => parsePercent(v as string, 'a percentage of the median like 300%'), 'or off'), STUCK_DEFAULTS.overduePercent),
      blocked: stuckDuration(STUCK_DEFAULTS.blockedMs as number),
      action: optional((v) => parseChoice<StuckAction>(v, ['warn', 'kill', 'retry']), STUCK_DEFAULTS.action),
    },
    'a mapping of stuck rules, or off',
  ).transform(
    (s): StuckConfig => ({ cpuIdleMs: s.cpuIdle, silentMs: s.silent, overduePercent: s.overdue, blockedMs: s.blocked, action: s.action }),
  ),
);

const envSchema = z.record(
  z.string(),
  value((v) => parseScalarText(v, 'a string')),
  { error: (iss) => (iss.code === 'invalid_type' ? `expected a mapping of names to values, got ${describeValue(iss.input)}` : undefined) },
);

/** Each input sent ahead is a task record in the supervisor: a chunk is bounded like any batch of records. */
export const MAX_CHUNKSIZE = 10_000;

function parseChunksize(v: unknown): number {
  const n = parseInteger(v, true);
  if (n > MAX_CHUNKSIZE) throw new JobValueError(`expected at most ${MAX_CHUNKSIZE} inputs per chunk, got ${n}`);
  return n;
}

/** The keys a job file may have at each mapping, for unknown-key suggestions. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['name', 'command', 'module', 'python', 'interpreter', 'init', 'inputs', 'concurrency', 'timeout', 'retries', 'retryDelay', 'delay', 'halt', 'memoryLimit', 'kill', 'stuck', 'env', 'cwd', 'order', 'maxTasksPerWorker', 'chunksize', 'maxResultSize', 'daemons'],
  inputs: ['list', 'range', 'file', 'glob'],
  'inputs.range': ['from', 'to', 'step'],
  stuck: ['cpuIdle', 'silent', 'overdue', 'blocked', 'action'],
};

export const jobSchema = mapping(
  {
    name: optional(nonEmptyText, null as string | null),
    command: optional(parseCommand, null),
    module: optional(nonEmptyText, null as string | null),
    // Python function tasks (python.ts): the function, its interpreter, its per-host init
    python: optional((v) => (parsePythonTarget(v), v as string), null as string | null),
    interpreter: optional(parseInterpreter, null as string[] | null),
    init: optional(parseFunctionName, null as string | null),
    inputs: inputsSchema,
    concurrency: optional((v): Concurrency => parseConcurrency(v as string), { kind: 'auto' }),
    timeout: optional(orOff((v): RelativeDuration => parseTimeout(v as string), 'or off'), null),
    retries: optional((v) => parseInteger(v), 0),
    retryDelay: optional((v) => durationText(v, false), 0),
    delay: optional((v) => durationText(v, false), 0),
    halt: optional((v): HaltRule => parseHalt(v as string), { when: 'never' }),
    memoryLimit: optional(orOff((v) => parseSize(v as string), 'or off'), null),
    kill: optional((v): KillStep[] => parseKillSequence(v as string), DEFAULT_KILL_SEQUENCE.map((s) => ({ ...s }))),
    stuck: stuckSchema,
    env: envSchema.optional(),
    cwd: optional(nonEmptyText, null as string | null),
    order: optional((v) => parseChoice<Ordering>(v, ['input', 'longest-first']), 'input'),
    maxTasksPerWorker: optional((v) => parseInteger(v, true), null as number | null),
    // Module and Python jobs: inputs sent to a host this many at a time (each still its own task)
    chunksize: optional(parseChunksize, 1),
    maxResultSize: optional((v) => parseSize(v as string), 16 * 1024 * 1024),
    daemons: optional((v) => parseChoice<'kill' | 'keep'>(v, ['kill', 'keep']), 'kill'),
  },
  'a mapping of job keys',
);

export type ParsedJob = z.output<typeof jobSchema>;

/** The one input source of a parsed `inputs` mapping (exactly one is checked by the caller). */
export function inputsOf(inputs: ParsedJob['inputs'], resolvePath: (p: string) => string): InputsSpec | null {
  if (inputs.list) return { kind: 'list', list: inputs.list };
  if (inputs.range) return { kind: 'range', ...inputs.range };
  if (inputs.file !== undefined) return { kind: 'file', file: resolvePath(inputs.file) };
  if (inputs.glob !== undefined) return { kind: 'glob', pattern: inputs.glob };
  return null;
}
