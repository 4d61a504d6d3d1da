import { describe, expect, it } from 'vitest';
import { stopSettled } from '../../../../main/core/pool/attempt.js';

describe('stopSettled', () => {
  it('waits for a stop that took over while it waited (force after graceful)', async () => {
    let endForce!: () => void;
    const force = new Promise<void>((r) => (endForce = r));
    const live: { stopDone: Promise<void> | null } = { stopDone: null };
    // The graceful sequence ends early because a force stop aborted it and took its place.
    live.stopDone = Promise.resolve().then(() => {
      live.stopDone = force;
    });
    let settled = false;
    const waiting = stopSettled(live).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    endForce();
    await waiting;
    expect(settled).toBe(true);
  });

  it('returns at once when no stop is in progress', async () => {
    await expect(stopSettled({ stopDone: null })).resolves.toBeUndefined();
  });
});
