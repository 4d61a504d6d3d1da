// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per file, top N.
// Usage: node bench/helpers/profile-summary.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, topText = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const fnSelf = new Map();
const fileSelf = new Map();
for (const [id, us] of dt) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = url.replace(/^.*\/(node_modules\/|out\/|bench\/)/, '$1') || '(native)';
  const fn = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + us);
  fileSelf.set(short, (fileSelf.get(short) ?? 0) + us);
}
const show = (title, m) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(topText))) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
show('self time by function', fnSelf);
show('self time by file', fileSelf);
