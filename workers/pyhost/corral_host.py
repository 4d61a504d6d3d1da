"""Corral's Python task host: one per pool slot, reused across tasks. Stdlib only, Python >= 3.8.

usage: corral_host.py TARGET INIT BASEDIR   (TARGET: /abs/file.py:func or pkg.mod:func; INIT: a name or "")

The supervisor writes JSON lines on fd 3 (start, recall, abort, shutdown) and reads JSON lines on
fd 4 (ready, begin, recalled, progress, heartbeat, log, result, error, loadError): the same messages
as the Node host (main/core/run/hostMessages.ts). A line holds one message or an array of them:
starts arrive in batches (prefetched: they wait here until begun), and a task's result leaves
with the next task's begin. fd 1 and 2 are pipes the host reads itself, so whatever a task
writes there (print, logging, C extensions) reaches the supervisor as that task's log, in order.
"""
import collections
import importlib
import importlib.util
import json
import os
import sys
import threading
import time
import traceback

CMD_FD, MSG_FD = 3, 4
POSIX = os.name == "posix"
_send_lock = threading.Lock()
# Held while fd 1/2 are drained: a task's end drains them fully before its result is sent.
_capture_lock = threading.Lock()
_current = None  # the running Task, or None
_outbox = []  # messages waiting for the next write (under _send_lock)


def send(msg, now=True):
    """Writes msg (and what waits before it) now; now=False holds it for the next write, which
    comes before the next task's code runs or before the host waits for input: never held long."""
    with _send_lock:
        _outbox.append(msg)
        if now:
            _write_outbox()


def flush_messages():
    with _send_lock:
        _write_outbox()


def _write_outbox():
    if not _outbox:
        return
    batch = _outbox[0] if len(_outbox) == 1 else _outbox
    line = (json.dumps(batch, ensure_ascii=True) + "\n").encode("ascii")
    del _outbox[:]
    view = memoryview(line)
    while view:
        try:
            n = os.write(MSG_FD, view)
        except OSError:
            os._exit(70)  # the supervisor is gone: nobody to report to
        view = view[n:]


def rss_bytes():
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        try:
            import resource  # peak, not current: the best there is without /proc

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return peak if sys.platform == "darwin" else peak * 1024
        except Exception:
            return 0


def idle():
    return {"cpuMs": time.process_time() * 1000.0, "rss": rss_bytes()}


# ---- output capture -------------------------------------------------------------------------

_pipes = []  # (read fd, stream name)


def start_capture():
    """Points fd 1 and 2 at pipes of our own; a thread forwards what arrives as log messages."""
    if not POSIX:
        return  # select() cannot wait on pipes there: output goes to the supervisor's pipes, untagged
    import fcntl
    import select

    for fd, name in ((1, "stdout"), (2, "stderr")):
        r, w = os.pipe()
        os.dup2(w, fd)
        os.close(w)
        fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
        _pipes.append((r, name))
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)  # print() reaches the dashboard as it happens
        except Exception:
            pass

    def pump():
        fds = [r for r, _ in _pipes]
        while True:
            select.select(fds, [], [])
            with _capture_lock:
                drain()

    threading.Thread(target=pump, name="corral-capture", daemon=True).start()


def drain():
    """Reads fd 1/2's pipes empty (caller holds _capture_lock) and sends it as the current task's log."""
    for r, name in _pipes:
        chunks = []
        while True:
            try:
                data = os.read(r, 65536)
            except BlockingIOError:
                break
            if not data:
                break
            chunks.append(data)
        task = _current
        if chunks and task is not None:
            text = b"".join(chunks).decode("utf-8", "replace")
            send({"type": "log", "taskId": task.id, "stream": name, "text": text})


def flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    with _capture_lock:
        drain()


# ---- the user's function ----------------------------------------------------------------------


def load(target, base_dir):
    """'/abs/file.py:func' or 'pkg.mod:func' -> the function (raises with a clear message)."""
    where, _, name = target.rpartition(":")
    if where.endswith(".py") or os.sep in where or "/" in where:
        # Its own name, its folder first on sys.path: multiprocessing's spawn children import it so.
        mod_name = os.path.splitext(os.path.basename(where))[0]
        spec = importlib.util.spec_from_file_location(mod_name, where)
        if spec is None or spec.loader is None:
            raise ImportError("cannot load " + where)
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module  # pickling (multiprocessing) finds the module's functions
        sys.path.insert(0, os.path.dirname(where))
        spec.loader.exec_module(module)
    else:
        sys.path.insert(0, base_dir)
        module = importlib.import_module(where)
    return module, name


def lookup(module, name, what):
    fn = getattr(module, name, None)
    if fn is None:
        raise LookupError('%s has no function "%s"' % (what, name))
    if not callable(fn):
        raise TypeError('%s.%s is not callable (it is %s)' % (what, name, type(fn).__name__))
    return fn


def plain_error(err, tb=True):
    return {
        "name": type(err).__name__,
        "message": str(err),
        "stack": "".join(traceback.format_exception(type(err), err, err.__traceback__)) if tb else None,
    }


class Task:
    def __init__(self, msg, state):
        self.id = msg["taskId"]
        self.task_id = msg["taskId"]
        self.slot = msg["slot"]
        self.attempt = msg["attempt"]
        self.state = state
        self._cancelled = self.id in _commands.aborted
        _commands.aborted.discard(self.id)

    # ctx API
    def progress(self, fraction, message=None):
        try:
            f = min(1.0, max(0.0, float(fraction)))
        except (TypeError, ValueError):
            f = 0.0
        msg = {"type": "progress", "taskId": self.id, "fraction": f}
        if message is not None:
            msg["message"] = str(message)
        send(msg)

    def heartbeat(self):
        send({"type": "heartbeat", "taskId": self.id})

    def log(self, *args):
        flush_output()  # what the task printed before stays before this line
        send({"type": "log", "taskId": self.id, "stream": "stdout", "text": " ".join(str(a) for a in args) + "\n"})

    def cancelled(self):
        if not self._cancelled:
            _commands.poll()
        return self._cancelled


def takes_ctx(fn):
    import inspect

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class Host:
    def __init__(self, fn, state):
        self.fn = fn
        self.state = state
        self.with_ctx = takes_ctx(fn)
        self.warned_repr = False
        self.rss = rss_bytes()

    def run(self, msg):
        global _current
        task = Task(msg, self.state)
        cpu0 = time.process_time()
        _current = task
        # RSS as the last task left it: nothing ran since (one /proc read per task, not two)
        send({"type": "begin", "taskId": task.id, "idle": {"cpuMs": cpu0 * 1000.0, "rss": self.rss}})
        try:
            value = self.fn(msg["input"], task) if self.with_ctx else self.fn(msg["input"])
            out = self.result(task, value, msg["maxResultBytes"])
        except BaseException as err:  # SystemExit and KeyboardInterrupt fail the task, not the host
            out = {"type": "error", "taskId": task.id, "error": plain_error(err)}
        flush_output()
        _current = None
        rss = self.rss = rss_bytes()
        now = time.process_time()
        out["usage"] = {"cpuMs": (now - cpu0) * 1000.0, "rss": rss, "idle": {"cpuMs": now * 1000.0, "rss": rss}}
        send(out, now=False)  # leaves with the next begin, or before the host waits for input

    def result(self, task, value, max_bytes):
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
            extra = {}
        except (TypeError, ValueError) as err:
            value = repr(value)
            text = json.dumps(value, ensure_ascii=False)
            extra = {"repr": "%s: %s" % (type(err).__name__, err)}
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            msg = "result too large: %d bytes > %d bytes (maxResultSize)" % (size, max_bytes)
            return {"type": "error", "taskId": task.id, "error": {"name": "ResultTooLarge", "message": msg, "byHost": True}}
        out = {"type": "result", "taskId": task.id, "value": value, "bytes": size}
        out.update(extra)
        return out


class Commands:
    """fd 3, read by the main thread only: one thread wake-up per task, not two (each costs a
    scheduler round on a loaded machine). A running task sees an abort when it asks ctx.cancelled()."""

    def __init__(self):
        self.buf = b""
        self.starts = collections.deque()
        self.aborted = set()  # aborts for starts not begun yet

    def _handle(self, data):
        if not data:
            os._exit(0)  # the supervisor closed the pipe (or died): end with it
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            batch = json.loads(line)
            for msg in batch if isinstance(batch, list) else [batch]:
                self._one(msg)

    def _one(self, msg):
        kind = msg["type"]
        if kind == "start":
            self.starts.append(msg)
        elif kind == "recall":
            ids = set(msg["taskIds"])
            kept = [m for m in self.starts if m["taskId"] not in ids]
            dropped = [m["taskId"] for m in self.starts if m["taskId"] in ids]
            self.starts = collections.deque(kept)
            send({"type": "recalled", "taskIds": dropped})
        elif kind == "abort":
            task = _current
            if task is not None and task.id == msg["taskId"]:
                task._cancelled = True
            elif any(m["taskId"] == msg["taskId"] for m in self.starts):
                self.aborted.add(msg["taskId"])
        elif kind == "shutdown":
            flush_messages()
            os._exit(0)

    def next_start(self):
        self.poll()  # a recall that came during the last task drops its starts before one begins
        if not self.starts:
            flush_messages()  # the last result leaves before the host waits
        while not self.starts:
            try:
                data = os.read(CMD_FD, 65536)
            except InterruptedError:
                continue
            except OSError:
                data = b""
            self._handle(data)
        return self.starts.popleft()

    def poll(self):
        """What arrived so far, without waiting (ctx.cancelled())."""
        if POSIX:
            import select

            while select.select([CMD_FD], [], [], 0)[0]:
                try:
                    data = os.read(CMD_FD, 65536)
                except OSError:
                    data = b""
                self._handle(data)


_commands = Commands()


def main():
    target, init_name, base_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    for fd in (CMD_FD, MSG_FD):
        os.set_inheritable(fd, False)  # a task's subprocesses must not hold the supervisor's pipes
    start_capture()
    stage = "import"
    try:
        module, name = load(target, base_dir)
        fn = lookup(module, name, target.rpartition(":")[0])
        state = None
        if init_name:
            init = lookup(module, init_name, target.rpartition(":")[0])
            stage = "init"
            state = init()
    except BaseException as err:
        flush_output()
        send({"type": "loadError", "stage": stage, "error": plain_error(err)})
        os._exit(3)
    flush_output()
    host = Host(fn, state)
    send({"type": "ready", "pid": os.getpid(), "idle": idle()})
    while True:
        host.run(_commands.next_start())


if __name__ == "__main__":
    main()
