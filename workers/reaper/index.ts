// The orphan reaper: a tiny process the supervisor starts (detached, its own group) and feeds task
// groups on stdin. If that pipe ends without "bye" the supervisor is gone, so every group it was told
// about is killed (TERM, grace, KILL). Runs as plain Node (ELECTRON_RUN_AS_NODE=1 inside the app).
import { processesWithEnv } from '../../main/core/monitor/platform/procfs.js';
import { lineSplitter, MARKER_ENV, parseReaperCommand, reaperGraceMs, reaperMarker } from '../../main/core/reap/protocol.js';
import { REAP_DEFAULTS, reapGroups, type ReapTarget } from '../../main/core/reap/reapGroups.js';

const groups = new Map<number, ReapTarget>();
/** pid → start time of daemons the supervisor left running on purpose */
const spared = new Map<number, string>();
const graceMs = reaperGraceMs(process.argv.slice(2), process.env, REAP_DEFAULTS.graceMs);
const marker = reaperMarker(process.argv.slice(2));
let finishing = false;

function log(message: string): void {
  try {
    process.stderr.write(`corral reaper[${process.pid}]: ${message}\n`);
  } catch {
    // The terminal or log pipe may be gone with the supervisor; reaping matters more than the log.
  }
}

// The supervisor's own Ctrl-C / hangup handling decides what happens to tasks, not the terminal.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);

async function reapAll(reason: string): Promise<void> {
  if (finishing) return;
  finishing = true;
  const targets = [...groups.values()];
  const marked = markedGroups(new Set(groups.keys()));
  if (targets.length + marked.length === 0) process.exit(0);
  const more = marked.length > 0 ? ` and ${marked.length} more found by ${MARKER_ENV}` : '';
  log(`supervisor pipe ${reason} without bye; reaping ${targets.length} task group(s)${more}`);
  targets.push(...marked);
  const result = await reapGroups(targets, { graceMs });
  if (result.survivors.length > 0) log(`could not kill group(s) ${result.survivors.join(', ')}`);
  process.exit(result.survivors.length > 0 ? 1 : 0);
}

/** Groups of live processes carrying the supervisor's marker that the supervisor never told about. */
function markedGroups(known: Set<number>): ReapTarget[] {
  if (!marker || process.platform !== 'linux') return [];
  const found = new Map<number, ReapTarget>();
  const entry = `${MARKER_ENV}=${marker}`;
  for (const p of processesWithEnv([entry]).get(entry) ?? []) {
    if (p.pid === process.pid || known.has(p.pgid) || found.has(p.pgid) || spared.get(p.pid) === p.startTime) continue;
    // The process itself stands for its group: its start time guards the kill against pid reuse.
    found.set(p.pgid, { pgid: p.pgid, pid: p.pid, startTime: p.startTime });
  }
  return [...found.values()];
}

process.stdin.setEncoding('utf8');
process.stdin.on(
  'data',
  lineSplitter((line) => {
    if (finishing) return;
    const cmd = parseReaperCommand(line);
    if (!cmd) return log(`ignoring malformed command: ${line.slice(0, 200)}`);
    if (cmd.op === 'add') groups.set(cmd.pgid, { pgid: cmd.pgid, pid: cmd.pid, startTime: cmd.startTime });
    else if (cmd.op === 'remove') groups.delete(cmd.pgid);
    else if (cmd.op === 'spare') spared.set(cmd.pid, cmd.startTime);
    else {
      finishing = true;
      process.exit(0);
    }
  }),
);
const reapOrSay = (reason: string): void => {
  reapAll(reason).catch((err: Error) => {
    log(`reaping failed: ${err.message}`);
    process.exit(1);
  });
};
process.stdin.on('end', () => reapOrSay('closed'));
process.stdin.on('close', () => reapOrSay('closed'));
process.stdin.on('error', (err) => reapOrSay(`failed (${err.message})`));
