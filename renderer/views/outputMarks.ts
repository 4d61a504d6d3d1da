import type { TaskOutput } from '../../main/contract/types.js';

// The output pane's text and which parts of it are stderr. The supervisor keeps stdout and
// stderr interleaved in one buffer and says where the stderr bytes are; the pane marks the lines
// they fall on (a line with any stderr byte is a stderr line: tasks write whole lines).

export interface PaneOutput {
  text: string;
  /** [from, to) indexes into text of stderr, ascending */
  marks: [number, number][];
  /** Stream offset of the next byte to ask for */
  next: number;
  truncated: boolean;
}

export const emptyOutput: PaneOutput = { text: '', marks: [], next: 0, truncated: false };

// Offsets count bytes, text is UTF-16: older supervisors do not send `end`, so measure in bytes.
const utf8 = new TextEncoder();

/** Appends what the supervisor sent, keeping at most `maxChars` (the oldest go, marks with them). */
export function appendOutput(prev: PaneOutput, v: TaskOutput, maxChars: number): PaneOutput {
  // The server dropped bytes we never saw: restart from what it has.
  const gap = v.offset > prev.next;
  const base = gap ? '' : prev.text;
  const marks = (gap ? [] : prev.marks).slice();
  for (const [a, b] of v.stderr ?? []) {
    const last = marks.at(-1);
    if (last && last[1] === base.length + a) last[1] = base.length + b;
    else marks.push([base.length + a, base.length + b]);
  }
  let text = base + v.text;
  let kept = marks;
  const cut = text.length - maxChars;
  if (cut > 0) {
    text = text.slice(cut);
    kept = marks.filter(([, b]) => b > cut).map(([a, b]) => [Math.max(0, a - cut), b - cut]);
  }
  const next = v.end ?? v.offset + utf8.encode(v.text).length;
  return { text, marks: kept, next, truncated: v.truncated || gap || prev.truncated };
}

export interface OutputSegment {
  stderr: boolean;
  text: string;
}

/** Runs of whole lines, each all stdout or all stderr (a line touched by a stderr range is stderr). */
export function outputSegments(text: string, marks: readonly [number, number][]): OutputSegment[] {
  if (marks.length === 0) return text ? [{ stderr: false, text }] : [];
  const out: OutputSegment[] = [];
  let m = 0;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl + 1;
    while (m < marks.length && marks[m][1] <= start) m++;
    const stderr = m < marks.length && marks[m][0] < end && marks[m][1] > start;
    const last = out.at(-1);
    if (last && last.stderr === stderr) last.text += text.slice(start, end);
    else out.push({ stderr, text: text.slice(start, end) });
    start = end;
  }
  return out;
}
