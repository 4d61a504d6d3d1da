import type { CorralApi, MethodName, WsClientFrame, WsServerFrame } from '../../main/contract/api.js';
import type { Result } from '../../main/contract/types.js';
import { Value } from '../store/emitter.js';
import type { ConnectionStatus } from '../store/uiStore.js';
import { apiEvents } from './events.js';
import { corralMethodNames } from './methods.js';

// The browser transport: the contract over one WebSocket to `corral serve`, with reconnect and
// backoff. Calls never reject: transport failures come back as error Results like any other.

/** The part of the DOM WebSocket we use, so tests can pass a fake. */
export interface WsLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsClientOptions {
  url: string;
  create: (url: string) => WsLike;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

export interface WsClient {
  api: CorralApi;
  status: Value<ConnectionStatus>;
  close(): void;
}

const OPEN = 1;
// Close codes a server uses to refuse us for good (bad token, wrong origin): retrying cannot help.
const refusedCodes = new Set([1008, 4001, 4003, 4401, 4403]);

export const notConnectedMessage = 'Not connected to the Corral server; reconnecting.';
export const connectionLostMessage = 'The connection to the Corral server was lost before it answered.';

export function createWsClient(o: WsClientOptions): WsClient {
  const setTimer = o.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
  const clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const now = o.now ?? Date.now;
  const minBackoff = o.minBackoffMs ?? 500;
  const maxBackoff = o.maxBackoffMs ?? 10_000;
  const status = new Value<ConnectionStatus>({ state: 'connecting', attempts: 0, retryAt: null, everOpened: false });
  const events = apiEvents();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WsLike | null = null;
  let timer: unknown = null;
  let closed = false;

  const fail = (message: string): Result<never> => ({ ok: false, error: { code: 'INTERNAL', message } });

  function connect(): void {
    timer = null;
    if (closed) return;
    status.set({ ...status.get(), state: 'connecting', retryAt: null });
    const ws = o.create(o.url);
    socket = ws;
    ws.onopen = () => {
      status.set({ state: 'open', attempts: 0, retryAt: null, everOpened: true });
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let frame: WsServerFrame;
      try {
        frame = JSON.parse(ev.data) as WsServerFrame;
      } catch {
        return;
      }
      if ('id' in frame) {
        const resolve = pending.get(frame.id);
        pending.delete(frame.id);
        resolve?.(frame.result);
      } else if (frame.event === 'tick') {
        events.emitTick(frame.payload);
      } else if (frame.event === 'notice') {
        events.emitNotice(frame.payload);
      }
    };
    ws.onerror = () => {
      // onclose follows and decides what to do
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      for (const resolve of pending.values()) resolve(fail(connectionLostMessage));
      pending.clear();
      if (closed) return;
      const prev = status.get();
      if (refusedCodes.has(ev.code)) {
        status.set({ ...prev, state: 'refused', retryAt: null });
        return;
      }
      const attempts = prev.attempts + 1;
      const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(attempts - 1, 10));
      status.set({ ...prev, state: 'closed', attempts, retryAt: now() + delay });
      timer = setTimer(connect, delay);
    };
  }

  function call(method: MethodName, args: unknown): Promise<Result<unknown>> {
    const ws = socket;
    if (!ws || ws.readyState !== OPEN) return Promise.resolve(fail(notConnectedMessage));
    const id = nextId++;
    const frame: WsClientFrame = args === undefined ? { id, method } : { id, method, args };
    return new Promise((resolve) => {
      pending.set(id, resolve);
      try {
        ws.send(JSON.stringify(frame));
      } catch {
        pending.delete(id);
        resolve(fail(notConnectedMessage));
      }
    });
  }

  const methods = Object.fromEntries(corralMethodNames.map((m) => [m, (args: unknown) => call(m, args)]));
  const api = {
    ...methods,
    onTick: events.onTick,
    onNotice: events.onNotice,
  } as unknown as CorralApi;

  connect();
  return {
    api,
    status,
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      socket?.close(1000, 'closed by the page');
    },
  };
}
