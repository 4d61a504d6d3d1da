import { promises as fsp } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { CorralService, Notice, Tick, WsServerFrame } from '../../contract/index.js';
import { errorResult, guardedCall, mergeTicks, parseFrame } from '../../contract/index.js';
import { detach } from '../errors.js';
import { onLines } from './lines.js';
import { controlDir, ownStartTime, removeEntrySync, socketPathFor, writeEntry, type ControlEntry } from './registry.js';

// The control socket: the contract, as on the WebSocket (same frames, same guard), one JSON frame
// per line, for the user alone (directory 0700, socket 0600). Windows: a named pipe with Node's
// default security (Node cannot set a pipe's ACL; see README "Watching runs").

export const controlLimits = Object.freeze({ maxLine: 8 * 1024 * 1024, highWater: 1024 * 1024, dropAt: 16 * 1024 * 1024 });

export interface ControlServer {
  socket: string;
  close(): Promise<void>;
}

interface Client {
  sock: Socket;
  held: Tick | null;
  service: CorralService;
  /** Its own view (a job registry's), or null when it shares the server's service */
  session: ControlSession | null;
  /** Unhooks it (its session, its reading of rows); once */
  leave?: () => void;
}

/** A connection's own view of the process's jobs: which one it watches is its own choice. */
export interface ControlSession extends CorralService {
  close(): void;
}

export interface ControlServerOptions {
  /** Names the entry (its job) and serves every connection, unless `session` gives each its own */
  service: CorralService;
  session?: () => ControlSession;
  stateDir: string;
  log?: (line: string) => void;
}

export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { service, stateDir } = opts;
  const log = opts.log ?? (() => {});
  const dir = controlDir(stateDir);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await fsp.chmod(dir, 0o700);
  const socket = socketPathFor(stateDir, process.pid);
  // sun_path holds 108 bytes on Linux, 104 on macOS: a longer path fails with a bare EINVAL.
  if (process.platform !== 'win32' && Buffer.byteLength(socket) > 103) {
    throw new Error(`the socket path ${socket} is ${Buffer.byteLength(socket)} bytes, longer than a Unix socket allows (103); set CORRAL_STATE_DIR to a shorter directory`);
  }
  // A socket left by an earlier process with this pid (it died by kill -9) would refuse the bind.
  if (process.platform !== 'win32') await fsp.rm(socket, { force: true });

  const clients = new Set<Client>();
  const send = (c: Client, frame: WsServerFrame | string) => {
    if (c.sock.destroyed) return;
    c.sock.write((typeof frame === 'string' ? frame : JSON.stringify(frame)) + '\n');
  };
  const tooFull = (c: Client) => {
    if (c.sock.writableLength <= controlLimits.dropAt) return false;
    log(`corral: dropped a control-socket client that stopped reading (${c.sock.writableLength} bytes queued)`);
    c.sock.destroy();
    return true;
  };
  const entry: ControlEntry = { pid: process.pid, pidStart: ownStartTime(), startedAt: Date.now(), socket, jobName: null };
  const tickText = (t: Tick) => JSON.stringify({ event: 'tick', payload: t } satisfies WsServerFrame);
  const deliver = (c: Client, t: Tick, text: () => string) => {
    if (tooFull(c)) return;
    if (c.sock.writableLength > controlLimits.highWater) c.held = mergeTicks(c.held, t);
    else if (c.held) {
      send(c, { event: 'tick', payload: mergeTicks(c.held, t) });
      c.held = null;
    } else send(c, text());
  };
  const onTick = (t: Tick) => {
    if (t.job && t.job.name !== entry.jobName) {
      entry.jobName = t.job.name;
      detach(writeEntry(stateDir, entry), (err) => log(`corral: control entry: ${err.message}`));
    }
    let text: string | null = null; // serialised once for every client that shares the service
    for (const c of clients) if (!c.session) deliver(c, t, () => (text ??= tickText(t)));
  };
  const noticeText = (n: Notice) => JSON.stringify({ event: 'notice', payload: n } satisfies WsServerFrame);
  const onNotice = (n: Notice) => {
    const text = noticeText(n);
    for (const c of clients) if (!c.session && !tooFull(c)) send(c, text);
  };
  const offTick = service.on('tick', onTick);
  const offNotice = service.on('notice', onNotice);

  const server = createServer((sock) => {
    const session = opts.session?.() ?? null;
    const c: Client = { sock, held: null, service: session ?? service, session };
    clients.add(c);
    // Rows in the ticks while a client shares the service (`corral run` leaves them out otherwise).
    const stopReading = session ? null : (service.readTickRows?.() ?? null);
    const offSession = session
      ? (() => {
          const offT = session.on('tick', (t) => deliver(c, t, () => tickText(t)));
          const offN = session.on('notice', (n) => !tooFull(c) && send(c, noticeText(n)));
          return () => (offT(), offN(), session.close());
        })()
      : () => {};
    const gone = () => {
      if (!clients.delete(c)) return;
      offSession();
      stopReading?.();
    };
    c.leave = gone;
    sock.on('error', gone);
    sock.on('close', gone);
    onLines(
      sock,
      controlLimits.maxLine,
      (line) => {
        const frame = parseFrame(line);
        if (typeof frame === 'string') return send(c, { id: -1, result: errorResult('INVALID_ARGUMENT', frame) });
        guardedCall(c.service, frame.method, frame.args).then(
          (result) => send(c, { id: frame.id, result }),
          (err: Error) => send(c, { id: frame.id, result: errorResult('INTERNAL', `internal error: ${err.message}`) }),
        );
      },
      () => sock.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`cannot listen on control socket ${socket}: ${err.code ?? err.message}`)));
    server.listen(socket, () => resolve());
  });
  if (process.platform !== 'win32') await fsp.chmod(socket, 0o600);
  await writeEntry(stateDir, entry);
  const onExit = () => removeEntrySync(stateDir, entry);
  process.on('exit', onExit);

  let closing: Promise<void> | null = null;
  return {
    socket,
    close() {
      closing ??= new Promise<void>((resolve) => {
        offTick();
        offNotice();
        process.off('exit', onExit);
        for (const c of [...clients]) {
          c.sock.destroy();
          c.leave?.();
        }
        server.close(() => {
          removeEntrySync(stateDir, entry);
          resolve();
        });
      });
      return closing;
    },
  };
}

/** For entry points: a supervisor without a control socket still runs; the reason is logged once. */
export async function startControlOrWarn(service: CorralService, stateDir: string, log: (line: string) => void, session?: () => ControlSession): Promise<ControlServer | null> {
  try {
    return await startControlServer({ service, stateDir, log, session });
  } catch (err) {
    log(`corral: warning: no control socket, this run cannot be attached to: ${(err as Error).message}`);
    return null;
  }
}
