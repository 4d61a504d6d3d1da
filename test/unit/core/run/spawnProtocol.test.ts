import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME, frameReader } from '../../../../main/core/run/spawnProtocol.js';

describe('spawn helper frames', () => {
  it('come out whole and in order however the byte stream is cut, empty and binary payloads included', () => {
    const frames: [number, number, Buffer][] = [
      [FRAME.spawned, 1, Buffer.from('{"pid":42,"startTime":"7"}')],
      [FRAME.stdout, 1, Buffer.from([0xff, 0x00, 0x0a, 0xc3])],
      [FRAME.closed, 1, Buffer.alloc(0)],
      [FRAME.stderr, 4_000_000_000, Buffer.alloc(70_000, 0x61)],
    ];
    const stream = Buffer.concat(frames.map(([k, id, p]) => encodeFrame(k, id, p)));
    for (const cut of [1, 3, 9, 10, 4096, stream.length]) {
      const got: [number, number, Buffer][] = [];
      const read = frameReader((k, id, p) => got.push([k, id, Buffer.from(p)]));
      for (let at = 0; at < stream.length; at += cut) read(stream.subarray(at, at + cut));
      expect(got).toEqual(frames);
    }
  });
});
