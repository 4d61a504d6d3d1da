"""The Python demo's tasks (see python_demo.yaml). The input "kind:arg" picks what a task does."""
import os
import time


def load_model():
    # Runs once per host before its first task: what it returns is every task's ctx.state,
    # like a model loaded once per worker (multiprocessing.Pool's initializer).
    time.sleep(0.5)
    return {"vowels": set("aeiouy"), "loaded_by": os.getpid()}


def count_primes(n, ctx):
    sieve = bytearray([1]) * (n + 1)
    sieve[0:2] = b"\x00\x00"
    i = 2
    while i * i <= n:
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(range(i * i, n + 1, i)))
        i += 1
    ctx.progress(0.2, "sieved")
    # Pure-Python counting on purpose: CPU-bound work the dashboard can show.
    total = 0
    step = 1_000_000
    for start in range(0, n + 1, step):
        for k in range(start, min(n + 1, start + step)):
            total += sieve[k]
        ctx.progress(0.2 + 0.8 * min(1.0, (start + step) / n))
    return total


def work(inp, ctx):
    kind, _, arg = inp.partition(":")
    if kind == "primes":
        n = int(arg)
        found = count_primes(n, ctx)
        print("primes below %d: %d" % (n, found))
        return {"n": n, "primes": found}
    if kind == "classify":
        vowels = sum(1 for c in arg if c in ctx.state["vowels"])
        ctx.log("classified %r with the model loaded by pid %d" % (arg, ctx.state["loaded_by"]))
        return {"word": arg, "vowels": vowels}
    if kind == "raise":
        raise ValueError(arg)
    if kind == "crash":
        print("about to call os._exit(3)", flush=True)
        os._exit(3)
    raise KeyError(kind)
