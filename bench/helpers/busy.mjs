// Corral module task for the load-balancing benchmark: spins until this process has used
// `input` ms of CPU time (CPU, not wall time, so a loaded machine does not shorten the work).
export default async (input) => {
  const end = Number(input) * 1000;
  const start = process.cpuUsage();
  for (;;) {
    const u = process.cpuUsage(start);
    if (u.user + u.system >= end) return Number(input);
  }
};
