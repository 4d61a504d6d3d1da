import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseJobText } from '../../../../main/core/job/parse.js';
import { parseKillSequence, PLATFORM_SIGNALS } from '../../../../main/core/job/rules.js';

// A kill sequence is checked against the platform at load time: a step the platform lacks used to
// throw silently at kill time, and nothing escalated (a `timeout: 1s` task ran 20 s).

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('kill sequence signals per platform', () => {
  it.runIf(process.platform === 'linux')('refuses signals Linux lacks, with a located error in the job file', () => {
    const issue = (kill: string) => {
      const r = parseJobText(`command: x\ninputs: { list: [a] }\nkill: ${kill}\n`, { file: 'job.yaml', baseDir: '/' });
      return r.ok ? null : r.issues.map((i) => i.text);
    };
    expect(issue('TERM,1s,INFO')).toEqual(['job.yaml:3:7: kill: expected a kill sequence like TERM,10s,KILL, got "TERM,1s,INFO" (signal "INFO" does not exist on linux)']);
    expect(issue('EMT,KILL')).toEqual(['job.yaml:3:7: kill: expected a kill sequence like TERM,10s,KILL, got "EMT,KILL" (signal "EMT" does not exist on linux)']);
    expect(issue('TERM,1s,LOST')).toEqual(['job.yaml:3:7: kill: expected a kill sequence like TERM,10s,KILL, got "TERM,1s,LOST" (unknown signal "LOST")']);
  });

  it('judges each platform by its own set', () => {
    expect(parseKillSequence('INFO,1s,KILL', 'darwin')).toEqual([{ signal: 'INFO', waitMs: 1000 }, { signal: 'KILL', waitMs: 0 }]);
    expect(message(() => parseKillSequence('PWR,KILL', 'darwin'))).toBe('expected a kill sequence like TERM,10s,KILL, got "PWR,KILL" (signal "PWR" does not exist on darwin)');
    expect(message(() => parseKillSequence('USR1,KILL', 'win32'))).toBe('expected a kill sequence like TERM,10s,KILL, got "USR1,KILL" (signal "USR1" does not exist on win32)');
    expect(parseKillSequence('sigterm,2s,kill', 'win32')).toEqual([{ signal: 'TERM', waitMs: 2000 }, { signal: 'KILL', waitMs: 0 }]);
  });

  it.runIf(process.platform in PLATFORM_SIGNALS)("matches Node's own signal table on the platform the tests run on", () => {
    const here = process.platform as keyof typeof PLATFORM_SIGNALS;
    expect([...PLATFORM_SIGNALS[here]].sort()).toEqual(Object.keys(constants.signals).map((s) => s.slice(3)).sort());
  });
});

describe('daemons', () => {
  const load = (line: string) => parseJobText(`command: x\ninputs: { list: [a] }\n${line}`, { file: 'job.yaml', baseDir: '/' });
  it('is kill by default, keep on request, and nothing else', () => {
    const dflt = load('');
    const keep = load('daemons: keep\n');
    expect(dflt.ok && dflt.spec.daemons).toBe('kill');
    expect(keep.ok && keep.spec.daemons).toBe('keep');
    const bad = load('daemons: maybe\n');
    expect(bad.ok ? [] : bad.issues.map((i) => i.text)).toEqual(['job.yaml:3:10: daemons: expected kill or keep, got "maybe"']);
  });
});
