import { startTransition, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import type { Emitter } from '../store/emitter.js';
import type { BarStatus } from '../store/seriesStore.js';

// Small DOM hooks: element width (charts downsample to it) and the OS colour scheme.

export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((prev) => (prev === w ? prev : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

const darkQuery = '(prefers-color-scheme: dark)';
// One MediaQueryList for the page: matchMedia() per render showed up in the soak profile.
let schemeQuery: MediaQueryList | null = null;
const scheme = (): MediaQueryList => (schemeQuery ??= window.matchMedia(darkQuery));
function subscribeScheme(cb: () => void): () => void {
  const mq = scheme();
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}

export function useDarkMode(): boolean {
  return useSyncExternalStore(subscribeScheme, () => scheme().matches);
}

export interface Palette {
  grid: string;
  axis: string;
  text: string;
  reference: string;
  series: readonly string[];
  status: Record<BarStatus, string>;
  cpu: string;
  mem: string;
  queued: string;
  running: string;
}

const series = ['#4e9af1', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7',
  '#9c755f', '#bab0ac', '#3d7cc9', '#d37295', '#8cd17d', '#f1ce63', '#a0cbe8', '#86bcb6'];

const dark: Palette = {
  grid: '#2a313b', axis: '#6b7685', text: '#c9d1d9', reference: '#e5534b', series,
  status: {
    running: '#4e9af1', suspect: '#7fa3b8', stuck: '#d29922', stopping: '#e67a35', ok: '#3fb950', failed: '#ff6a61', killed: '#b087f9',
    interrupted: '#8b949e', skipped: '#6e7681',
  },
  cpu: '#4e9af1', mem: '#b087f9', queued: '#d29922', running: '#3fb950',
};
const light: Palette = {
  grid: '#e4e8ee', axis: '#8a94a3', text: '#1f2328', reference: '#cf222e', series,
  status: {
    running: '#0860ca', suspect: '#3f6780', stuck: '#875a00', stopping: '#a84300', ok: '#1a7431', failed: '#c11f2b', killed: '#7544d0',
    interrupted: '#5f6873', skipped: '#8c959f',
  },
  cpu: '#0860ca', mem: '#7544d0', queued: '#875a00', running: '#1a7431',
};

export function usePalette(): Palette {
  return useDarkMode() ? dark : light;
}

/** A timer that re-renders every `ms` while `active` (countdowns, "ago" labels). */
export function useNow(ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const h = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(h);
  }, [ms, active]);
  return now;
}

/** True while the element is on screen (or when IntersectionObserver is missing). */
export function useInView<T extends Element>(ref: RefObject<T | null>): boolean {
  const [inView, setInView] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      const e = entries[entries.length - 1];
      if (e) setInView(e.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return inView;
}

/**
 * A store's version, re-read at most every `ms` and only while `active` (on screen): expensive
 * views (charts) follow the data at their own pace. The update runs as a transition, so React
 * renders it in slices instead of one long task.
 */
export function useThrottledVersion(e: Emitter, ms: number, active = true): number {
  const [version, setVersion] = useState(e.version);
  useEffect(() => {
    if (!active) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const apply = () => {
      timer = null;
      last = performance.now();
      startTransition(() => setVersion(e.version));
    };
    const onChange = () => {
      if (timer) return;
      const wait = last + ms - performance.now();
      if (wait <= 0) apply();
      else timer = setTimeout(apply, wait);
    };
    onChange();
    const off = e.subscribe(onChange);
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [e, ms, active]);
  return version;
}
