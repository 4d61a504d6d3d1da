import { parseArgs as parseTokens } from 'node:util';

/** A usage error: exit code 2, message on stderr, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** flags that take a value, e.g. '--jobs' */
  values: readonly string[];
  /** flags without a value; '--help' also answers to -h */
  switches: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

/**
 * Strict flag parsing on node:util's tokenizer: unknown flags and missing values are usage
 * errors that name the flag. util's own strict mode is off only so that the messages are ours.
 */
export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of spec.values) options[flag.slice(2)] = { type: 'string' };
  for (const flag of spec.switches) options[flag.slice(2)] = flag === '--help' ? { type: 'boolean', short: 'h' } : { type: 'boolean' };
  const { tokens } = parseTokens({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedArgs = { positionals: [], values: new Map(), switches: new Set() };
  for (const token of tokens) {
    if (token.kind === 'positional') out.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const flag = `--${token.name}`;
    if (spec.switches.includes(flag)) {
      if (token.value !== undefined) throw new UsageError(`corral ${command}: ${token.rawName} takes no value`);
      out.switches.add(flag);
    } else if (spec.values.includes(flag) && token.rawName === flag) {
      // "--jobs --json" is a forgotten value, not a pool size of "--json".
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError(`corral ${command}: ${flag} needs a value`);
      out.values.set(flag, token.value);
    } else {
      throw new UsageError(`corral ${command}: unknown option ${token.rawName} (see corral ${command} --help)`);
    }
  }
  return out;
}
