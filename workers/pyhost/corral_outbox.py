"""The Python host's messages to the supervisor (fd 4), written in batches. Stdlib only, Python >= 3.8.

Every message is one JSON line. With a ring (fd 5: a file the supervisor made and unlinked, shared
with it through mmap) a message is first copied into the ring, which costs no system call; the
lines held there go to fd 4 in one write when the host is about to wait for input, when half of
its queued starts ran, or when the oldest has waited FLUSH_AFTER_S (a flusher thread sees to that
while a long task runs). If the host dies (os._exit, a segfault, SIGKILL, the OOM killer) before
a write, the supervisor reads what the ring still holds: a begun task's begin and the results of
the tasks before it are never lost.

Ring layout: 8 bytes little-endian header, (first message's number << 32) | bytes used, stored in
one 8-byte write after each message is complete; then the messages, one per line. The supervisor
counts the messages it read on fd 4 and takes from the ring those numbered from that count on.
Without a ring (Windows, or fd 5 not given) a message is written at once unless held, and a held
one leaves with the next message that is not.
"""
import os
import struct
import threading
import time

MSG_FD, RING_FD = 4, 5
FLUSH_AFTER_S = 0.002  # the longest a message waits in the ring while the host works
FLUSH_BYTES = 1 << 16  # a write of at most about a pipe's buffer
_HEADER = struct.Struct("<Q")


class Outbox:
    def __init__(self, exit_fn):
        self._lock = threading.Lock()
        self._exit = exit_fn
        self._held = []  # without a ring: encoded lines waiting for the next write
        self._ring = None
        self._used = 8  # ring offset of the next message
        self._first = 0  # number of the ring's first message
        self._count = 0  # messages in the ring
        self._since = 0.0  # when the ring's first message came (monotonic)
        self._wake = threading.Event()
        self.forked = False  # in a task's forked child (multiprocessing): it sends nothing
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def open_ring(self, fd=RING_FD):
        """Uses the supervisor's ring if fd is one (a regular file with room for FLUSH_BYTES); else
        writes directly. The supervisor wrote the file full of zeros: no page of it is missing."""
        try:
            import mmap
            import stat

            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size < 8 + FLUSH_BYTES:
                return False
            self._ring = mmap.mmap(fd, st.st_size)
            os.close(fd)  # the mapping keeps the file
        except (OSError, ValueError, ImportError):
            return False
        threading.Thread(target=self._flusher, name="corral-flush", daemon=True).start()
        return True

    def _forked(self):
        self.forked = True
        self._ring = None
        self._held = []
        self._lock = threading.Lock()

    def send(self, line, hold=False):
        """line: one message's JSON text (ASCII). Without a ring it is written now (with what was held)
        unless hold; with a ring it waits for the next flush, however short."""
        if self.forked:
            return
        data = line.encode("ascii") + b"\n"
        with self._lock:
            ring = self._ring
            if ring is None:
                self._held.append(data)
                if not hold:
                    self._write_held()
                return
            n = len(data)
            if self._count and self._used - 8 + n > FLUSH_BYTES:
                self._flush_ring()
            if n > FLUSH_BYTES:  # a large result: straight to fd 4 (the ring stays within its pages)
                self._write(data)
                self._first += 1
                _HEADER.pack_into(ring, 0, (self._first & 0xFFFFFFFF) << 32)
                return
            ring[self._used : self._used + n] = data
            self._used += n
            self._count += 1
            _HEADER.pack_into(ring, 0, (self._first & 0xFFFFFFFF) << 32 | self._used - 8)
            if self._count == 1:
                self._since = time.monotonic()
                self._wake.set()

    @property
    def held(self):
        """Messages waiting for a write."""
        return self._count if self._ring is not None else len(self._held)

    def flush(self):
        if self.forked:
            return
        with self._lock:
            if self._ring is None:
                self._write_held()
            elif self._count:
                self._flush_ring()

    def due(self):
        """A message has waited long enough (checked by the main thread at each task's end)."""
        return self._count and time.monotonic() - self._since >= FLUSH_AFTER_S

    def _write_held(self):
        if self._held:
            data = b"".join(self._held)
            del self._held[:]
            self._write(data)

    def _flush_ring(self):
        self._write(self._ring[8 : self._used])
        self._first += self._count
        self._count = 0
        self._used = 8
        _HEADER.pack_into(self._ring, 0, (self._first & 0xFFFFFFFF) << 32)

    def _write(self, data):
        view = memoryview(data)
        while view:
            try:
                n = os.write(MSG_FD, view)
            except InterruptedError:
                continue
            except OSError:
                self._exit(70)  # the supervisor is gone: nobody to report to
            view = view[n:]

    def _flusher(self):
        """Writes what waited FLUSH_AFTER_S while the main thread runs a task (it checks itself between tasks)."""
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    if not self._count:
                        break
                    wait = self._since + FLUSH_AFTER_S - time.monotonic()
                    if wait <= 0:
                        self._flush_ring()
                        break
                time.sleep(wait)
