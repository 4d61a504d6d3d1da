// A command-line run keeps a joblog in the state directory without --joblog (the run history and
// `corral serve` read it), bounded by the run retention every start applies: 30 days, 100 runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, tempDir } from '../core/helpers.js';
import { runCli } from './cli.js';
import { parseJoblog } from '../../../main/core/log/joblog.js';

afterEach(cleanup);

describe('the default joblog of a command-line run', () => {
  it('is written in the state directory under the command\'s name, and a run older than 30 days there is pruned at the start', async () => {
    const state = tempDir();
    const old = join(state, 'joblogs', 'sh', '2025-01-01T00-00-00-000Z.tsv');
    mkdirSync(join(state, 'joblogs', 'sh'), { recursive: true });
    writeFileSync(old, 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n');
    const startedAt = Date.now() - 40 * 86_400_000;
    writeFileSync(old.replace('.tsv', '.run.json'), JSON.stringify({ version: 1, name: 'sh', file: null, joblog: old, pid: 1, pidStart: 'x', startedAt, endedAt: startedAt + 1000, counts: { ok: 0, failed: 0, killed: 0, interrupted: 0, skipped: 0 } }));
    // The task ends once the prune has removed the old run (else the helper's deadline fails the test).
    const r = await runCli(['run', 'sh', '-c', `'while [ -e ${old} ]; do sleep 0.1; done; echo {}'`, ':::', 'pruned'], { env: { CORRAL_STATE_DIR: state } });
    expect([r.code, r.stdout]).toEqual([0, 'pruned\n']);
    expect(existsSync(old)).toBe(false);
    const logs = readdirSync(join(state, 'joblogs', 'sh')).filter((f) => f.endsWith('.tsv'));
    expect(logs).toHaveLength(1);
    const rows = parseJoblog(readFileSync(join(state, 'joblogs', 'sh', logs[0]), 'utf8'));
    expect(rows.map((row) => [row.seq, row.exitval, row.outcome])).toEqual([[1, 0, 'ok']]);
  });

  it('--joblog FILE replaces it: nothing is written in the state directory', async () => {
    const state = tempDir();
    const dir = tempDir();
    const r = await runCli(['run', '--joblog', 'mine.tsv', 'echo', ':::', 'a'], { cwd: dir, env: { CORRAL_STATE_DIR: state } });
    expect(r.code).toBe(0);
    expect(parseJoblog(readFileSync(join(dir, 'mine.tsv'), 'utf8'))).toHaveLength(1);
    expect(existsSync(join(state, 'joblogs', 'echo'))).toBe(false);
  });
});
