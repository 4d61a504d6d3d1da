// The ledger's on-disk format: one JSON object per line, append-only; the last word on a pgid wins.

import type { Leftover } from '../../contract/types.js';
import { isPid, parseJsonObject } from './jsonLine.js';

/** One live task group: what a leftover is, less whether it is still alive. */
export type LedgerEntry = Omit<Leftover, 'alive'>;

export interface LedgerOwner {
  pid: number;
  startTime?: string;
}

export type LedgerLine =
  | ({ op: 'owner' } & LedgerOwner)
  | ({ op: 'add' } & LedgerEntry)
  | { op: 'remove'; pgid: number };

export interface ParsedLedger {
  owner?: LedgerOwner;
  /** Live entries by pgid, in the order they were added. */
  entries: Map<number, LedgerEntry>;
  /** Lines that parsed, counting adds, removes and the owner. */
  lines: number;
  /** Lines skipped as corrupt or partial (a crash mid-write leaves at most one). */
  skipped: number;
}

export const LEDGER_FILE = /^ledger-[^/\\]+\.jsonl$/;

/** `part` tells apart the ledgers of several supervisors in one process (the jobs of the app or serve). */
export function ledgerFileName(ownerPid: number, part?: string): string {
  return part ? `ledger-${ownerPid}-${part}.jsonl` : `ledger-${ownerPid}.jsonl`;
}

function parseLedgerLine(line: string): LedgerLine | undefined {
  const v = parseJsonObject(line);
  if (!v) return undefined;
  if (v.op === 'owner' && isPid(v.pid)) {
    return typeof v.startTime === 'string' ? { op: 'owner', pid: v.pid, startTime: v.startTime } : { op: 'owner', pid: v.pid };
  }
  if (v.op === 'remove' && isPid(v.pgid)) return { op: 'remove', pgid: v.pgid };
  if (
    v.op === 'add' &&
    isPid(v.pid) &&
    isPid(v.pgid) &&
    typeof v.startTime === 'string' &&
    typeof v.job === 'string' &&
    typeof v.seq === 'number' &&
    typeof v.command === 'string'
  ) {
    return { op: 'add', pid: v.pid, pgid: v.pgid, startTime: v.startTime, job: v.job, seq: v.seq, command: v.command };
  }
  return undefined;
}

export function parseLedger(text: string): ParsedLedger {
  const parsed: ParsedLedger = { entries: new Map(), lines: 0, skipped: 0 };
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    const line = parseLedgerLine(raw);
    if (!line) {
      parsed.skipped++;
      continue;
    }
    parsed.lines++;
    if (line.op === 'owner') parsed.owner = { pid: line.pid, startTime: line.startTime };
    else if (line.op === 'remove') parsed.entries.delete(line.pgid);
    else {
      const { op: _op, ...entry } = line;
      parsed.entries.set(entry.pgid, entry);
    }
  }
  return parsed;
}

export function formatLedgerLine(line: LedgerLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** The whole file rewritten with only what is still live: owner first, then one add per entry. */
export function formatCompactLedger(owner: LedgerOwner, entries: Iterable<LedgerEntry>): string {
  let text = formatLedgerLine({ op: 'owner', ...owner });
  for (const e of entries) text += formatLedgerLine({ op: 'add', ...e });
  return text;
}

/** Compact once dead lines clearly outnumber live ones, but not for tiny files. */
export function shouldCompact(lines: number, live: number, minLines = 256): boolean {
  return lines >= minLines && lines > 4 * (live + 1);
}
