import type { Notice, Tick } from '../../main/contract/types.js';

/** The two event streams of CorralApi (onTick, onNotice → unsubscribe) for an API built in the renderer. */
export function apiEvents() {
  const ticks = new Set<(t: Tick) => void>();
  const notices = new Set<(n: Notice) => void>();
  const on =
    <T>(set: Set<(x: T) => void>) =>
    (cb: (x: T) => void) => {
      set.add(cb);
      return () => void set.delete(cb);
    };
  return {
    onTick: on(ticks),
    onNotice: on(notices),
    // Copies, so a callback that unsubscribes while being called does not skip its neighbour.
    emitTick: (t: Tick) => [...ticks].forEach((cb) => cb(t)),
    emitNotice: (n: Notice) => [...notices].forEach((cb) => cb(n)),
  };
}
