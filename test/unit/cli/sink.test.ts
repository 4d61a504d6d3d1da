import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Sink, TurnBatch } from '../../../main/cli/sink.js';

/** One stream's writes, logged in a list both streams share (as with 2>&1). */
function stream(name: string, log: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      log.push(`${name}:${chunk.toString()}`);
      cb();
    },
  });
}

describe('Sink with a TurnBatch', () => {
  it('holds a turn\'s writes and hands them over at its end, in order, one write per run of one stream', async () => {
    const log: string[] = [];
    const turn = new TurnBatch();
    const out = new Sink(stream('out', log), turn);
    const err = new Sink(stream('err', log), turn);
    out.write('a1\n');
    out.write('a2\n');
    err.write('e1\n');
    out.write('a3\n');
    expect(log).toEqual([]); // nothing before the end of the turn
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['out:a1\na2\n', 'err:e1\n', 'out:a3\n']);
  });

  it('idle() and flush() hand over what the turn holds at once; a closed sink drops its share', async () => {
    const log: string[] = [];
    const turn = new TurnBatch();
    const out = new Sink(stream('out', log), turn);
    const err = new Sink(stream('err', log), turn);
    out.write('x\n');
    await out.idle();
    expect(log).toEqual(['out:x\n']);
    err.write('dropped\n');
    out.write('y\n');
    err.close();
    turn.flush();
    expect(log).toEqual(['out:x\n', 'out:y\n']);
  });

  it('without a batch, writes go to the stream at once', () => {
    const log: string[] = [];
    new Sink(stream('out', log)).write('now\n');
    expect(log).toEqual(['out:now\n']);
  });
});
