import { describe, expect, it } from 'vitest';
import { formatReaperCommand, lineSplitter, parseReaperCommand, reaperGraceMs, reaperMarker } from '../../../../main/core/reap/protocol.js';

describe('reaper protocol', () => {
  it('parses the four commands and round-trips them', () => {
    expect(parseReaperCommand('{"op":"add","pgid":5,"pid":5,"startTime":"99"}')).toEqual({ op: 'add', pgid: 5, pid: 5, startTime: '99' });
    expect(parseReaperCommand('{"op":"add","pgid":5,"pid":6}')).toEqual({ op: 'add', pgid: 5, pid: 6 });
    expect(parseReaperCommand('{"op":"remove","pgid":5}')).toEqual({ op: 'remove', pgid: 5 });
    expect(parseReaperCommand('{"op":"bye"}')).toEqual({ op: 'bye' });
    expect(parseReaperCommand('{"op":"spare","pid":7,"startTime":"12"}')).toEqual({ op: 'spare', pid: 7, startTime: '12' });
    expect(parseReaperCommand('{"op":"spare","pid":7}')).toBeUndefined(); // a spare without start time could hit a reused pid
    const cmd = { op: 'add', pgid: 1, pid: 1, startTime: 'x' } as const;
    expect(parseReaperCommand(formatReaperCommand(cmd).trim())).toEqual(cmd);
  });

  it('rejects malformed commands, including pgids that would signal everything', () => {
    for (const bad of ['', 'x', '[]', '{"op":"add","pgid":0,"pid":1}', '{"op":"add","pgid":-1,"pid":1}', '{"op":"add","pgid":1.5,"pid":1}', '{"op":"remove"}', '{"op":"nuke"}']) {
      expect(parseReaperCommand(bad)).toBeUndefined();
    }
  });

  it('splits chunks into lines across chunk boundaries', () => {
    const lines: string[] = [];
    const feed = lineSplitter((l) => lines.push(l));
    feed('{"op":"by');
    feed('e"}\n\n{"op":"remove",');
    expect(lines).toEqual(['{"op":"bye"}']);
    feed('"pgid":3}\n');
    expect(lines).toEqual(['{"op":"bye"}', '{"op":"remove","pgid":3}']);
  });

  it('takes the grace from the argument, then the environment, then the default', () => {
    expect(reaperGraceMs(['--grace-ms=300'], { CORRAL_REAPER_GRACE_MS: '700' }, 2000)).toBe(300);
    expect(reaperGraceMs([], { CORRAL_REAPER_GRACE_MS: '700' }, 2000)).toBe(700);
    expect(reaperGraceMs(['--grace-ms=soon'], {}, 2000)).toBe(2000);
    expect(reaperGraceMs([], { CORRAL_REAPER_GRACE_MS: '-1' }, 2000)).toBe(2000);
  });

  it('takes the supervisor marker only as a plain token, since it is matched in other processes\' environments', () => {
    expect(reaperMarker(['--grace-ms=5', '--marker=4242-0123456789abcdef'])).toBe('4242-0123456789abcdef');
    expect(reaperMarker([])).toBeUndefined();
    for (const bad of ['--marker=', '--marker=short', '--marker=a b c d e f', '--marker=x\u0000CORRAL', `--marker=${'x'.repeat(129)}`]) {
      expect(reaperMarker([bad])).toBeUndefined();
    }
  });
});
