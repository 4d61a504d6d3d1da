import { useEffect, useState } from 'react';
import type { StreamSlice } from '../../main/contract/stream.js';
import { useApp } from '../app/context.js';
import type { Span } from './streamSpan.js';

// The supervisor's slice of the shown stretch (getStream): asked again when the stretch or the
// plot's width changes (debounced, so a burst of zoom clicks costs one query) and every few
// seconds while the job runs; what ended since comes with the ticks.

const refreshMs = 5000;
const debounceMs = 120;

export function useStreamSlice(shown: Span, px: number, running: boolean, run: number | null): StreamSlice | null {
  const { api } = useApp();
  const [slice, setSlice] = useState<{ run: number | null; value: StreamSlice } | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setRound((n) => n + 1), refreshMs);
    return () => clearInterval(id);
  }, [running]);
  const from = Math.floor(shown.from);
  const to = Math.ceil(shown.to);
  const width = Math.max(1, Math.round(px));
  useEffect(() => {
    if (run === null || to <= from) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void api.getStream({ from, to, px: Math.min(10_000, width) }).then((r) => {
        if (!cancelled && r.ok) setSlice({ run, value: r.value });
      });
    }, debounceMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, from, to, width, round, run]);
  // A slice of another run is never drawn; one of another stretch is, until the new one comes.
  return slice && slice.run === run ? slice.value : null;
}
