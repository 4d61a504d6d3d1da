// The floor: what Node itself can do. Spawns N `true` processes (no shell, input as the
// argument, like the others), keeping `concurrency` running at once.
// Usage: bare-spawn.mjs N C [capture]
// With `capture`, each child also gets what any supervisor needs per task — its own process group
// (for tree kill) and stdout/stderr through pipes — and nothing else: the floor for Corral.
import { spawn } from 'node:child_process';

const n = Number(process.argv[2]);
const concurrency = Number(process.argv[3]);
const capture = process.argv[4] === 'capture';
const options = capture ? { stdio: ['ignore', 'pipe', 'pipe'], detached: true } : { stdio: 'ignore' };
let started = 0;
let ended = 0;
let failed = 0;

await new Promise((resolve) => {
  const next = () => {
    if (started >= n) return;
    started++;
    const child = spawn('true', [String(started)], options);
    child.stdout?.on('data', () => {});
    child.stderr?.on('data', () => {});
    // 'close' waits for the pipes too, as a supervisor collecting output must.
    child.on(capture ? 'close' : 'exit', (code) => {
      if (code !== 0) failed++;
      if (++ended === n) resolve();
      else next();
    });
  };
  for (let i = 0; i < Math.min(concurrency, n); i++) next();
});
if (failed) {
  console.error(`bare-spawn: ${failed} of ${n} failed`);
  process.exit(1);
}
