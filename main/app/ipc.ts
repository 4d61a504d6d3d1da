import { ipcChannel, methodNames } from '../contract/index.js';
import type { CorralService, MethodName, Result } from '../contract/index.js';
import { errorResult, guardedCall } from '../contract/index.js';
import { isTrustedSender } from './window.js';

// The Electron transport, written against the few members of ipcMain/webContents it uses so a
// faithful in-memory stand-in can test it (the real ones satisfy these interfaces).

export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export const ipcMessages = Object.freeze({
  forbidden: (url: string | null) => `refused a call from ${url ?? 'a frame that is gone'}: only ${'app://corral/'} pages may call Corral`,
});

function frameUrl(event: InvokeEventLike): string | null {
  try {
    return event.senderFrame?.url ?? null; // the getter throws when the frame was destroyed mid-call
  } catch {
    return null;
  }
}

export function handleInvoke(service: CorralService, method: MethodName) {
  return async (event: InvokeEventLike, args?: unknown): Promise<Result<unknown>> => {
    const url = frameUrl(event);
    if (!isTrustedSender(url)) return errorResult('FORBIDDEN', ipcMessages.forbidden(url));
    return guardedCall(service, method, args);
  };
}

/** Registers one handler per contract method and forwards ticks/notices; returns the undo. */
export function registerIpc(ipcMain: IpcMainLike, service: CorralService, target: () => WebContentsLike | null): () => void {
  for (const m of methodNames) ipcMain.handle(ipcChannel.invoke(m), handleInvoke(service, m));
  const forward = (channel: string) => (payload: unknown) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(channel, payload);
  };
  const offTick = service.on('tick', forward(ipcChannel.tick));
  const offNotice = service.on('notice', forward(ipcChannel.notice));
  return () => {
    offTick();
    offNotice();
    for (const m of methodNames) ipcMain.removeHandler(ipcChannel.invoke(m));
  };
}
