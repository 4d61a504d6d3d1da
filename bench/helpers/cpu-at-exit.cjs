// Preloaded (`node -r`) into `corral run` by bench/python.mjs: at exit, the supervisor's own CPU
// time (seconds) goes to BENCH_CPU_FILE as JSON. Processes it forks with the same argv flags are
// not `run` and write nothing.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_CPU_FILE;
if (file && process.argv.includes('run')) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ user: u.user / 1e6, system: u.system / 1e6 }));
  });
}
