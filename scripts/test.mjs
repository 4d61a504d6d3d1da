// `npm test`: build every bundle, type-check each layer, lint, then run the unit, integration
// model and e2e suites (in that order: cheap failures first). Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const only = process.argv.slice(2);

function step(name, cmd, args, opts = {}) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

let ok = true;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
ok = step('build', process.execPath, ['scripts/build.mjs']) && ok;
if (!ok) process.exit(1);
ok = step('typecheck', process.execPath, ['scripts/typecheck.mjs']) && ok;
ok = step('lint', npx, ['eslint', '.']) && ok;

let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of ['unit', 'integration', 'model', 'e2e']) {
  if (only.length && !only.includes(project)) continue;
  const out = join(results, `${project}.json`);
  const good = step(`tests (${project})`, npx, ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  ok = good && ok;
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (!good && (r.numFailedTests ?? 0) === 0) failed += 1; // a suite that failed to load counts
  } else if (!good) failed += 1;
}
console.log(`\n${ok ? 'all checks passed' : 'SOME CHECKS FAILED'}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok && failed === 0 ? 0 : 1);
