# Python's multiprocessing contenders. Usage: pool.py MODE N WORKERS [DURATIONS_FILE TIMES_FILE]
#   imap1     Pool.imap_unordered(trivial, range(N), chunksize=1)
#   map       Pool.map(trivial, range(N))            (default chunksize)
#   joblib    joblib.Parallel(n_jobs=WORKERS)(delayed(trivial)(i) for i in range(N))   (batch_size auto)
#   busy-map  Pool.map(busy, durations)              (default chunksize; each busy-loops its ms of CPU)
#             writes each task's wall start and end (epoch s) to TIMES_FILE, like a joblog
# With BENCH_CPU_FILE set, the CPU time (s) of this process and the children it reaped (Pool's
# workers; not joblib's, which outlive it) goes there as JSON at the end.
import json
import os
import resource
import sys
import time
from multiprocessing import Pool


def trivial(x):
    return x * 2


def busy(ms):
    # Spin until this process has used `ms` of CPU time (not wall time), like the other contenders.
    start = time.time()
    end = time.process_time() + ms / 1000
    while time.process_time() < end:
        pass
    return (start, time.time())


def report_cpu():
    file = os.environ.get('BENCH_CPU_FILE')
    if file:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(file, 'w') as f:
            json.dump({'user': own.ru_utime + kids.ru_utime, 'system': own.ru_stime + kids.ru_stime}, f)


def main():
    mode, n, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == 'joblib':
        from joblib import Parallel, delayed

        Parallel(n_jobs=workers)(delayed(trivial)(i) for i in range(n))
        return
    with Pool(workers) as pool:
        if mode == 'imap1':
            for _ in pool.imap_unordered(trivial, range(n), chunksize=1):
                pass
        elif mode == 'map':
            pool.map(trivial, range(n))
        elif mode == 'busy-map':
            with open(sys.argv[4]) as f:
                durations = [int(line) for line in f if line.strip()]
            times = pool.map(busy, durations)
            with open(sys.argv[5], 'w') as f:
                f.writelines(f'{a}\t{b - a}\n' for a, b in times)
        else:
            sys.exit('pool.py: unknown mode ' + mode)


if __name__ == '__main__':
    main()
    report_cpu()
