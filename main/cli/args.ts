/** A usage error: exit code 2, message on stderr, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** flags that take a value */
  values: readonly string[];
  /** flags without a value */
  switches: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

/** Strict flag parsing: unknown flags and missing values are usage errors that name the flag. */
export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (spec.switches.includes(name)) {
      if (eq > 0) throw new UsageError(`corral ${command}: ${name} takes no value`);
      out.switches.add(name);
    } else if (spec.values.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`corral ${command}: ${name} needs a value`);
      out.values.set(name, v);
    } else {
      throw new UsageError(`corral ${command}: unknown option ${name} (see corral ${command} --help)`);
    }
  }
  return out;
}

export function positiveInt(command: string, flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`corral ${command}: ${flag} expects a positive integer, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function nonNegativeInt(command: string, flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
    throw new UsageError(`corral ${command}: ${flag} expects a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return n;
}
