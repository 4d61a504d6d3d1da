import { useEffect, useRef, useState } from 'react';
import type { StreamQuery, StreamSlice } from '../../main/contract/stream.js';
import type { CorralApi } from '../../main/contract/api.js';
import { useApp } from '../app/context.js';
import { mergeSlices } from './streamBuckets.js';
import type { Span } from './streamSpan.js';

// The supervisor's slice of the shown stretch (getStream): asked in full when the stretch or the
// plot's width changes (debounced, so a burst of zoom clicks costs one query); while the job runs,
// every few seconds only what ended since the last answer is asked for and merged into it (the
// stretch grows in steps, so between steps it is the same one). What ended since comes with the ticks.

const refreshMs = 5000;
const debounceMs = 120;

interface Held {
  run: number | null;
  key: string;
  value: StreamSlice;
}

export function useStreamSlice(shown: Span, px: number, running: boolean, run: number | null): StreamSlice | null {
  const { api } = useApp();
  const [slice, setSlice] = useState<Held | null>(null);
  const held = useRef<Held | null>(null);
  held.current = slice;
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setRound((n) => n + 1), refreshMs);
    return () => clearInterval(id);
  }, [running]);
  const from = Math.floor(shown.from);
  const to = Math.ceil(shown.to);
  const width = Math.min(10_000, Math.max(1, Math.round(px)));
  const key = `${from}|${to}|${width}`;
  useEffect(() => {
    if (run === null || to <= from) return;
    let cancelled = false;
    // The held answer is read when the timer fires, not kept by this effect: its closure lives
    // until the next round, and would hold the answer before last alive beside the current one.
    const follows = (h: Held | null) => (h && h.run === run && h.key === key ? h.value : null);
    const timer = setTimeout(() => {
      void fetchSlice(api, { from, to, px: width }, follows(held.current)).then((value) => {
        if (!cancelled && value) setSlice({ run, key, value });
      });
    }, follows(held.current) ? 0 : debounceMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, from, to, width, key, round, run]);
  // A slice of another run is never drawn; one of another stretch is, until the new one comes.
  return slice && slice.run === run ? slice.value : null;
}

/** What ended since `prev` merged into it; the whole stretch when there is no `prev` or the two do not line up. */
export async function fetchSlice(api: Pick<CorralApi, 'getStream'>, q: StreamQuery, prev: StreamSlice | null): Promise<StreamSlice | null> {
  if (prev?.bucketMs !== undefined) {
    const r = await api.getStream({ ...q, since: prev.through, bucketMs: prev.bucketMs });
    if (!r.ok) return null;
    const merged = mergeSlices(prev, r.value);
    if (merged) return merged;
  }
  const r = await api.getStream(q);
  return r.ok ? r.value : null;
}
