import { findLeftovers, killLeftovers } from '../core/reap/index.js';
import { parseArgs } from './args.js';
import type { RunIo } from './run.js';

export const REAP_HELP = `usage: corral reap [--dry-run]

Finds process groups left alive by a Corral run that did not end cleanly (its supervisor and
reaper were both killed) and kills them: TERM, a short grace, then KILL.`;

export async function reapCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const a = parseArgs('reap', argv, { values: [], switches: ['--dry-run', '--help'] });
  if (a.switches.has('--help')) {
    io.stdout.write(REAP_HELP + '\n');
    return 0;
  }
  const found = await findLeftovers();
  if (found.length === 0) {
    io.stdout.write('corral: no leftovers\n');
    return 0;
  }
  for (const l of found) io.stdout.write(`leftover: pid ${l.pid} (group ${l.pgid}) task ${l.seq} of ${l.job}: ${l.command}\n`);
  if (a.switches.has('--dry-run')) return 0;
  const killed = await killLeftovers(found);
  io.stdout.write(`corral: killed ${killed} leftover group(s)\n`);
  return killed === found.length ? 0 : 1;
}
