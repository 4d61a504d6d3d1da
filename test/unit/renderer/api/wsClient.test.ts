import { describe, expect, it } from 'vitest';
import type { WsClientFrame } from '../../../../main/contract/api.js';
import type { Tick } from '../../../../main/contract/types.js';
import { connectionLostMessage, createWsClient, notConnectedMessage, type WsLike } from '../../../../renderer/api/wsClient.js';
import { tick } from '../fixtures.js';

class FakeSocket implements WsLike {
  readyState = 0;
  sent: WsClientFrame[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as WsClientFrame);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { cb: () => void; ms: number }[] = [];
  const client = createWsClient({
    url: 'ws://h/ws?token=t',
    create: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (cb, ms) => timers.push({ cb, ms }),
    clearTimer: () => {},
    now: () => 0,
  });
  return { client, sockets, timers };
}

describe('createWsClient', () => {
  it('sends frames and resolves results by id', async () => {
    const { client, sockets } = setup();
    sockets[0].open();
    const p1 = client.api.getSnapshot(undefined);
    const p2 = client.api.killTask({ seq: 7, mode: 'graceful' });
    expect(sockets[0].sent).toEqual([
      { id: 1, method: 'getSnapshot' },
      { id: 2, method: 'killTask', args: { seq: 7, mode: 'graceful' } },
    ]);
    sockets[0].receive({ id: 2, result: { ok: true, value: null } });
    sockets[0].receive({ id: 1, result: { ok: false, error: { code: 'FORBIDDEN', message: 'no' } } });
    expect(await p2).toEqual({ ok: true, value: null });
    expect(await p1).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
  });

  it('delivers tick and notice events to subscribers until they unsubscribe', () => {
    const { client, sockets } = setup();
    sockets[0].open();
    const got: Tick[] = [];
    const off = client.api.onTick((t) => got.push(t));
    const notices: string[] = [];
    client.api.onNotice((n) => notices.push(n.message));
    sockets[0].receive({ event: 'tick', payload: tick(1) });
    sockets[0].receive({ event: 'notice', payload: { level: 'info', kind: 'info', message: 'hi', time: 1 } });
    off();
    sockets[0].receive({ event: 'tick', payload: tick(2) });
    expect(got.map((t) => t.n)).toEqual([1]);
    expect(notices).toEqual(['hi']);
  });

  it('fails calls while disconnected and pending calls when the socket drops', async () => {
    const { client, sockets } = setup();
    expect(await client.api.startJob(undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: notConnectedMessage } });
    sockets[0].open();
    const p = client.api.startJob(undefined);
    sockets[0].drop();
    expect(await p).toEqual({ ok: false, error: { code: 'INTERNAL', message: connectionLostMessage } });
  });

  it('reconnects with growing backoff and resets it after a successful open', () => {
    const { client, sockets, timers } = setup();
    sockets[0].drop();
    expect(client.status.get()).toMatchObject({ state: 'closed', attempts: 1, everOpened: false });
    sockets[0].drop(); // a stale socket's late close is ignored
    expect(timers).toHaveLength(1);
    timers[0].cb();
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    expect(timers.map((t) => t.ms)).toEqual([500, 1000]);
    timers[1].cb();
    sockets[2].open();
    expect(client.status.get()).toMatchObject({ state: 'open', attempts: 0, everOpened: true });
    sockets[2].drop();
    expect(timers[2].ms).toBe(500);
  });

  it('stops retrying when the server refuses the token', () => {
    const { client, sockets, timers } = setup();
    sockets[0].drop(1008);
    expect(client.status.get().state).toBe('refused');
    expect(timers).toHaveLength(0);
  });

  it('close() ends the connection for good', () => {
    const { client, sockets, timers } = setup();
    sockets[0].open();
    client.close();
    sockets[0].drop();
    expect(timers).toHaveLength(0);
  });
});
