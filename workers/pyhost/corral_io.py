"""Corral's Python host (corral_host.py): its messages to the supervisor on fd 4, its exit, and its
own CPU time and RSS. Stdlib only, Python >= 3.8."""
import json
import os
import sys
import threading

MSG_FD = 4
RSS_CPU_S = 0.0002
RSS_EVERY_S = 0.001
profiler = None  # cProfile, when CORRAL_PYHOST_CPROFILE=1 (benchmarks)
tasks_run = 0
compact = json.JSONEncoder(separators=(",", ":")).encode  # ASCII: lone surrogates stay escapes


def exit_host(code):
    """Ends the host; with CORRAL_PYHOST_STATS=<dir> (benchmarks) it first writes its CPU time and
    task count there, and its cProfile stats too when CORRAL_PYHOST_CPROFILE=1."""
    stats_dir = os.environ.get("CORRAL_PYHOST_STATS")
    if stats_dir:
        try:
            _write_stats(stats_dir)
        except Exception:
            pass
    os._exit(code)


def _write_stats(stats_dir):
    base = os.path.join(stats_dir, "host-%d" % os.getpid())
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(base + ".prof")
    t = os.times()
    with open(base + ".tmp", "w") as f:
        json.dump({"tasks": tasks_run, "user": t.user, "system": t.system}, f)
    os.rename(base + ".tmp", base + ".json")  # whole when seen


_send_lock = threading.Lock()
_outbox = []  # message lines waiting for the next write (under _send_lock)


def send_line(line, now=True):
    """Writes one message's JSON line (and what waits before it) now; now=False holds it for the
    next write, which comes before the next task's code runs or before the host waits for input."""
    with _send_lock:
        _outbox.append(line)
        if now:
            _write_outbox()


def send(msg, now=True):
    send_line(compact(msg), now)


def flush_messages():
    with _send_lock:
        _write_outbox()


def forked():
    """In a task's forked child (multiprocessing): another thread may have held the host's lock."""
    global _send_lock
    _send_lock = threading.Lock()


def _write_outbox():
    if not _outbox:
        return
    view = memoryview(("\n".join(_outbox) + "\n").encode("ascii"))
    del _outbox[:]
    while view:
        try:
            n = os.write(MSG_FD, view)
        except InterruptedError:
            continue
        except OSError:
            exit_host(70)  # the supervisor is gone: nobody to report to
        view = view[n:]


_statm = None  # fd of /proc/self/statm, read with pread: one system call per reading
_page = 4096


def rss_bytes():
    try:
        return int(os.pread(_statm, 64, 0).split()[1]) * _page
    except (OSError, ValueError, IndexError, TypeError):
        try:
            import resource  # peak, not current: the best there is without /proc

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return peak if sys.platform == "darwin" else peak * 1024
        except Exception:
            return 0


def open_statm():
    global _statm, _page
    try:
        _page = os.sysconf("SC_PAGE_SIZE")
        _statm = os.open("/proc/self/statm", os.O_RDONLY)
    except (OSError, ValueError, AttributeError):
        _statm = None
