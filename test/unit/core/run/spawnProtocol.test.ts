import { describe, expect, it } from 'vitest';
import { applyEnvDelta, encodeFrame, envDeltas, FRAME, frameReader } from '../../../../main/core/run/spawnProtocol.js';

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

describe('spawn helper environments', () => {
  it('rebuild every task environment exactly from a base sent once and small deltas; many changes send a new base', () => {
    const bases = new Map<number, NodeJS.ProcessEnv>();
    const sent: number[] = [];
    const next = envDeltas((id, env) => {
      sent.push(id);
      bases.set(id, JSON.parse(JSON.stringify(env)) as NodeJS.ProcessEnv); // as the helper reads it
    });
    const job: NodeJS.ProcessEnv = { PATH: '/bin', HOME: '/root', LC_ALL: 'C' };
    const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`K${i}`, String(i)]));
    const envs: NodeJS.ProcessEnv[] = [
      { ...job, CORRAL_TASK: '1-1' },
      { ...job, CORRAL_TASK: '2-1' },
      { PATH: '/bin', CORRAL_TASK: '3-1' }, // two keys gone
      { ...job, ...wide, CORRAL_TASK: '4-1' }, // 21 changes: a new base
      { ...job, ...wide, CORRAL_TASK: '5-1' },
    ];
    for (const env of envs) {
      const { envBase, env: delta } = next(env);
      expect(applyEnvDelta(bases.get(envBase)!, JSON.parse(JSON.stringify(delta)) as Record<string, string | null>)).toEqual(env);
    }
    expect(sent).toEqual([1, 2]);
  });
});
