import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import type { CorralEvents, CorralService, EventName, MethodName, MethodValue, Result, WsServerFrame } from '../../contract/index.js';
import { errorResult } from '../../contract/index.js';
import { onLines } from './lines.js';
import { controlLimits } from './server.js';

/** A supervisor in another process, through its control socket: the same CorralService. */
export interface RemoteService extends CorralService {
  /** Resolves when the connection ends (the supervisor exited, or close()) */
  readonly closed: Promise<void>;
  close(): void;
}

export async function connectControl(socket: string): Promise<RemoteService> {
  const sock = connect(socket);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`cannot connect to ${socket}: ${err.code ?? err.message}`)));
  });
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let open = true;
  const closed = new Promise<void>((resolve) =>
    sock.once('close', () => {
      open = false;
      for (const done of pending.values()) done(errorResult('BAD_STATE', `the supervisor at ${socket} went away`));
      pending.clear();
      resolve();
    }),
  );
  sock.on('error', () => sock.destroy());
  onLines(
    sock,
    controlLimits.maxLine,
    (line) => {
      let frame: WsServerFrame;
      try {
        frame = JSON.parse(line) as WsServerFrame;
      } catch {
        return;
      }
      if ('id' in frame) {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else events.emit(frame.event, frame.payload);
    },
    () => sock.destroy(),
  );
  return {
    closed,
    close: () => sock.destroy(),
    call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
      if (!open) return Promise.resolve(errorResult('BAD_STATE', `the supervisor at ${socket} went away`));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        sock.write(JSON.stringify({ id, method, args }) + '\n');
      });
    },
    on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void {
      events.on(event, cb);
      return () => events.off(event, cb);
    },
  };
}
