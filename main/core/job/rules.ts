// The halt rule and the kill sequence, both spelled as in GNU parallel (--halt, --termseq).
import type { HaltRule, KillStep } from './types.js';
import { JobValueError, describeValue, parseDuration } from './values.js';

const HALT_EXPECTED = 'never or a rule like soon,fail=3 or now,fail=10%';

/**
 * GNU parallel's --halt: "never", or "<soon|now>,<fail|success|done>=<N|N%>".
 * soon = start no new tasks, let running ones finish; now = kill running tasks too.
 */
export function parseHalt(v: string): HaltRule {
  if (typeof v === 'string' && v.trim() === 'never') return { when: 'never' };
  const m = typeof v === 'string' ? /^\s*(soon|now)\s*,\s*(fail|success|done)\s*=\s*(\d+(?:\.\d+)?)(%?)\s*$/.exec(v) : null;
  if (m) {
    const n = Number(m[3]);
    const when = m[1] as 'soon' | 'now';
    const on = m[2] as 'fail' | 'success' | 'done';
    if (m[4] === '%' && n > 0 && n <= 100) return { when, on, percent: n };
    if (m[4] === '' && Number.isInteger(n) && n > 0) return { when, on, count: n };
  }
  throw new JobValueError(`expected ${HALT_EXPECTED}, got ${describeValue(v)}`);
}

/** The signals each platform has (Node's os.constants.signals there, without SIG); a kill sequence may use only these. */
export const PLATFORM_SIGNALS: Readonly<Record<'linux' | 'darwin' | 'win32', readonly string[]>> = Object.freeze({
  linux: Object.freeze([
    'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM',
    'CHLD', 'STKFLT', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'POLL', 'PWR', 'SYS',
  ]),
  darwin: Object.freeze([
    'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'EMT', 'FPE', 'KILL', 'BUS', 'SEGV', 'SYS', 'PIPE', 'ALRM', 'TERM',
    'URG', 'STOP', 'TSTP', 'CONT', 'CHLD', 'TTIN', 'TTOU', 'IO', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'INFO', 'USR1', 'USR2',
  ]),
  // taskkill knows only "close" and "force": these are the names Node accepts there.
  win32: Object.freeze(['HUP', 'INT', 'ILL', 'ABRT', 'FPE', 'KILL', 'SEGV', 'TERM', 'BREAK', 'WINCH']),
});

/** Every name any platform knows: a name outside it is a typo, one inside it may just be missing here. */
export const SIGNAL_NAMES: readonly string[] = Object.freeze([...new Set(Object.values(PLATFORM_SIGNALS).flat())]);

/** The BSDs share macOS's signal set; any other POSIX system is taken as Linux. */
function signalsOf(platform: NodeJS.Platform): readonly string[] {
  if (platform === 'win32' || platform === 'darwin' || platform === 'linux') return PLATFORM_SIGNALS[platform];
  return platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd' ? PLATFORM_SIGNALS.darwin : PLATFORM_SIGNALS.linux;
}

export const DEFAULT_KILL_SEQUENCE: readonly KillStep[] = Object.freeze([
  Object.freeze({ signal: 'TERM', waitMs: 10_000 }),
  Object.freeze({ signal: 'KILL', waitMs: 0 }),
]);

/**
 * "TERM,10s,KILL" → TERM, wait 10 s, KILL. Signals with or without SIG, any case; waits need a unit
 * (GNU parallel's bare numbers are milliseconds, ours would be seconds — refusing them avoids the trap).
 * Two signals in a row have no wait between them; the sequence must start and end with a signal.
 * Every signal must exist on the platform the job runs on.
 */
export function parseKillSequence(v: string | readonly (string | number)[], platform: NodeJS.Platform = process.platform): KillStep[] {
  const text = Array.isArray(v) ? v.join(',') : v;
  const bad = (why: string): never => {
    throw new JobValueError(`expected a kill sequence like TERM,10s,KILL, got ${describeValue(Array.isArray(v) ? text : v)} (${why})`);
  };
  if (typeof text !== 'string') {
    throw new JobValueError(`expected a kill sequence like TERM,10s,KILL, got ${describeValue(v)}`);
  }
  const tokens = text.split(',').map((t) => t.trim());
  if (tokens.length === 1 && tokens[0] === '') bad('it is empty');
  const steps: KillStep[] = [];
  let lastWasWait = true; // a sequence must start with a signal
  for (const token of tokens) {
    if (/^\d/.test(token)) {
      if (steps.length === 0) bad('it must start with a signal');
      if (lastWasWait) bad('two waits in a row');
      if (/^\d+(\.\d+)?$/.test(token)) bad(`the wait "${token}" needs a unit, like 200ms or 10s`);
      let ms: number;
      try {
        ms = parseDuration(token);
      } catch {
        return bad(`"${token}" is not a duration`);
      }
      steps[steps.length - 1].waitMs = ms;
      lastWasWait = true;
      continue;
    }
    if (token === '') bad('an empty step');
    const name = token.toUpperCase().replace(/^SIG/, '');
    if (!SIGNAL_NAMES.includes(name)) bad(`unknown signal "${token}"`);
    // Checked here, not at kill time: a step the platform lacks would fail silently and never escalate.
    if (!signalsOf(platform).includes(name)) bad(`signal "${token}" does not exist on ${platform}`);
    steps.push({ signal: name, waitMs: 0 });
    lastWasWait = false;
  }
  if (lastWasWait) bad('it must end with a signal, not a wait');
  return steps;
}
