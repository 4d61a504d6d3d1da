import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLeftovers, killLeftovers, openLedger } from '../../../../main/core/reap/ledger.js';
import { formatLedgerLine, parseLedger } from '../../../../main/core/reap/ledgerFile.js';
import { FakeProcesses } from './fakes.js';

const entry = (pid: number, pgid = pid) => ({ pid, pgid, startTime: `st-${pid}`, job: 'demo', seq: pid, command: `sleep ${pid}` });

let dir: string;
let fake: FakeProcesses;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'corral-ledger-'));
  fake = new FakeProcesses();
  fake.spawn(100); // the owner supervisor
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = (): string[] => readdirSync(dir).sort();
const open = (compactAt?: number) => openLedger({ dir, ownerPid: 100, listProcesses: fake.lister, compactAt, log: () => undefined });

describe('openLedger', () => {
  it('two supervisors of one process keep two files: closing one leaves the other and its tasks, found if the owner dies', async () => {
    const first = open();
    const second = openLedger({ dir, ownerPid: 100, part: 'job-2', listProcesses: fake.lister, log: () => undefined });
    expect(second.path).toBe(join(dir, 'ledger-100-job-2.jsonl'));
    fake.spawn(7);
    second.add(entry(7));
    first.add(entry(8));
    first.close();
    expect(files()).toEqual(['ledger-100-job-2.jsonl']);
    fake.procs.get(100)!.alive = false; // the supervisor died
    expect((await findLeftovers({ dir, listProcesses: fake.lister })).map((l) => l.pid)).toEqual([7]);
  });
  it('writes each add before returning, removes with the next add, and removes the file on close', () => {
    const ledger = open();
    expect(ledger.path).toBe(join(dir, 'ledger-100.jsonl'));
    ledger.add(entry(1));
    ledger.add(entry(2));
    let parsed = parseLedger(readFileSync(ledger.path, 'utf8'));
    expect(parsed.owner).toEqual({ pid: 100, startTime: 'st-100' });
    expect([...parsed.entries.values()]).toEqual([entry(1), entry(2)]);
    // A remove may wait (a stale entry only costs a liveness probe later); the next add carries it.
    ledger.remove(1);
    ledger.add(entry(4));
    parsed = parseLedger(readFileSync(ledger.path, 'utf8'));
    expect([...parsed.entries.keys()]).toEqual([2, 4]);
    ledger.close();
    expect(files()).toEqual([]);
    expect(() => ledger.add(entry(3))).not.toThrow();
    expect(files()).toEqual([]);
  });

  it('writes a lone remove within a moment, without waiting for another add', async () => {
    const ledger = open();
    ledger.add(entry(1));
    ledger.remove(1);
    await new Promise((r) => setTimeout(r, 400));
    expect([...parseLedger(readFileSync(ledger.path, 'utf8')).entries.keys()]).toEqual([]);
    ledger.close();
  });

  it('compacts when dead lines pile up, keeping every live entry', () => {
    const ledger = open(16);
    for (let i = 1; i <= 40; i++) {
      ledger.add(entry(1000 + i));
      if (i % 10 !== 0) ledger.remove(1000 + i);
    }
    const text = readFileSync(ledger.path, 'utf8');
    expect(text.trim().split('\n').length).toBeLessThan(30);
    expect([...parseLedger(text).entries.keys()]).toEqual([1010, 1020, 1030, 1040]);
    expect(files()).toEqual(['ledger-100.jsonl']); // no temp file left behind
    ledger.close();
  });

  it('moves aside a stale ledger left by a dead owner that had our pid', () => {
    writeFileSync(join(dir, 'ledger-100.jsonl'), formatLedgerLine({ op: 'owner', pid: 100, startTime: 'older' }) + formatLedgerLine({ op: 'add', ...entry(7) }));
    const ledger = open();
    const names = files();
    expect(names).toHaveLength(2);
    expect(names.some((n) => /^ledger-100-stale-\d+\.jsonl$/.test(n))).toBe(true);
    expect(parseLedger(readFileSync(ledger.path, 'utf8')).entries.size).toBe(0);
    ledger.close();
  });

  it('logs once, and keeps working, when the ledger cannot be written', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const logs: string[] = [];
    const ledger = openLedger({ dir: join(blocker, 'sub'), ownerPid: 100, listProcesses: fake.lister, log: (m) => logs.push(m) });
    ledger.add(entry(1));
    ledger.remove(1);
    ledger.close();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^corral: cannot write the task ledger .*ledger-100\.jsonl: .*; tasks left by a crash may not be found$/);
  });
});

describe('findLeftovers and killLeftovers', () => {
  const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), lines.join(''));
  const owner = (pid: number, startTime = `st-${pid}`) => formatLedgerLine({ op: 'owner', pid, startTime });
  const add = (pid: number, pgid = pid) => formatLedgerLine({ op: 'add', ...entry(pid, pgid) });

  it('ignores ledgers of live owners, reports live tasks of dead owners, and deletes ledgers with nothing alive', async () => {
    fake.spawn(1);
    fake.spawn(2);
    fake.spawn(3, { startTime: 'reused' });
    write('ledger-100.jsonl', [owner(100), add(1)]); // owner alive
    write('ledger-200.jsonl', [owner(200), add(2), add(3), 'corrupt line\n', add(4)]); // owner gone
    write('ledger-300.jsonl', [owner(300), add(5)]); // owner gone, task gone
    const left = await findLeftovers({ dir, listProcesses: fake.lister, killer: fake.killer });
    expect(left).toEqual([{ ...entry(2), alive: true }]);
    expect(files()).toEqual(['ledger-100.jsonl', 'ledger-200.jsonl']);
  });

  it('treats an owner whose pid now has another start time as dead', async () => {
    fake.spawn(2);
    write('ledger-100.jsonl', [owner(100, 'before-reboot'), add(2)]);
    const left = await findLeftovers({ dir, listProcesses: fake.lister, killer: fake.killer });
    expect(left.map((l) => l.pgid)).toEqual([2]);
  });

  it('reports a group whose leader exited but whose members live on', async () => {
    fake.spawn(9, { pgid: 8 });
    write('ledger-200.jsonl', [owner(200), add(8, 8)]);
    const left = await findLeftovers({ dir, listProcesses: fake.lister, killer: fake.killer });
    expect(left.map((l) => l.pgid)).toEqual([8]);
  });

  it('kills leftovers (KILL for the stubborn), then removes the emptied ledgers', async () => {
    fake.spawn(2);
    fake.spawn(3, { stubborn: true });
    write('ledger-200.jsonl', [owner(200), add(2), add(3)]);
    const left = await findLeftovers({ dir, listProcesses: fake.lister, killer: fake.killer });
    expect(left).toHaveLength(2);
    const killed = await killLeftovers(left, { dir, graceMs: 20, verifyMs: 20, listProcesses: fake.lister, killer: fake.killer });
    expect(killed).toBe(2);
    expect(fake.signals).toEqual([
      [2, 'TERM'],
      [3, 'TERM'],
      [3, 'KILL'],
    ]);
    expect(files()).toEqual([]);
  });

  it('returns nothing when the state folder does not exist', async () => {
    expect(await findLeftovers({ dir: join(dir, 'missing'), listProcesses: fake.lister })).toEqual([]);
  });
});
