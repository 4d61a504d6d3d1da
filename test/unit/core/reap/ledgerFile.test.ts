import { describe, expect, it } from 'vitest';
import { formatCompactLedger, formatLedgerLine, LEDGER_FILE, parseLedger, shouldCompact } from '../../../../main/core/reap/ledgerFile.js';

const entry = (pgid: number) => ({ pid: pgid, pgid, startTime: `st${pgid}`, job: 'demo', seq: pgid, command: `xz ${pgid}` });

describe('parseLedger', () => {
  it('replays adds and removes, last word per pgid wins', () => {
    const text =
      formatLedgerLine({ op: 'owner', pid: 10, startTime: 'o' }) +
      formatLedgerLine({ op: 'add', ...entry(1) }) +
      formatLedgerLine({ op: 'add', ...entry(2) }) +
      formatLedgerLine({ op: 'remove', pgid: 1 }) +
      formatLedgerLine({ op: 'add', ...entry(3) });
    const p = parseLedger(text);
    expect(p.owner).toEqual({ pid: 10, startTime: 'o' });
    expect([...p.entries.keys()]).toEqual([2, 3]);
    expect(p.entries.get(3)).toEqual(entry(3));
    expect(p.lines).toBe(5);
    expect(p.skipped).toBe(0);
  });

  it('skips corrupt, partial and ill-typed lines without losing the rest', () => {
    const text = [
      '{"op":"owner","pid":10}',
      'garbage',
      '{"op":"add","pid":1,"pgid":1,"startTime":"a","job":"j","seq":1,"command":"c"}',
      '{"op":"add","pid":"2","pgid":2,"startTime":"a","job":"j","seq":2,"command":"c"}',
      '{"op":"remove"}',
      'null',
      '{"op":"add","pid":3,"pgid":3,"startTi', // a crash mid-write
    ].join('\n');
    const p = parseLedger(text);
    expect(p.owner).toEqual({ pid: 10 });
    expect([...p.entries.keys()]).toEqual([1]);
    expect(p.skipped).toBe(5);
  });

  it('round-trips a compacted ledger', () => {
    const text = formatCompactLedger({ pid: 7, startTime: 's' }, [entry(4), entry(5)]);
    expect(text.trim().split('\n')).toHaveLength(3);
    const p = parseLedger(text);
    expect(p.owner).toEqual({ pid: 7, startTime: 's' });
    expect([...p.entries.values()]).toEqual([entry(4), entry(5)]);
  });
});

describe('shouldCompact', () => {
  it('waits for the minimum size, then for dead lines to dominate', () => {
    expect(shouldCompact(100, 0)).toBe(false);
    expect(shouldCompact(256, 0)).toBe(true);
    expect(shouldCompact(256, 100)).toBe(false);
    expect(shouldCompact(10, 1, 8)).toBe(true);
  });
});

describe('LEDGER_FILE', () => {
  it('matches ledgers and moved-aside stale ledgers, not temp files', () => {
    expect(LEDGER_FILE.test('ledger-123.jsonl')).toBe(true);
    expect(LEDGER_FILE.test('ledger-123-stale-99.jsonl')).toBe(true);
    expect(LEDGER_FILE.test('ledger-123.jsonl.tmp')).toBe(false);
    expect(LEDGER_FILE.test('notes.jsonl')).toBe(false);
  });
});
