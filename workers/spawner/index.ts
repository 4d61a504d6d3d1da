// The spawn helper: a small process the supervisor starts (detached, its own group) that forks the
// command tasks for it. A fork copies the parent's page tables, so forking from this ~40 MB process
// costs the same whatever the supervisor's heap has grown to. Requests arrive as JSON lines on stdin;
// pid + start time, output and exit status go back as frames on stdout (main/core/run/spawnProtocol.ts).
// When stdin ends (supervisor gone) it exits: its tasks are in their own groups, which the reaper and
// the CORRAL_SUPERVISOR marker take care of. Runs as plain Node (ELECTRON_RUN_AS_NODE=1 in the app).
import { spawn, type ChildProcess } from 'node:child_process';
import { processStartTime } from '../../main/core/stop/liveness.js';
import { lineSplitter } from '../../main/core/reap/protocol.js';
import { applyEnvDelta, encodeFrame, FRAME, type ExitInfo, type SpawnedInfo, type SpawnRequest } from '../../main/core/run/spawnProtocol.js';

const children = new Map<number, ChildProcess>();
/** The latest base environment (requests arrive in order: no spawn names an older one) */
let envBase: { id: number; env: NodeJS.ProcessEnv } = { id: 0, env: {} };
let out: Buffer[] = [];
let flushScheduled = false;
let blocked = false;

// The supervisor's own Ctrl-C / hangup handling decides what happens to tasks, not the terminal.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.stdout.on('error', () => process.exit(0)); // the supervisor is gone
process.stdout.on('drain', () => {
  blocked = false;
  for (const c of children.values()) {
    c.stdout?.resume();
    c.stderr?.resume();
  }
});

/** One write per event-loop turn; while the supervisor has not read the last ones, tasks' pipes pause. */
function send(frame: Buffer): void {
  out.push(frame);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    const batch = out.length === 1 ? out[0] : Buffer.concat(out);
    out = [];
    if (!process.stdout.write(batch)) {
      blocked = true;
      for (const c of children.values()) {
        c.stdout?.pause();
        c.stderr?.pause();
      }
    }
  });
}

function start(req: Extract<SpawnRequest, { op: 'spawn' }>): void {
  const { id } = req;
  let child: ChildProcess;
  try {
    if (req.envBase !== envBase.id) throw new Error(`unknown environment ${req.envBase}`);
    child = spawn(req.file, req.args, { cwd: req.cwd, env: applyEnvDelta(envBase.env, req.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send(encodeFrame(FRAME.spawned, id, JSON.stringify({ error: { code: e.code, message: e.message } } satisfies SpawnedInfo)));
    send(encodeFrame(FRAME.closed, id));
    return;
  }
  const pid = child.pid;
  if (pid === undefined) {
    // Spawn failed (ENOENT…): 'error' follows on the next tick with the reason.
    child.once('error', (e: NodeJS.ErrnoException) => {
      send(encodeFrame(FRAME.spawned, id, JSON.stringify({ error: { code: e.code, message: e.message } } satisfies SpawnedInfo)));
      send(encodeFrame(FRAME.closed, id));
    });
    return;
  }
  // Read before this loop can reap it (SIGCHLD is handled on the loop): the pid is still this child.
  send(encodeFrame(FRAME.spawned, id, JSON.stringify({ pid, startTime: processStartTime(pid) } satisfies SpawnedInfo)));
  children.set(id, child);
  child.stdout!.on('data', (chunk: Buffer) => send(encodeFrame(FRAME.stdout, id, chunk)));
  child.stderr!.on('data', (chunk: Buffer) => send(encodeFrame(FRAME.stderr, id, chunk)));
  if (blocked) {
    child.stdout!.pause();
    child.stderr!.pause();
  }
  child.once('exit', (code, signal) => send(encodeFrame(FRAME.exit, id, JSON.stringify({ code, signal } satisfies ExitInfo))));
  child.once('close', () => {
    children.delete(id);
    send(encodeFrame(FRAME.closed, id));
  });
  child.once('error', () => undefined); // a failed kill() or pipe error; exit/close still follow
}

function release(id: number): void {
  const child = children.get(id);
  if (!child) return;
  child.stdout?.destroy();
  child.stderr?.destroy();
}

process.stdin.setEncoding('utf8');
process.stdin.on(
  'data',
  lineSplitter((line) => {
    const req = JSON.parse(line) as SpawnRequest;
    if (req.op === 'spawn') start(req);
    else if (req.op === 'env') envBase = { id: req.id, env: req.env };
    else if (req.op === 'release') release(req.id);
    else if (req.op === 'ping') send(encodeFrame(FRAME.pong, req.id));
  }),
);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
