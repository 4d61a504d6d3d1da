import WebSocket from 'ws';
import { methodNames } from '../../main/contract/index.js';
import type { CorralApi, Notice, Result, Tick, WsServerFrame } from '../../main/contract/index.js';

// A Node client speaking the dashboard protocol of main/serve/ws.ts, as the browser client does.

export interface WsApiClient {
  api: CorralApi;
  /** Sends any frame (e.g. an unknown method) and resolves with the reply for its id. */
  rawCall(method: string, args: unknown): Promise<Result<unknown>>;
  /** Sends a raw text frame and resolves with the next reply of id -1. */
  rawFrame(text: string): Promise<Result<unknown>>;
  ws: WebSocket;
  close(): Promise<void>;
}

export function wsUrl(httpUrl: string): string {
  const u = new URL(httpUrl);
  return `ws://${u.host}/ws`;
}

export function tokenOf(httpUrl: string): string {
  return new URLSearchParams(new URL(httpUrl).hash.slice(1)).get('token') ?? '';
}

export async function connectWsApi(dashboardUrl: string, opts: { origin?: string; token?: string } = {}): Promise<WsApiClient> {
  const u = new URL(dashboardUrl);
  const ws = new WebSocket(wsUrl(dashboardUrl), ['corral.v1', `corral.token.${opts.token ?? tokenOf(dashboardUrl)}`], {
    origin: opts.origin ?? u.origin,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const ticks = new Set<(t: Tick) => void>();
  const notices = new Set<(n: Notice) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as WsServerFrame;
    if ('id' in frame) {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (frame.event === 'tick') ticks.forEach((cb) => cb(frame.payload));
    else if (frame.event === 'notice') notices.forEach((cb) => cb(frame.payload));
  });
  const send = (id: number, text: string) =>
    new Promise<Result<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(text);
    });
  const rawCall = (method: string, args: unknown) => {
    const id = nextId++;
    return send(id, JSON.stringify({ id, method, args }));
  };
  const api = Object.fromEntries(methodNames.map((m) => [m, (args: unknown) => rawCall(m, args)])) as unknown as CorralApi;
  api.onTick = (cb) => (ticks.add(cb), () => void ticks.delete(cb));
  api.onNotice = (cb) => (notices.add(cb), () => void notices.delete(cb));
  return {
    api,
    rawCall,
    rawFrame: (text) => send(-1, text),
    ws,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
