import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, sleepers, tempDir, waitFor } from '../core/helpers.js';
import { runCli, spawnCli } from '../cli/cli.js';

// `corral serve --metrics`: Prometheus scrapes /metrics with the dashboard's token as a bearer token.

afterEach(cleanup);

function scrape(url: string, token: string | null): Promise<{ status: number; type: string; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The exposition format's samples: `name{label="v",…} value`, keyed by name and sorted labels. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not exposition format: ${line}`);
    out.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

describe('corral serve --metrics', () => {
  const token = 'metrics-test-token-0123456789-abcdefghij';

  it('exposes tasks by state, attempts by outcome, the pool, per-slot CPU/RSS, stuck and tasks/s of real tasks', async () => {
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, token + '\n');
    const job = join(dir, 'job.yaml');
    // Two ok, one failing twice (a retry), one that holds its slot while we scrape.
    writeFileSync(job, `name: scraped\ncommand: [sh, -c, 'if [ $0 = hold ]; then exec sleep 314.1; fi; exit $0', '{}']\nconcurrency: 2\nretries: 1\nretryDelay: 0s\ninputs:\n  list: ['0', '0', '3', hold]\n`);
    const serve = spawnCli(['serve', '--port', '0', '--metrics', '--token-file', tokenFile, '--tick', '250ms', job]);
    try {
      const url = await waitFor('the dashboard URL', () => /dashboard at (\S+)/.exec(serve.stdout)?.[1], 60_000);
      expect(url).toContain(`#token=${token}`);
      const refused = await scrape(url, null);
      expect(refused.status).toBe(401);
      expect(refused.body).toBe('corral: missing or wrong token (open the URL printed by `corral serve`)');
      const m = await waitFor('three tasks ended and the sleeper sampled', async () => {
        const r = await scrape(url, token);
        const s = samples(r.body);
        return r.status === 200 && s.get('corral_tasks{job="job-1",state="done"}') === 2 && s.get('corral_tasks{job="job-1",state="failed"}') === 1 && [...s.keys()].some((k) => k.startsWith('corral_slot_rss_bytes') && s.get(k)! > 0) ? { r, s } : null;
      });
      expect(m.r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(m.s.get('corral_attempts_total{job="job-1",outcome="ok"}')).toBe(2);
      expect(m.s.get('corral_attempts_total{job="job-1",outcome="failed"}')).toBe(2);
      expect(m.s.get('corral_pool_size{job="job-1"}')).toBe(2);
      expect(m.s.get('corral_pool_busy_slots{job="job-1"}')).toBe(1);
      expect(m.s.get('corral_tasks{job="job-1",state="running"}')).toBe(1);
      expect(m.s.get('corral_tasks{job="job-1",state="queued"}')).toBe(0);
      expect(m.s.get('corral_stuck_tasks{job="job-1"}')).toBe(0);
      expect(m.s.get('corral_tasks_per_second{job="job-1"}')).toBeGreaterThan(0);
      expect(m.s.get('corral_job_info{job="job-1",name="scraped",state="running"}')).toBe(1);
      expect([...m.s.keys()].filter((k) => k.startsWith('corral_slot_cpu_percent'))).toHaveLength(2);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.result;
      for (const p of sleepers('314.1')) process.kill(p, 'SIGKILL');
    }
  });

  it('has no /metrics without --metrics', async () => {
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, token);
    const serve = spawnCli(['serve', '--port', '0', '--token-file', tokenFile]);
    try {
      const url = await waitFor('the dashboard URL', () => /dashboard at (\S+)/.exec(serve.stdout)?.[1], 60_000);
      expect((await scrape(url, token)).status).toBe(404);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.result;
    }
  });

  it('refuses a token file that is missing, short or not token characters, and a bad --keep-runs', async () => {
    const dir = tempDir();
    const short = join(dir, 'short');
    writeFileSync(short, 'abc\n');
    const spaced = join(dir, 'spaced');
    writeFileSync(spaced, 'a'.repeat(20) + ' ' + 'b'.repeat(20));
    const missing = join(dir, 'nope');
    const rule = "the token must be one line of at least 32 characters, each a letter, digit, '.', '_', '~' or '-'";
    for (const [args, message] of [
      [['--token-file', short], `corral serve: --token-file ${short}: ${rule}`],
      [['--token-file', spaced], `corral serve: --token-file ${spaced}: ${rule}`],
      [['--token-file', missing], `corral serve: --token-file ${missing}: ENOENT`],
      [['--keep-runs', '30x'], 'corral serve: --keep-runs expects a number of runs, a number of days like 30d, or both (100,30d), got "30x"'],
    ] as const) {
      const r = await runCli(['serve', '--port', '0', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(message + '\n');
    }
  });
});
