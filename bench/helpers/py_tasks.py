"""Python functions the Python-task benchmark (bench/python.mjs) runs in Corral, the same as pool.py's."""
import time


def trivial(x):
    return int(x) * 2


def busy(ms):
    # Spin until this process has used `ms` of CPU time (not wall time), like pool.py's busy.
    end = time.process_time() + int(ms) / 1000
    while time.process_time() < end:
        pass
    return None
