"""Anchor for `weft bench pool`: multiprocessing.Pool with one worker per core.

usage: python3 pool_bench.py --squares N --roundtrips N --map_rounds N --primes_below N --chunks N
(the sizes come from Sizes.java, the one place they are set)
prints one line: result map_tasks=... roundtrip_us=... speedup=...
The CPU-bound job is the one of PoolBench.java (primes by trial division, in equal chunks), sized so
that it takes about as long one after another as Java's larger job does.
"""
import argparse
import multiprocessing
import os
import time


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


def arguments():
    parser = argparse.ArgumentParser(description="multiprocessing anchor of weft bench pool")
    for size in ("squares", "roundtrips", "map_rounds", "primes_below", "chunks"):
        parser.add_argument("--" + size, type=int, required=True)
    return parser.parse_args()


def main():
    args = arguments()
    squares, roundtrips, map_rounds = args.squares, args.roundtrips, args.map_rounds
    cores = os.cpu_count()
    with multiprocessing.Pool(cores) as pool:
        items = list(range(squares))
        maps = []
        for r in range(-map_rounds, map_rounds):  # the first rounds warm up, as PoolBench.java
            t0 = time.perf_counter()
            pool.map(square, items)
            if r >= 0:
                maps.append(squares / (time.perf_counter() - t0))
        map_tasks = sorted(maps)[map_rounds // 2]

        trips = []
        for i in range(roundtrips * 2):
            s = time.perf_counter()
            pool.apply(one)
            if i >= roundtrips:
                trips.append(time.perf_counter() - s)
        trips.sort()
        roundtrip_us = trips[roundtrips // 2] * 1e6

        jobs = chunks(args.primes_below, args.chunks)
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
