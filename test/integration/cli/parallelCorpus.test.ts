// The compatibility corpus (test/fixtures/parallel-corpus/corpus.txt) against the real GNU parallel:
// the commands each --dry-run prints must give the same argv when sh runs them, and for lines
// marked "run" the output of a real run with -k must be identical.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, repoRoot, tempDir } from '../core/helpers.js';

const corpusDir = join(repoRoot, 'test/fixtures/parallel-corpus');
const data = join(corpusDir, 'data');
const fakebin = join(corpusDir, 'fakebin');
const lines = readFileSync(join(corpusDir, 'corpus.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => (l.startsWith('run ') ? ([l.slice(4), true] as const) : ([l, false] as const)));
const hasParallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).status === 0;
const state = tempDir('corral-corpus-state-');

/** bash runs `prog WORDS` in data/ (eval, so the corpus line's quoting and "< file" apply). */
function bash(prog: string, words: string) {
  const corral = `corral() { ${JSON.stringify(process.execPath)} ${JSON.stringify(cliBin)} "$@"; }`;
  const r = spawnSync('bash', ['-c', `${corral}\neval "${prog} $WORDS"`], {
    cwd: data,
    env: { ...process.env, WORDS: words, CORRAL_STATE_DIR: state, HOME: state },
    encoding: 'buffer',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('utf8') };
}

/** What running a dry-run's commands does, with every program (and echo) printing its argv. */
function argvOf(script: string) {
  const echo = `echo() { command printf 'echo'; for a in "$@"; do command printf '<%s>' "$a"; done; command printf '\\n'; }\n`;
  const r = spawnSync('sh', ['-c', echo + script], { cwd: data, env: { ...process.env, PATH: `${fakebin}:${process.env.PATH}` }, encoding: 'buffer' });
  return r.stdout.toString('latin1');
}

/**
 * Task stderr, sorted (tasks end in any order). Corral adds its own report on stderr when a task
 * fails (parallel says nothing): "[N] failed …", the summary and the joblog line are taken out.
 */
const taskStderr = (s: string) =>
  s
    .split('\n')
    .filter((l) => l !== '' && !/^\[\d+\] failed \d+s .* — exit code \d+$/.test(l) && !/^\S+: finished — \d+ ok, \d+ failed of \d+ in \d+s$/.test(l) && !/^joblog: \//.test(l))
    .sort();

describe.skipIf(!hasParallel)('GNU parallel compatibility corpus', () => {
  it('has at least 60 command lines', () => {
    expect(lines.length).toBeGreaterThanOrEqual(60);
  });

  it.each(lines)('%s', (words, run) => {
    const theirs = bash('parallel --will-cite --dry-run', words);
    const ours = bash('corral run --dry-run', words);
    expect(ours.stderr).toBe('');
    expect(theirs.status).toBe(0);
    expect(ours.status).toBe(0);
    // The same commands (parallel's dry-run without -k is not always in input order; -k runs check order).
    const commands = (out: string) => argvOf(out).split('\n').sort();
    expect(commands(ours.stdout)).toEqual(commands(theirs.stdout));
    if (!run) return;
    const realTheirs = bash('parallel --will-cite -k', words);
    const realOurs = bash('corral run -k', words);
    expect(realOurs.stdout).toBe(realTheirs.stdout);
    expect(taskStderr(realOurs.stderr)).toEqual(taskStderr(realTheirs.stderr));
    expect(realOurs.status).toBe(realTheirs.status);
  });
});
