import type { IpcMainLike, InvokeEventLike, WebContentsLike } from '../../main/app/ipc.js';
import type { IpcRendererLike } from '../../preload/api.js';

// An in-memory ipcMain/ipcRenderer/webContents that behaves like Electron where it matters:
// every payload is structured-cloned both ways (so class instances, functions and getters do not
// survive), handlers are async, invoke rejects like Electron when no handler exists or one throws,
// and each invoke carries the sender frame's URL.

export interface IpcStandIn {
  ipcMain: IpcMainLike;
  ipcRenderer: IpcRendererLike;
  webContents: WebContentsLike & { destroy(): void };
  /** The URL the renderer's frame is at (change it to test the sender check). */
  frameUrl: string | null;
  handlerCount(): number;
}

type Listener = (event: unknown, ...args: unknown[]) => void;
type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export function createIpcStandIn(frameUrl: string | null = 'app://corral/index.html'): IpcStandIn {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  let destroyed = false;
  const clone = <T>(v: T): T => structuredClone(v);
  const standIn: IpcStandIn = {
    frameUrl,
    handlerCount: () => handlers.size,
    ipcMain: {
      handle(channel, listener) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, listener);
      },
      removeHandler(channel) {
        handlers.delete(channel);
      },
    },
    ipcRenderer: {
      async invoke(channel, ...args) {
        const sent = clone(args); // throws DataCloneError for functions, like Electron
        await new Promise((r) => setImmediate(r));
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        const url = standIn.frameUrl;
        const event: InvokeEventLike = { senderFrame: url === null ? null : { url } };
        let result: unknown;
        try {
          result = await handler(event, ...sent);
        } catch (err) {
          throw new Error(`Error invoking remote method '${channel}': ${String(err)}`);
        }
        return clone(result);
      },
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener(channel, listener) {
        listeners.get(channel)?.delete(listener);
      },
    },
    webContents: {
      send(channel, ...args) {
        if (destroyed) throw new Error('Object has been destroyed');
        const sent = clone(args);
        setImmediate(() => listeners.get(channel)?.forEach((l) => l({ sender: {} }, ...clone(sent))));
      },
      isDestroyed: () => destroyed,
      destroy: () => void (destroyed = true),
    },
  };
  return standIn;
}
