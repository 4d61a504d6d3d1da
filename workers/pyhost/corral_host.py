"""Corral's Python task host: one per pool slot, reused across tasks. Stdlib only, Python >= 3.8.

usage: corral_host.py TARGET INIT BASEDIR   (TARGET: /abs/file.py:func or pkg.mod:func; INIT: a name or "")

The supervisor writes JSON lines on fd 3 (start, recall, abort, shutdown) and reads JSON lines on
fd 4 (ready, begin, recalled, progress, heartbeat, log, result, error, loadError): the same messages
as the Node host (main/core/run/hostMessages.ts). A line from the supervisor holds one message or
an array of them: starts arrive in batches (prefetched: they wait here until begun). A task's
result leaves with the next task's begin, in one write made before the next task's code runs
(a host that then dies has told all it knew). fd 1 and 2 are pipes the host reads itself, so
whatever a task writes there (print, logging, C extensions) reaches the supervisor as that
task's log, in order; between tasks one poll() tells whether they hold anything.

Per task the host makes three system calls when nothing is printed: the poll, the write and a
clock read (CPU time: one read serves as one task's end and the next one's start when they run
back to back). RSS is a pread of /proc/self/statm after any task of 0.2 ms CPU or more, and at most once
a millisecond after shorter ones (which cannot touch much memory).
"""
import collections
import importlib
import importlib.util
import json
import json.encoder
import os
import sys
import threading
import time
import traceback

from corral_io import MSG_FD, RSS_CPU_S, RSS_EVERY_S, compact as _compact, exit_host as _exit, flush_messages, open_statm, rss_bytes, send, send_line
import corral_io

CMD_FD = 3
POSIX = os.name == "posix"
# Held while fd 1/2 are drained: a task's end drains them fully before its result is sent.
_capture_lock = threading.Lock()
_current = None  # the running Task, or None
_value_ascii = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode
_value_any = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_str_json = json.encoder.encode_basestring  # C, keeps non-ASCII as is


def value_json(value):
    """A result's JSON (non-ASCII kept: its size is what counts); ints and strings without the
    encoder's set-up, which costs more than encoding them."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is str:
        return _str_json(value)
    if value is None:
        return "null"
    return _value_any(value)


# ---- output capture -------------------------------------------------------------------------

_pipes = []  # (read fd, stream name)
_poller = None  # one poll() over fd 3 and the pipes: what a task's end needs to know


def start_capture():
    """Points fd 1 and 2 at pipes of our own; a thread forwards what arrives as log messages."""
    global _poller
    if not POSIX:
        return  # select() cannot wait on pipes there: output goes to the supervisor's pipes, untagged
    import fcntl
    import select

    _poller = select.poll()
    _poller.register(CMD_FD, select.POLLIN)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        r, w = os.pipe()
        os.dup2(w, fd)
        os.close(w)
        fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
        _pipes.append((r, name))
        _poller.register(r, select.POLLIN)
    for stream in (sys.stdout, sys.stderr):
        try:
            # print() reaches the dashboard as it happens, a line in one write (unbuffered, as
            # PYTHONUNBUFFERED makes it, the text and its newline are two: fd 2 could come between)
            stream.reconfigure(line_buffering=True, write_through=False)
        except Exception:
            pass

    def pump():
        fds = [r for r, _ in _pipes]
        while True:
            select.select(fds, [], [])
            with _capture_lock:
                drain()

    threading.Thread(target=pump, name="corral-capture", daemon=True).start()
    os.register_at_fork(after_in_child=_forked)


def _forked():
    """A task's forked child (multiprocessing) leaves the pipes to the host (it would read the
    task's output away) and gets its own lock (another thread may have held the host's)."""
    global _poller
    del _pipes[:]
    _poller = None
    corral_io.forked()


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


def flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def flush_output():
    flush_streams()
    with _capture_lock:
        drain()


def end_output():
    """At a task's end: its output is sent before its result. True if fd 3 has something to read."""
    flush_streams()
    if _poller is None:
        return False
    commands = False
    with _capture_lock:
        output = False
        for fd, _ in _poller.poll(0):
            if fd == CMD_FD:
                commands = True
            else:
                output = True
        if output:
            drain()
    return commands


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
        self.id = self.task_id = msg["taskId"]
        self.slot = msg["slot"]
        self.attempt = msg["attempt"]
        self.state = state
        aborted = _commands.aborted
        self._cancelled = bool(aborted) and self.id in aborted
        if self._cancelled:
            aborted.discard(self.id)

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
        self.rss = rss_bytes()
        self.rss_due = 0.0

    def run(self, msg, cpu0):
        """Runs one start; cpu0: the host's CPU time now. Returns its CPU time at the end, and
        whether fd 3 has something to read."""
        global _current
        task = Task(msg, self.state)
        tid = task.id
        _current = task
        # RSS as the last task left it: nothing ran since
        send_line('{"type":"begin","taskId":%d,"idle":{"cpuMs":%.3f,"rss":%d}}' % (tid, cpu0 * 1000.0, self.rss))
        try:
            value = self.fn(msg["input"], task) if self.with_ctx else self.fn(msg["input"])
            head = self.result(tid, value, msg["maxResultBytes"])
        except BaseException as err:  # SystemExit and KeyboardInterrupt fail the task, not the host
            head = _compact({"type": "error", "taskId": tid, "error": plain_error(err)})[:-1]
        commands = end_output()
        _current = None
        now = time.process_time()
        rss = self.rss = self.rss_after(now - cpu0)
        usage = ',"usage":{"cpuMs":%.3f,"rss":%d,"idle":{"cpuMs":%.3f,"rss":%d}}}' % ((now - cpu0) * 1000.0, rss, now * 1000.0, rss)
        send_line(head + usage, now=False)  # leaves with the next begin, or before the host waits
        return now, commands

    def rss_after(self, cpu):
        """The RSS after a task: read again after a task that used RSS_CPU_S of CPU or more, else
        at most once per RSS_EVERY_S (a task that short cannot touch much memory)."""
        now = time.monotonic()
        if cpu < RSS_CPU_S and now < self.rss_due:
            return self.rss
        self.rss_due = now + RSS_EVERY_S
        return rss_bytes()

    @staticmethod
    def result(tid, value, max_bytes):
        """The result message's JSON text without its usage and closing brace."""
        extra = ""
        try:
            text = value_json(value)
        except (TypeError, ValueError) as err:
            extra = ',"repr":' + _compact("%s: %s" % (type(err).__name__, err))
            value = repr(value)
            text = value_json(value)
        if text.isascii():
            size = len(text)
        else:
            size = len(text.encode("utf-8", "surrogatepass"))
            text = _value_ascii(value)
        if size > max_bytes:
            msg = "result too large: %d bytes > %d bytes (maxResultSize)" % (size, max_bytes)
            return _compact({"type": "error", "taskId": tid, "error": {"name": "ResultTooLarge", "message": msg, "byHost": True}})[:-1]
        return '{"type":"result","taskId":%d,"value":%s,"bytes":%d%s' % (tid, text, size, extra)


class Commands:
    """fd 3, read by the main thread only: no thread wake-up per task (each costs a scheduler round
    on a loaded machine). A running task sees an abort when it asks ctx.cancelled()."""

    def __init__(self):
        self.buf = b""
        self.starts = collections.deque()
        self.aborted = set()  # aborts for starts not begun yet

    def read(self):
        """One read of fd 3 (waits if nothing is there)."""
        try:
            data = os.read(CMD_FD, 1 << 16)
        except InterruptedError:
            return
        except OSError:
            data = b""
        if not data:
            flush_messages()
            _exit(0)  # the supervisor closed the pipe (or died): end with it
        lines = (self.buf + data).split(b"\n")
        self.buf = lines.pop()
        for line in lines:
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
            self.starts.clear()  # in place: serve() holds the deque
            self.starts.extend(kept)
            send({"type": "recalled", "taskIds": dropped})
        elif kind == "abort":
            task = _current
            if task is not None and task.id == msg["taskId"]:
                task._cancelled = True
            elif any(m["taskId"] == msg["taskId"] for m in self.starts):
                self.aborted.add(msg["taskId"])
        elif kind == "shutdown":
            flush_messages()
            _exit(0)

    def poll(self):
        """What arrived so far, without waiting (ctx.cancelled())."""
        if POSIX:
            import select

            while select.select([CMD_FD], [], [], 0)[0]:
                self.read()


_commands = Commands()


def serve(host):
    """Runs starts as they come; the last result leaves before the host waits for more."""
    starts = _commands.starts
    cpu = None
    while True:
        if not starts:
            flush_messages()
            while not starts:
                _commands.read()
            cpu = None
        cpu, commands = host.run(starts.popleft(), time.process_time() if cpu is None else cpu)
        corral_io.tasks_run += 1
        if commands:
            _commands.read()  # a recall drops its starts before one begins


def main():
    target, init_name, base_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    for fd in (CMD_FD, MSG_FD):
        os.set_inheritable(fd, False)  # a task's subprocesses must not hold the supervisor's pipes
    open_statm()
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
        _exit(3)
    flush_output()
    host = Host(fn, state)
    send({"type": "ready", "pid": os.getpid(), "idle": {"cpuMs": time.process_time() * 1000.0, "rss": host.rss}})
    serve(host)


if __name__ == "__main__":
    if os.environ.get("CORRAL_PYHOST_STATS") and os.environ.get("CORRAL_PYHOST_CPROFILE") == "1":
        import cProfile

        corral_io.profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for input
        corral_io.profiler.enable()
    main()
