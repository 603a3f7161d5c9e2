"""Anchor for `weft bench pool`: multiprocessing.Pool with one worker per core.

prints one line: result map_tasks=... roundtrip_us=... speedup=...
The CPU-bound job is the one of PoolBench.java (primes by trial division, 8 equal chunks), sized so
that it takes about as long one after another as Java's larger job does.
"""
import multiprocessing
import os
import time

SQUARES = 1_000_000
ROUNDTRIPS = 2_000
MAP_ROUNDS = 3
PRIMES_BELOW = 600_000
CHUNKS = 8


def square(x):
    return x * x


def one():
    return 1


def count_primes(bounds):
    lo, hi = bounds
    count = 0
    for n in range(max(2, lo), hi):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


def chunks(n, k):
    return [(n * i // k, n * (i + 1) // k) for i in range(k)]


def main():
    cores = os.cpu_count()
    with multiprocessing.Pool(cores) as pool:
        items = list(range(SQUARES))
        maps = []
        for r in range(-MAP_ROUNDS, MAP_ROUNDS):  # the first rounds warm up, as PoolBench.java
            t0 = time.perf_counter()
            pool.map(square, items)
            if r >= 0:
                maps.append(SQUARES / (time.perf_counter() - t0))
        map_tasks = sorted(maps)[MAP_ROUNDS // 2]

        trips = []
        for i in range(ROUNDTRIPS * 2):
            s = time.perf_counter()
            pool.apply(one)
            if i >= ROUNDTRIPS:
                trips.append(time.perf_counter() - s)
        trips.sort()
        roundtrip_us = trips[ROUNDTRIPS // 2] * 1e6

        jobs = chunks(PRIMES_BELOW, CHUNKS)
        s0 = time.perf_counter()
        sequential = sum(count_primes(c) for c in jobs)
        seq = time.perf_counter() - s0
        p0 = time.perf_counter()
        parallel = sum(pool.map(count_primes, jobs, chunksize=1))
        par = time.perf_counter() - p0
        assert parallel == sequential, (parallel, sequential)
    print("result map_tasks=%s roundtrip_us=%s speedup=%s" % (map_tasks, roundtrip_us, seq / par), flush=True)


if __name__ == "__main__":
    main()
