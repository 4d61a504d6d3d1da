import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBytes, encodeBytes } from '../../../main/core/job/bytes.js';
import { expandCommand } from '../../../main/core/job/replace.js';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, fixtures, repoRoot, runJob, taskOutput as output, tempDir } from './helpers.js';

// Inputs are bytes: a line of an inputs file reaches the program's argv byte for byte, through a
// string command (sh) and an array command, as GNU parallel passes it. Real processes throughout.
afterEach(cleanup);

const ARGVHEX = join(repoRoot, 'test/fixtures/bytes/argvhex.sh');

// The lines of the inputs file, and the bytes `parallel -a in.txt 'printf %s {} | od -An -tx1'`
// (GNU parallel 20221122) shows for each: not UTF-8, a lone continuation byte, valid UTF-8, a
// trailing space, a quote.
const LINES: [string, string][] = [
  ['62fffe63', 'b\\xff\\xfec'],
  ['80', 'a lone \\x80'],
  ['c3a974c3a9', 'été (valid UTF-8)'],
  ['747261696c20', 'a trailing space'],
  ['69742773', "it's"],
];

function inputsFile(hexLines: string[]): string {
  const file = join(tempDir('corral-bytes-'), 'in.txt');
  writeFileSync(file, Buffer.concat(hexLines.map((h) => Buffer.from(`${h}0a`, 'hex'))));
  return file;
}

describe('input bytes reach argv exactly', () => {
  it('a string command gets every line byte for byte, and the joblog shows a line that runs the same', async () => {
    const file = inputsFile(LINES.map(([hex]) => hex));
    const log = join(tempDir(), 'joblog.tsv');
    const h = await runJob(`name: bytes-sh\ncommand: printf %s {} | od -An -v -tx1 | tr -d ' \\n'\nconcurrency: 2\ninputs:\n  file: ${file}\n`, { joblog: log });
    for (const [i, [hex]] of LINES.entries()) {
      expect(h.task(i + 1).outcome).toBe('ok');
      expect(await output(h.sup, i + 1)).toBe(hex);
    }
    // The Command column is text (UTF-8), and run through sh it gives the same bytes again.
    const raw = readFileSync(log);
    expect(isUtf8(raw)).toBe(true);
    const rows = parseJoblog(raw.toString('utf8')).sort((a, b) => a.seq - b.seq);
    expect(rows.map((r) => r.command)).toEqual(h.tasks().map((t) => t.command));
    expect(rows[0].command).toBe(`printf %s b"$(printf '\\377\\376')"c | od -An -v -tx1 | tr -d ' \\n'`);
    for (const [i, [hex]] of LINES.entries()) {
      expect(spawnSync('/bin/sh', ['-c', rows[i].command], { encoding: 'utf8' }).stdout).toBe(hex);
    }
  });

  it('an array command gets every line byte for byte', async () => {
    const file = inputsFile(LINES.map(([hex]) => hex));
    const h = await runJob(`name: bytes-argv\ncommand: [sh, ${JSON.stringify(ARGVHEX)}, "{}", "x{}y"]\ninputs:\n  file: ${file}\n`);
    for (const [i, [hex]] of LINES.entries()) {
      expect(h.task(i + 1).outcome).toBe('ok');
      expect(await output(h.sup, i + 1)).toBe(`${hex}\n78${hex}79\n`);
    }
    expect(h.task(1).command).toBe(`sh ${ARGVHEX} b"$(printf '\\377\\376')"c xb"$(printf '\\377\\376')"cy`);
  });

  it('the shell that rebuilds raw arguments execs the program: the task pid is the program', async () => {
    const file = inputsFile(['62fffe63']);
    const h = await runJob(`name: bytes-exec\ncommand: [sh, -c, 'echo $$', sh, "{}"]\ninputs:\n  file: ${file}\n`);
    expect(h.task(1).outcome).toBe('ok');
    expect(await output(h.sup, 1)).toBe(`${h.task(1).pid}\n`);
  });

  it('{.} {/} {//} {/.} cut raw-byte paths where GNU parallel does', async () => {
    // d\xe9\xff/s\xfc.b/f\xfc.t\xe9; expected values from parallel 20221122 on the same line.
    const file = inputsFile(['64e9ff2f73fc2e622f66fc2e74e9']);
    const want = ['64e9ff2f73fc2e622f66fc2e74e9', '64e9ff2f73fc2e622f66fc', '66fc2e74e9', '64e9ff2f73fc2e62', '66fc'].join('\n') + '\n';
    const sh = await runJob(`name: parts-sh\ncommand: sh ${ARGVHEX} {} {.} {/} {//} {/.}\ninputs:\n  file: ${file}\n`);
    expect(await output(sh.sup, 1)).toBe(want);
    const argv = await runJob(`name: parts-argv\ncommand: [sh, ${JSON.stringify(ARGVHEX)}, "{}", "{.}", "{/}", "{//}", "{/.}"]\ninputs:\n  file: ${file}\n`);
    expect(await output(argv.sup, 1)).toBe(want);
  });
});

describe('module tasks and raw bytes', () => {
  it('a module gets the surrogateescape string, and its command shows the bytes as \\xHH', async () => {
    const file = inputsFile([Buffer.from('ok:b\xff\xfec', 'latin1').toString('hex')]);
    const h = await runJob(`name: bytes-module\nmodule: ${JSON.stringify(join(fixtures, 'behave.mjs'))}\ninputs:\n  file: ${file}\n`);
    expect(h.task(1).outcome).toBe('ok');
    expect(h.sup.taskResult(1)).toMatchObject({ value: 'b\udcff\udcfec' });
    expect(h.task(1).command).toBe('behave.mjs("ok:b\\xff\\xfec")');
  });
});

describe('random bytes through the real shell path', () => {
  // Any byte but NUL (no argv can hold it), newlines included: what the program sees is the input.
  const bytes = fc.uint8Array({ minLength: 0, maxLength: 24 }).map((b) => b.map((x) => (x === 0 ? 1 : x)));
  const run = (cmd: ReturnType<typeof expandCommand>) => spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });

  it('a string command passes them exactly, in dash and in bash --posix (macOS /bin/sh), in a UTF-8 locale too', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const input = decodeBytes(b);
        const cmd = expandCommand({ kind: 'shell', template: `sh ${ARGVHEX} {} x{}` }, { input, seq: 1, slot: 1 }, 'linux');
        const hex = Buffer.from(b).toString('hex');
        expect(run(cmd).stdout).toBe(`${hex}\n78${hex}\n`);
        const bash = spawnSync('bash', ['--posix', ...cmd.args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
        expect(bash.stdout).toBe(`${hex}\n78${hex}\n`);
        expect(encodeBytes(input)).toEqual(Buffer.from(b));
      }),
      { numRuns: 50 },
    );
  });

  it('an array command passes them exactly', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const r = run(expandCommand({ kind: 'argv', template: ['sh', ARGVHEX, '{}', '{}y'] }, { input: decodeBytes(b), seq: 1, slot: 1 }, 'linux'));
        const hex = Buffer.from(b).toString('hex');
        expect(r.stdout).toBe(`${hex}\n${hex}79\n`);
      }),
      { numRuns: 50 },
    );
  });
});
