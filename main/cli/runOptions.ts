// Options of `corral run` that are not job keys: how task output is printed, --serve, --dry-run.
import { inputText } from '../core/job/columns.js';
import { expandCommand, replacementValue, REPLACEMENT_STRING } from '../core/job/index.js';
import { inputLiteral } from '../core/job/bytes.js';
import type { LoadedSpec } from '../core/pool/jobLoader.js';
import type { TaskRecord } from '../core/pool/task.js';
import { UsageError } from './args.js';
import type { RunArgs } from './runArgs.js';
import type { Sink } from './sink.js';
import type { OutputMode, TaskOutputOptions } from './taskOutput.js';

export function outputOptions(a: RunArgs): Omit<TaskOutputOptions, 'skipped'> {
  const modes = (['--line-buffer', '--ungroup', '--group'] as const).filter((f) => a.switches.has(f));
  if (modes.length > 1) throw new UsageError(`corral run: ${modes[0]} and ${modes[1]} cannot be used together`);
  const mode: OutputMode = modes[0] === '--line-buffer' ? 'line-buffer' : modes[0] === '--ungroup' ? 'ungroup' : 'group';
  const tag = tagOf(a);
  return { mode, keepOrder: a.switches.has('--keep-order'), tag: tag && ((t: TaskRecord) => tag(t.info.input, t.seq, t.info.slot ?? 1)) };
}

/** --tag (the input, columns joined by spaces) or --tagstring STR (replacement strings, unquoted), then a tab. */
function tagOf(a: RunArgs): ((input: string, seq: number, slot: number) => string) | null {
  const tagString = a.values.get('--tagstring');
  if (tagString !== undefined) return (input, seq, slot) => `${tagString.replace(REPLACEMENT_STRING, (token) => replacementValue(token, { input, seq, slot }))}\t`;
  if (a.switches.has('--tag')) return (input) => `${inputText(input)}\t`;
  return null;
}

/** --serve [--port N]: the port to serve the dashboard on (0 = a free one), or null. */
export function servePort(a: RunArgs): number | null {
  const text = a.values.get('--port');
  if (!a.switches.has('--serve')) {
    if (text !== undefined) throw new UsageError('corral run: --port needs --serve');
    return null;
  }
  const port = Number(text ?? '0');
  if (!/^\d+$/.test(text ?? '0') || port > 65535) throw new UsageError(`corral run: --port expects 0..65535, got ${JSON.stringify(text)}`);
  return port;
}

/** --dry-run: each task's command as the shell would get it (after its tag, as parallel), and nothing is run. */
export async function dryRun(a: RunArgs, loaded: LoadedSpec, out: Sink): Promise<void> {
  const tag = tagOf(a);
  try {
    for (let i = 0; i < loaded.inputs.length; i++) {
      const input = loaded.inputs.get(i);
      let line: string;
      if (loaded.spec.command === null) line = `${loaded.spec.module}(${inputLiteral(input)})`;
      else {
        const e = expandCommand(loaded.spec.command, { input, seq: i + 1, slot: 1 });
        line = e.shell ? e.args[e.args.length - 1] : e.display;
      }
      out.write(`${tag ? tag(input, i + 1, 1) : ''}${line}\n`);
      if (i % 1024 === 1023) await out.idle();
    }
    await out.idle();
  } finally {
    loaded.inputs.close();
  }
}
