// `corral run` of a job file with the supervisor (and its spawn helper) sampled every 250 ms from
// /proc: RSS and CPU seconds (utime + stime of the process itself, not of its tasks). The joblog's
// end times turn samples into "at task k" figures (bench/dispatch.mjs, the flat-cost part).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin } from '../lib/common.mjs';
import { joblogEnds } from '../memory.mjs';

const TICK_S = 100; // USER_HZ on Linux

export function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) / TICK_S, rss: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return null;
  }
}

/** The spawn helper: a child of the CLI running spawner.cjs. */
export function helperOf(pid) {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || procStat(Number(e))?.ppid !== pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('spawner.cjs')) return Number(e);
    } catch {
      /* gone */
    }
  }
  return null;
}

export function runSampled(dir, name, jobText, env = {}) {
  const file = join(dir, `${name}.yaml`);
  const joblog = join(dir, `${name}.tsv`);
  writeFileSync(file, jobText);
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [corralBin, 'run', file, '--joblog', joblog], { cwd: dir, env: { ...process.env, CORRAL_STATE_DIR: join(dir, 'state'), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const samples = [];
    let helper = null;
    const timer = setInterval(() => {
      const s = procStat(child.pid);
      helper ??= helperOf(child.pid);
      // After the helper exits (at the end) its last figures stand.
      const h = (helper === null ? null : procStat(helper)) ?? { cpuS: samples.at(-1)?.helperCpuS ?? 0, rss: samples.at(-1)?.helperRss ?? 0 };
      if (s) samples.push({ t: Date.now() / 1000, rss: s.rss, cpuS: s.cpuS, helperCpuS: h.cpuS, helperRss: h.rss });
    }, 250);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`bench: corral run ${name} exited ${code}: ${err.slice(-400)}`));
      const wallS = (Date.now() - t0) / 1000;
      joblogEnds(joblog).then((ends) => resolve({ samples, ends, wallS }), reject);
    });
  });
}
