import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOBLOG_COLUMNS, JoblogWriter, fixed3, formatRow, parseJoblog, readJoblog, seqsToSkip, type JoblogRow } from '../../../../main/core/log/joblog.js';

const row = (over: Partial<JoblogRow> = {}): JoblogRow => ({
  seq: 1, host: ':', startTime: 1700000000.5, runtime: 1.25, send: 0, receive: 12, exitval: 0, signal: 0,
  command: 'echo a', attempt: 1, peakRss: 1024, cpuSeconds: 0.5, outcome: 'ok', ...over,
});

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('joblog rows', () => {
  it('formats 13 tab-separated columns and parses them back', () => {
    const r = row({ command: 'printf "a\\tb"\nnext \\ done' });
    const line = formatRow(r);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd().split('\t')).toHaveLength(13);
    expect(parseJoblog(JOBLOG_COLUMNS.join('\t') + '\n' + line)).toEqual([{ ...r, startTime: 1700000000.5, runtime: 1.25 }]);
  });

  it("reads GNU parallel's nine-column rows, deriving the outcome from Exitval and Signal", () => {
    const text = 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n1\t:\t1.0\t0.1\t0\t0\t0\t0\techo a\n2\t:\t1.0\t0.1\t0\t0\t1\t0\techo b\n3\t:\t1.0\t0.1\t0\t0\t0\t15\techo c\n';
    expect(parseJoblog(text).map((r) => [r.seq, r.attempt, r.outcome])).toEqual([[1, 1, 'ok'], [2, 1, 'failed'], [3, 1, 'failed']]);
  });

  it('skips torn and foreign lines instead of failing a resume', () => {
    expect(parseJoblog('garbage\n1\t:\t1\n0\t:\t1\t1\t0\t0\t0\t0\tx\n')).toEqual([]);
  });
});

describe('fixed3', () => {
  it('writes what toFixed(3) writes, for whole milliseconds and for anything else', () => {
    const xs = [0, 0.001, 0.01, 0.1, 1, 59.999, 1796117363.173, 1796117363.1, 0.0015, 2.0005, 1e21, -1.5, 123.45678, NaN, Infinity];
    for (let ms = 0; ms < 5000; ms += 7) xs.push(ms / 1000, (1_796_117_363_000 + ms) / 1000);
    for (const x of xs) expect(fixed3(x)).toBe(x.toFixed(3));
  });
});

describe('resume', () => {
  const rows = [row({ seq: 1 }), row({ seq: 2, outcome: 'failed', exitval: 1 }), row({ seq: 3, outcome: 'timeout' }), row({ seq: 2, attempt: 2 }), row({ seq: 4, outcome: 'skipped' })];
  it('--resume skips every sequence that ended', () => {
    expect([...seqsToSkip(rows, 'resume')].sort()).toEqual([1, 2, 3, 4]);
  });
  it('--resume-failed skips only those whose last row is ok (or skipped)', () => {
    expect([...seqsToSkip(rows, 'resume-failed')].sort()).toEqual([1, 2, 4]);
  });
  it("a broker run's lost and superseded rows are not final: --resume looks past them to the task's last final row", () => {
    const broker = [
      row({ seq: 1, host: 'a1', outcome: 'lost', exitval: -1 }),
      row({ seq: 1, host: 'a2', attempt: 2, outcome: 'ok' }),
      row({ seq: 1, host: 'a1', outcome: 'superseded', exitval: -1, signal: 9 }), // the late result comes after the final row
      row({ seq: 2, host: 'a1', outcome: 'lost', exitval: -1 }), // lost, not run again yet
      row({ seq: 3, host: 'a3', outcome: 'failed', exitval: 1 }),
      row({ seq: 3, host: 'a1', outcome: 'superseded', exitval: 0 }),
    ];
    expect([...seqsToSkip(broker, 'resume')].sort()).toEqual([1, 3]);
    expect([...seqsToSkip(broker, 'resume-failed')].sort()).toEqual([1]);
    expect(parseJoblog(broker.map(formatRow).join('')).map((r) => r.outcome)).toEqual(['lost', 'ok', 'superseded', 'lost', 'failed', 'superseded']);
  });
  it('neither skips a task the user killed or a stop, halt or quit interrupted: it has not ended', () => {
    const stopped = [...rows, row({ seq: 5, outcome: 'failed', exitval: 1 }), row({ seq: 5, attempt: 2, outcome: 'interrupted', exitval: -1, signal: 15 }), row({ seq: 6, outcome: 'killed', exitval: -1, signal: 9 })];
    expect([...seqsToSkip(stopped, 'resume')].sort()).toEqual([1, 2, 3, 4]);
    expect([...seqsToSkip(stopped, 'resume-failed')].sort()).toEqual([1, 2, 4]);
  });
});

describe('JoblogWriter', () => {
  it('writes to /dev/null (or a FIFO) without fsync, which only regular files allow', async () => {
    const w = new JoblogWriter('/dev/null'); // fsync on /dev/null fails with EINVAL
    await expect(w.append(row({ seq: 1 }))).resolves.toBeUndefined();
    await w.close();
  });

  it('writes the header once, appends whole rows, and resolves after they are on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joblog-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'log.tsv');
    const w = new JoblogWriter(path);
    await Promise.all([w.append(row({ seq: 1 })), w.append(row({ seq: 2 }))]);
    expect((await readJoblog(path)).map((r) => r.seq)).toEqual([1, 2]);
    await w.close();
    const again = new JoblogWriter(path); // an existing log gets no second header
    await again.append(row({ seq: 3 }));
    await again.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(JOBLOG_COLUMNS.join('\t'));
    expect(lines).toHaveLength(4);
    await expect(again.append(row())).rejects.toThrow(`joblog ${path} is closed`);
  });

  it('reads a missing joblog as empty', async () => {
    expect(await readJoblog(join(tmpdir(), 'no-such-joblog.tsv'))).toEqual([]);
  });
});
