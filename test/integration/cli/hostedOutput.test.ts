// Module and Python tasks' output on the terminal, the way command tasks' is printed: what the
// function printed, ctx.log and stderr, then its result line (or its error on stderr).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, tempDir } from '../core/helpers.js';

afterEach(cleanup);

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'cli');

/** A job file running the fixture on a, b and bad (bad throws), two at a time. */
function job(kind: 'module' | 'python'): string {
  const dir = tempDir();
  const target = kind === 'module' ? `module: ${JSON.stringify(join(fixtures, 'speak.mjs'))}` : `python: ${JSON.stringify(`${join(fixtures, 'speak.py')}:speak`)}`;
  writeFileSync(join(dir, 'job.yaml'), `name: speak\n${target}\ninputs: { list: [a, b, bad] }\nconcurrency: 2\n`);
  return join(dir, 'job.yaml');
}

/** stdout without the run report a job file prints there too ([seq] lines, the summary, the joblog). */
const taskLines = (stdout: string) => stdout.split('\n').filter((l) => l && !/^\[\d+\] |^speak: |^joblog: /.test(l)).join('\n') + '\n';

describe.each([
  ['module', 'log'],
  ['python', 'print'],
] as const)('%s tasks', (kind, printed) => {
  it('print their output grouped, in input order with -k: stdout with the result line, stderr with the error', async () => {
    const r = await runCli(['run', '-k', job(kind)]);
    expect(r.code).toBe(1);
    expect(taskLines(r.stdout)).toBe(`${printed} a\nctx a\n=> {"got":"a"}\n${printed} b\nctx b\n=> {"got":"b"}\n${printed} bad\nctx bad\n`);
    expect(r.stderr.startsWith('err a\nerr b\nerr bad\n')).toBe(true);
    expect(r.stderr).toContain(kind === 'module' ? 'Error: no bad\n    at speak (' : 'ValueError: no bad\n');
  });

  it('--line-buffer --tag prefixes each line with the input', async () => {
    const r = await runCli(['run', '-k', '--line-buffer', '--tag', job(kind)]);
    expect(taskLines(r.stdout)).toBe(`a\t${printed} a\na\tctx a\na\t=> {"got":"a"}\nb\t${printed} b\nb\tctx b\nb\t=> {"got":"b"}\nbad\t${printed} bad\nbad\tctx bad\n`);
    expect(r.stderr.startsWith('a\terr a\nb\terr b\nbad\terr bad\nbad\t')).toBe(true);
  });

  it('--json carries each task\'s stdout and stderr', async () => {
    const r = await runCli(['run', '--json', job(kind)]);
    const objects = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; stdout?: string; stderr?: string; result?: unknown });
    const bySeq = new Map(objects.filter((o) => o.seq !== undefined).map((o) => [o.seq, o]));
    expect(bySeq.get(1)).toMatchObject({ stdout: `${printed} a\nctx a\n=> {"got":"a"}\n`, stderr: 'err a\n', result: { got: 'a' } });
    expect(bySeq.get(2)).toMatchObject({ stdout: `${printed} b\nctx b\n=> {"got":"b"}\n`, stderr: 'err b\n' });
    expect(bySeq.get(3)!.stdout).toBe(`${printed} bad\nctx bad\n`);
    expect(bySeq.get(3)!.stderr).toMatch(kind === 'module' ? /^err bad\nError: no bad\n    at speak [^]*\n$/ : /^err bad\nTraceback [^]*\nValueError: no bad\n+$/);
  });
});
