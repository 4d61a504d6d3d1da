import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandCommand, hasReplacementString, replacementValue } from '../../../../main/core/job/replace.js';
import { quoteCmd, quotePosix } from '../../../../main/core/job/quote.js';
import { decodeBytes, encodeBytes } from '../../../../main/core/job/bytes.js';
import { joinColumns } from '../../../../main/core/job/columns.js';
import type { JobSpec } from '../../../../main/core/job/types.js';

const ARGV = fileURLToPath(new URL('../../../fixtures/argv.cjs', import.meta.url));
const NASTY = `a b; rm -rf ~ $(x) 'q"`;
const vars = (input: string) => ({ input, seq: 7, slot: 2 });

describe('replacement strings', () => {
  // Expected values are what GNU parallel 20221122 prints for `echo {} {.} {/} {//} {/.}` on these inputs.
  it.each([
    ['dir.x/file.tar.gz', 'dir.x/file.tar', 'file.tar.gz', 'dir.x', 'file.tar'],
    ['file', 'file', 'file', '.', 'file'],
    ['/a', '/a', 'a', '/', 'a'],
    ['a/b/', 'a/b/', '', 'a', ''],
    ['.bashrc', '', '.bashrc', '.', ''],
    ['file.', 'file', 'file.', '.', 'file'],
    ['a/.b', 'a/', '.b', 'a', ''],
    ['a//b.c', 'a//b', 'b.c', 'a', 'b'],
    ['/', '/', '', '/', ''],
    ['x/y/z', 'x/y/z', 'z', 'x/y', 'z'],
    ['', '', '', '.', ''],
    ['a.b/c', 'a.b/c', 'c', 'a.b', 'c'],
  ])('%j: {.}=%j {/}=%j {//}=%j {/.}=%j', (input, noExt, base, dir, baseNoExt) => {
    const v = vars(input);
    expect(replacementValue('{}', v)).toBe(input);
    expect(replacementValue('{.}', v)).toBe(noExt);
    expect(replacementValue('{/}', v)).toBe(base);
    expect(replacementValue('{//}', v)).toBe(dir);
    expect(replacementValue('{/.}', v)).toBe(baseNoExt);
  });

  it('{#} is the sequence number and {%} the slot', () => {
    expect(replacementValue('{#}', vars('x'))).toBe('7');
    expect(replacementValue('{%}', vars('x'))).toBe('2');
  });

  it('treats backslashes as separators only on Windows', () => {
    const v = vars('C:\\logs\\app.log');
    expect(replacementValue('{/}', v, 'win32')).toBe('app.log');
    expect(replacementValue('{//}', v, 'win32')).toBe('C:\\logs');
    expect(replacementValue('{/.}', v, 'win32')).toBe('app');
    expect(replacementValue('{/}', v, 'linux')).toBe('C:\\logs\\app.log');
  });

  it('finds replacement strings, and not other braces', () => {
    expect(['{}', 'x{.}y', '{/}', '{//}', '{/.}', '{#}', '{%}', '{1}', '{2/.}', '{12//}'].every(hasReplacementString)).toBe(true);
    expect(["awk '{print $1}'", '{ }', '{..}', '{0}', '{1 }', 'plain'].some(hasReplacementString)).toBe(false);
  });
});

describe('expandCommand on POSIX', () => {
  it('quotes substituted values for sh, leaves safe ones bare and numbers as they are', () => {
    const out = expandCommand({ kind: 'shell', template: 'xz -9 -k {} > {/.}.{#}.{%}' }, vars('logs/a b.log'), 'linux');
    expect(out).toEqual({
      file: '/bin/sh',
      args: ['-c', "xz -9 -k 'logs/a b.log' > 'a b'.7.2"],
      shell: true,
      windowsVerbatimArguments: false,
      display: "xz -9 -k 'logs/a b.log' > 'a b'.7.2",
    });
    expect(expandCommand({ kind: 'shell', template: 'gzip {}' }, vars('dir/file-1_2.3+x'), 'linux').display).toBe('gzip dir/file-1_2.3+x');
  });

  it("single-quotes with ' as '\\''", () => {
    expect(quotePosix(NASTY)).toBe(`'a b; rm -rf ~ $(x) '\\''q"'`);
    expect(quotePosix('')).toBe("''");
    expect(quotePosix('a=b')).toBe("'a=b'");
    expect(quotePosix('~x')).toBe("'~x'");
  });

  it('appends {} to a template without replacement strings, as GNU parallel does', () => {
    expect(expandCommand({ kind: 'shell', template: 'echo' }, vars('a b'), 'linux').display).toBe("echo 'a b'");
    expect(expandCommand({ kind: 'argv', template: ['echo', '-n'] }, vars('a b'), 'linux').args).toEqual(['-n', 'a b']);
    expect(expandCommand({ kind: 'shell', template: 'echo {#}' }, vars('a b'), 'linux').display).toBe('echo 7');
  });

  it('an array command substitutes raw values, one argv entry per element, no shell', () => {
    const out = expandCommand({ kind: 'argv', template: ['cp', '{}', '--target={//}/{/.}.bak'] }, vars(NASTY), 'linux');
    expect(out.file).toBe('cp');
    expect(out.args).toEqual([NASTY, `--target=./${NASTY}.bak`]);
    expect(out.shell).toBe(false);
    expect(out.display).toBe(`cp ${quotePosix(NASTY)} ${quotePosix(`--target=./${NASTY}.bak`)}`);
  });

  it('refuses a module job and inputs with NUL', () => {
    expect(() => expandCommand(null, vars('x'))).toThrow('expandCommand: a module job has no command');
    expect(() => expandCommand({ kind: 'shell', template: 'echo {}' }, vars('a\0b'), 'linux')).toThrow(
      'input "a\\u0000b" contains a NUL byte, which no program can receive',
    );
  });

  // For real: the expanded line goes through /bin/sh to a node script that prints its argv.
  const node = quotePosix(process.execPath);
  it('sh passes the nasty input through as one exact argument', () => {
    const cmd = expandCommand({ kind: 'shell', template: `${node} ${quotePosix(ARGV)} {} {/} {#}` }, vars(NASTY), 'linux');
    const run = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(JSON.stringify([NASTY, NASTY, '7']));
  });

  const inputs = [NASTY, 'line1\nline2\n', '$HOME ${PATH} $((1+1))', '`id` $(id)', 'back\\slash\\', 'ünïcødé ✓ 日本', '', ' lead and trail ', "it's", '"dq"', '*', '-n', 'a=b', '~', '!event', '\ttab', "'", "''\\'"];
  it('sh passes newlines, $, backticks, backslashes, unicode and the empty string through exactly', () => {
    // One node process for all inputs: each substituted value is one more word of the same line.
    const words = inputs.map((input) => expandCommand({ kind: 'shell', template: '{}' }, vars(input), 'linux').args[1]);
    const run = spawnSync('/bin/sh', ['-c', `${node} ${quotePosix(ARGV)} ${words.join(' ')}`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(inputs);
  });

  it.each([NASTY, 'line1\nline2', ''])('an array command passes %j through as one exact argument', (input) => {
    const cmd = expandCommand({ kind: 'argv', template: [process.execPath, ARGV, '{}', 'x{.}y'] }, vars(input), 'linux');
    const run = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
    expect(run.stdout).toBe(JSON.stringify([input, `x${replacementValue('{.}', vars(input))}y`]));
  });
});

describe('expandCommand with bytes that are not UTF-8', () => {
  const raw = (latin1: string) => decodeBytes(Buffer.from(latin1, 'latin1'));

  it('quotes each run of raw bytes as a printf the shell runs, the text around it as usual', () => {
    expect(quotePosix(raw('b\xff\xfec'))).toBe(`b"$(printf '\\377\\376')"c`);
    expect(quotePosix(raw("it's \x80"))).toBe(`'it'\\''s '"$(printf '\\200')"`);
    expect(quotePosix(raw('\xe9t\xe9'))).toBe(`"$(printf '\\351')"t"$(printf '\\351')"`);
    // Valid UTF-8 next to a raw byte stays text: é is C3 A9, the lone A9 after it is a raw byte.
    expect(quotePosix(decodeBytes(Buffer.from('c3a9a9', 'hex')))).toBe(`'é'"$(printf '\\251')"`);
  });

  it('a string command keeps its shape; only the raw value changes form', () => {
    const out = expandCommand({ kind: 'shell', template: 'xz -k {} > {/.}.{#}' }, vars(raw('d/f\xfc.log')), 'linux');
    expect(out).toEqual({
      file: '/bin/sh',
      args: ['-c', `xz -k d/f"$(printf '\\374')".log > f"$(printf '\\374')".7`],
      shell: true,
      windowsVerbatimArguments: false,
      display: `xz -k d/f"$(printf '\\374')".log > f"$(printf '\\374')".7`,
    });
  });

  it('an array command with a raw argument is exec\'d by sh, which rebuilds it; without one it is spawned directly', () => {
    const out = expandCommand({ kind: 'argv', template: ['cp', '{}', 'a b'] }, vars(raw('f\xfc')), 'linux');
    expect(out).toEqual({
      file: '/bin/sh',
      args: ['-c', `exec cp f"$(printf '\\374')" 'a b'`],
      shell: true,
      windowsVerbatimArguments: false,
      display: `cp f"$(printf '\\374')" 'a b'`,
    });
    expect(expandCommand({ kind: 'argv', template: ['cp', '{}', 'a b'] }, vars('fü'), 'linux')).toMatchObject({ file: 'cp', args: ['fü', 'a b'], shell: false });
  });

  it('{.} {/} {//} {/.} cut on the ASCII / and . around raw bytes', () => {
    // Same values as parallel 20221122 gives for d\xe9\xff/s\xfc.b/f\xfc.t\xe9 (checked byte-exact in test/integration/core/bytes.test.ts).
    const v = vars(raw('d\xe9\xff/s\xfc.b/f\xfc.t\xe9'));
    const hex = (t: string) => encodeBytes(replacementValue(t, v)).toString('hex');
    expect(['{}', '{.}', '{/}', '{//}', '{/.}'].map(hex)).toEqual(['64e9ff2f73fc2e622f66fc2e74e9', '64e9ff2f73fc2e622f66fc', '66fc2e74e9', '64e9ff2f73fc2e62', '66fc']);
  });

  it('names raw bytes as \\xHH in errors: a NUL, and Windows, which passes arguments as text', () => {
    expect(() => expandCommand({ kind: 'shell', template: 'echo {}' }, vars(raw('b\xff\x00')), 'linux')).toThrow(
      'input "b\\xff\\u0000" contains a NUL byte, which no program can receive',
    );
    const cmds: JobSpec['command'][] = [{ kind: 'shell', template: 'echo {}' }, { kind: 'argv', template: ['echo', '{}'] }];
    for (const cmd of cmds) {
      expect(() => expandCommand(cmd, vars(raw('b\xff\xfec')), 'win32')).toThrow(
        'input "b\\xff\\xfec" is not UTF-8 text: Windows passes arguments as text, so these bytes cannot reach the program exactly',
      );
    }
  });
});

/** What cmd.exe does to a line whose quotes are all ^-escaped: ^X becomes X. */
function cmdUnescape(line: string): string {
  return line.replace(/\^([\s\S])/g, '$1');
}

/** CommandLineToArgvW / MSVCRT (2008+) rules, to read back what a Windows program receives. */
function windowsArgv(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let started = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      while (line[i] === '\\') {
        n++;
        i++;
      }
      cur += '\\'.repeat(line[i] === '"' ? Math.floor(n / 2) : n);
      if (line[i] === '"' && n % 2 === 1) {
        cur += '"'; // an odd run of backslashes escapes the quote
        i++;
      }
      started = true;
      continue;
    }
    if (c === '"') {
      if (inQuotes && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else {
        inQuotes = !inQuotes;
      }
      started = true;
    } else if ((c === ' ' || c === '\t') && !inQuotes) {
      if (started) args.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
    i++;
  }
  if (started) args.push(cur);
  return args;
}

describe('expandCommand on Windows (platform injected)', () => {
  it('runs a string command through cmd.exe /d /s /c with verbatim arguments', () => {
    const out = expandCommand({ kind: 'shell', template: 'xz -k {} {#}' }, vars('a b.log'), 'win32');
    expect(out).toEqual({
      file: 'cmd.exe',
      args: ['/d', '/s', '/c', '"xz -k ^"a^ b.log^" 7"'],
      shell: true,
      windowsVerbatimArguments: true,
      display: 'xz -k ^"a^ b.log^" 7',
    });
  });

  it('escapes quotes, backslashes and cmd metacharacters', () => {
    expect(quoteCmd(NASTY)).toBe(`^"a^ b^;^ rm^ -rf^ ~^ $^(x^)^ 'q\\^"^"`);
    expect(quoteCmd('%PATH%')).toBe('^"^%PATH^%^"');
    expect(quoteCmd('a&b|c<d>e')).toBe('^"a^&b^|c^<d^>e^"');
    expect(quoteCmd('C:\\dir\\')).toBe('^"C:\\dir\\\\^"');
    expect(quoteCmd('')).toBe('^"^"');
  });

  it.each([NASTY, '%PATH% !x! ^caret', 'a&b|c<d>e (x) [y]', 'C:\\dir\\', 'say \\"hi\\"', 'ünïcødé', '', 'a,b;c', '*?'])(
    'a program reads %j back exactly after cmd and the C runtime parse it',
    (input) => {
      const line = cmdUnescape(quoteCmd(input));
      expect(windowsArgv(line)).toEqual([input]);
    },
  );

  it('refuses a line break, which cmd.exe cannot carry', () => {
    expect(() => expandCommand({ kind: 'shell', template: 'echo {}' }, vars('a\nb'), 'win32')).toThrow(
      'cannot pass "a\\nb" through cmd.exe: it contains a line break or NUL; use an array command',
    );
  });

  it('an array command needs no shell and shows Windows quoting', () => {
    const out = expandCommand({ kind: 'argv', template: ['xz', '{}'] }, vars('a "b".log'), 'win32');
    expect(out).toMatchObject({ file: 'xz', args: ['a "b".log'], shell: false, windowsVerbatimArguments: false, display: 'xz "a \\"b\\".log"' });
  });
});

describe('positional replacement strings (several sources)', () => {
  const cols = (...c: string[]) => ({ input: joinColumns(c), seq: 3, slot: 1 });
  const shell = (template: string) => ({ kind: 'shell', template }) as const;
  it('{N} and {N.} {N/} {N//} {N/.} take the N-th column; past the last it is empty, as parallel', () => {
    const v = cols('dir/a.txt', 'x y');
    expect(['{1}', '{1.}', '{1/}', '{1//}', '{1/.}', '{2}', '{3}'].map((t) => replacementValue(t, v))).toEqual(['dir/a.txt', 'dir/a', 'a.txt', 'dir', 'a', 'x y', '']);
  });
  it('{} of several columns is each column quoted apart; a template without a replacement string gets them all', () => {
    expect(expandCommand(shell('echo {} {.}'), cols('a b', 'c.d')).args[1]).toBe("echo 'a b' c.d 'a b' c");
    expect(expandCommand(shell('echo'), cols('a b', 'c')).args[1]).toBe("echo 'a b' c");
    expect(expandCommand(shell('echo {2} {1}'), cols("it's", '$x')).args[1]).toBe(`echo '$x' 'it'\\''s'`);
  });
  it('each column reaches the program as one argument, bytes that are not UTF-8 included', () => {
    const input = joinColumns(['a b', decodeBytes(Buffer.from([0x62, 0xff])), '']);
    const e = expandCommand(shell(`printf '%s\\0' {3} {2} {1}`), { input, seq: 1, slot: 1 }, 'linux');
    const run = spawnSync(e.file, e.args, { encoding: 'buffer' });
    expect(run.stdout).toEqual(Buffer.concat([Buffer.from([0]), Buffer.from([0x62, 0xff, 0]), Buffer.from('a b\0')]));
  });
});
