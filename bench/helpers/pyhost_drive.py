"""The Python host alone, without a supervisor: feeds it N starts of py_tasks.py:trivial, keeping
W outstanding as the supervisor's prefetch does (up to 64 for tiny tasks), and prints the host's
CPU per task from wait4's rusage (start-up included). The steadiest figure for the host's own
cost on a loaded machine; run it with an older checkout's host to compare.

usage: python3 bench/helpers/pyhost_drive.py [HOST_SCRIPT] [N] [W]
  (defaults: workers/pyhost/corral_host.py of this checkout, 20000, 64)
"""
import fcntl
import json
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
host = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "workers", "pyhost", "corral_host.py")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
window = int(sys.argv[3]) if len(sys.argv) > 3 else 64
target = os.path.join(here, "py_tasks.py") + ":trivial"

c_r, c_w = os.pipe()  # the host's fd 3
m_r, m_w = os.pipe()  # the host's fd 4
pid = os.fork()
if pid == 0:
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 20) for fd in (c_r, m_w)]  # out of the way of 3 and 4
    os.dup2(high[0], 3)
    os.dup2(high[1], 4)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.execvp(sys.executable, [sys.executable, host, target, "", here])
os.close(c_r)
os.close(m_w)
t0 = time.time()
sent = done = 0


def send_starts(k):
    global sent
    batch = [{"type": "start", "taskId": i, "input": str(i), "module": "", "slot": 1, "attempt": 1, "maxResultBytes": 1 << 24} for i in range(sent + 1, sent + k + 1)]
    sent += k
    os.write(c_w, (json.dumps(batch) + "\n").encode())


send_starts(min(window, n))
buf = b""
while done < n:
    data = os.read(m_r, 1 << 16)
    if not data:
        sys.exit("pyhost_drive: the host exited")
    *lines, buf = (buf + data).split(b"\n")
    ended = 0
    for line in lines:
        batch = json.loads(line)
        for m in batch if isinstance(batch, list) else [batch]:
            if m["type"] in ("result", "error"):
                ended += 1
    done += ended
    if min(ended, n - sent):
        send_starts(min(ended, n - sent))
os.write(c_w, b'{"type":"shutdown"}\n')
_, _, ru = os.wait4(pid, 0)
print("%s: %d tasks, window %d: host CPU %.1f us/task (user %.1f, system %.1f), %.2f s wall" % (host, n, window, (ru.ru_utime + ru.ru_stime) / n * 1e6, ru.ru_utime / n * 1e6, ru.ru_stime / n * 1e6, time.time() - t0))
