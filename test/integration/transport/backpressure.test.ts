import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorralEvents, CorralService, EventName, Tick } from '../../../main/contract/index.js';
import { startServer } from '../../../main/serve/index.js';
import type { RunningServer } from '../../../main/serve/index.js';
import { createFakeService } from '../../support/fakeService.js';
import { connectWsApi } from '../../support/wsClient.js';
import { fakeRendererDir } from '../../support/rendererDir.js';

// A client that stops reading must not grow the server's memory tick by tick: its ticks are held
// back and merged, and it gets one merged tick when it reads again, losing no task state.

function tickService() {
  const fake = createFakeService();
  const ticks = new Set<(t: Tick) => void>();
  const service: CorralService = {
    call: (m, a) => fake.call(m, a),
    on<E extends EventName>(event: E, cb: (p: CorralEvents[E]) => void) {
      if (event !== 'tick') return fake.on(event, cb);
      ticks.add(cb as (t: Tick) => void);
      return () => void ticks.delete(cb as (t: Tick) => void);
    },
  };
  const base = fake.tick();
  const emit = (n: number, padBytes: number) => {
    const task = { ...structuredClone(base.tasks[0] ?? null), seq: n, input: String(n), command: 'x'.repeat(padBytes) };
    const tick = { ...base, n, tasks: [task] } as Tick;
    ticks.forEach((cb) => cb(tick));
  };
  return { service, emit };
}

describe('WebSocket backpressure', () => {
  const renderer = fakeRendererDir();
  const logs: string[] = [];
  const { service, emit } = tickService();
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ service, port: 0, rendererDir: renderer.dir, log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('merges ticks for a client that stopped reading and loses no task record', async () => {
    const c = await connectWsApi(server.url);
    const got: Tick[] = [];
    c.api.onTick((t) => got.push(t));
    const socket = (c.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const count = 60;
    for (let n = 1; n <= count; n++) {
      emit(n, 200_000);
      await new Promise((r) => setImmediate(r)); // let the socket write what the kernel takes
    }
    socket.resume();
    const end = Date.now() + 60_000;
    while (!got.some((t) => t.n === count) && Date.now() < end) {
      emit(count + 1, 10); // a later tick flushes what was held
      await new Promise((r) => setTimeout(r, 50));
      if (got.some((t) => t.n >= count)) break;
    }
    const seqs = new Set(got.flatMap((t) => t.tasks.map((x) => x.seq)));
    for (let n = 1; n <= count; n++) expect(seqs.has(n), `task ${n}`).toBe(true);
    expect(got.length).toBeLessThan(count); // some ticks were merged, not queued one by one
    const ns = got.map((t) => t.n);
    expect([...ns].sort((a, b) => a - b)).toEqual(ns);
    await c.close();
  });

  it('drops a client whose send buffer passes 16 MiB', async () => {
    const c = await connectWsApi(server.url);
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    const socket = (c.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    emit(1, 20 * 1024 * 1024);
    emit(2, 10);
    expect(logs.some((l) => /^corral serve: dropped a WebSocket client that stopped reading \(\d+ bytes queued\)$/.test(l))).toBe(true);
    socket.resume();
    expect(await closed).toBe(1006);
  });
});
