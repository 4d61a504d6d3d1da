// The floor for a supervisor: a bare Node spawn loop that does what any supervisor must per task —
// its own process group (for tree kill) and stdout/stderr captured through pipes — and nothing else.
// Usage: bare-spawn-captured.mjs N C
import { spawn } from 'node:child_process';

const n = Number(process.argv[2]);
const concurrency = Number(process.argv[3]);
let started = 0;
let ended = 0;
let failed = 0;

await new Promise((resolve) => {
  const next = () => {
    if (started >= n) return;
    started++;
    const child = spawn('true', [String(started)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', () => {});
    child.stderr.on('data', () => {});
    child.on('close', (code) => {
      if (code !== 0) failed++;
      if (++ended === n) resolve();
      else next();
    });
  };
  for (let i = 0; i < Math.min(concurrency, n); i++) next();
});
if (failed) {
  console.error(`bare-spawn-captured: ${failed} of ${n} failed`);
  process.exit(1);
}
