import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CorralService, Tick } from '../../../main/contract/index.js';
import { connectControl, startControlServer } from '../../../main/core/control/index.js';
import type { Supervisor } from '../../../main/core/supervisor.js';
import { createWsHub } from '../../../main/serve/ws.js';
import { cleanup, startJob, tempDir, waitFor, withDeadline } from './helpers.js';

// A `corral run` supervisor (tickRows: 'when-read') builds the ticks' task rows only while a
// dashboard or an attached client is there to read them (its own report takes each task's line
// as it ends). At 45 000 module tasks a second, rows nobody reads were most of what the supervisor
// allocated; the counts in the tick are the same either way.

afterEach(cleanup);

// 12 tasks: every third fails.
const job = `name: rows\ncommand: [sh, -c, 'exit $(( {} % 3 == 0 ))']\ninputs:\n  range: { from: 1, to: 12 }\nconcurrency: 3\n`;

async function ran(setup: (sup: Supervisor) => void, mode: 'always' | 'when-read' = 'when-read') {
  const h = await startJob(job, { start: false, tickRows: mode });
  setup(h.sup);
  const r = await h.sup.call('startJob', {});
  expect(r.ok).toBe(true);
  await withDeadline(h.sup.finished(), 60_000, 'the job to finish');
  await h.sup.close(); // its last tick carries the last changes
  const rows = h.ticks.flatMap((t) => t.tasks);
  const last = h.ticks[h.ticks.length - 1].job!;
  return { rows, counts: last.counts, endedSeqs: [...new Set(rows.filter((t) => t.endedAt !== null).map((t) => t.seq))].sort((a, b) => a - b) };
}

const all = Array.from({ length: 12 }, (_, i) => i + 1);

describe("ticks' task rows (tickRows)", () => {
  it('with nobody reading, a tick has no rows and the same counts', async () => {
    const r = await ran(() => {});
    expect(r.rows).toEqual([]);
    expect([r.counts.total, r.counts.done, r.counts.failed]).toEqual([12, 8, 4]);
  });

  it('a reader sees every task end; a released one reads nothing', async () => {
    const r = await ran((sup) => {
      sup.readTickRows();
      sup.readTickRows()(); // registered and released: the other reader still reads
    });
    expect(r.endedSeqs).toEqual(all);
    expect([r.counts.done, r.counts.failed]).toEqual([8, 4]);
    const released = await ran((sup) => {
      const off = sup.readTickRows();
      off();
      off(); // twice is once
    });
    expect(released.rows).toEqual([]);
  });

  it("'always' (the app, corral serve) has every row with no reader", async () => {
    const r = await ran(() => {}, 'always');
    expect(r.endedSeqs).toEqual(all);
  });
});

/** The supervisor as a service that counts its active row readers. */
function counting(sup: Supervisor) {
  const c = { active: 0, service: null as unknown as CorralService };
  c.service = {
    call: (m, a) => sup.call(m, a),
    on: (e, cb) => sup.on(e, cb),
    readTickRows: () => {
      c.active++;
      const off = sup.readTickRows();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        c.active--;
        off();
      };
    },
  };
  return c;
}

describe('transports read rows while a client is there', () => {
  it('the control socket: rows reach an attached client; none are built after it leaves', async () => {
    const h = await startJob(job.replace("'exit", "'sleep 0.3; exit"), { start: false, tickRows: 'when-read' });
    const c = counting(h.sup);
    const state = tempDir('corral-rows-');
    const server = await startControlServer({ service: c.service, stateDir: join(state, 'state') });
    try {
      const client = await connectControl(server.socket);
      expect(c.active).toBe(1);
      const seen: Tick[] = [];
      client.on('tick', (t) => seen.push(t));
      expect((await h.sup.call('startJob', {})).ok).toBe(true);
      await waitFor('a tick with rows at the client', () => seen.some((t) => t.tasks.length > 0), 60_000);
      client.close();
      await waitFor('the server to see the client leave', () => c.active === 0, 30_000);
      const after = h.ticks.length;
      await withDeadline(h.sup.finished(), 60_000, 'the job to finish');
      await h.sup.close();
      expect(h.ticks.length).toBeGreaterThan(after); // at least the closing tick
      expect(h.ticks.slice(after).flatMap((t) => t.tasks)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('the WebSocket hub: one reader for any number of clients, released as the last one leaves or at close', () => {
    let active = 0;
    const service: CorralService = {
      call: () => Promise.reject(new Error('not called')),
      on: () => () => {},
      readTickRows: () => {
        active++;
        return () => active--;
      },
    };
    const fakeWs = () => Object.assign(new EventEmitter(), { readyState: 1, OPEN: 1, bufferedAmount: 0, send() {}, close() {}, terminate() {} });
    const hub = createWsHub(service, () => {});
    const [a, b, c] = [fakeWs(), fakeWs(), fakeWs()];
    hub.add(a as never);
    hub.add(b as never);
    expect(active).toBe(1);
    a.emit('close');
    a.emit('error', new Error('after close')); // a second goodbye is not a second release
    expect(active).toBe(1);
    b.emit('close');
    expect(active).toBe(0);
    hub.add(c as never);
    expect(active).toBe(1);
    hub.close();
    expect(active).toBe(0);
  });
});
