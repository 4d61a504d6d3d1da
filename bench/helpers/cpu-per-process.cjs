// Preloaded with NODE_OPTIONS="--require …/cpu-at-exit.cjs": each Node process (supervisor, module
// hosts, reaper) appends "pid script user_us system_us" of its own CPU time to $CPU_OUT at exit.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  const u = process.cpuUsage();
  const script = (process.argv[1] || '').split('/').slice(-2).join('/');
  try {
    appendFileSync(process.env.CPU_OUT || 'cpu-at-exit.txt', `${process.pid} ${script} ${u.user} ${u.system}\n`);
  } catch {
    // nowhere to report it
  }
});
