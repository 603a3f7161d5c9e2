"""Anchors for `weft bench`: the same workloads on CPython asyncio or uvloop.

usage: python3 loop_bench.py WORKLOAD asyncio|uvloop
prints one line: result key=value ...
"""
import asyncio
import resource
import sys
import time


async def switch():
    async def worker():
        for _ in range(10_000):
            await asyncio.sleep(0)
    t0 = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(100)])
    return {"switches": 100 * 10_000 / (time.perf_counter() - t0)}


async def spawn():
    async def noop():
        return None
    n = 1_000_000
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(noop()) for _ in range(n)]
    for t in tasks:
        await t
    return {"tasks": n / (time.perf_counter() - t0)}


async def sleepers():
    n = 1_000_000
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(asyncio.sleep(1)) for _ in range(n)]
    for t in tasks:
        await t
    return {"wall_s": time.perf_counter() - t0}


def main():
    workload, loop = sys.argv[1], sys.argv[2]
    if loop == "uvloop":
        import uvloop
        uvloop.install()
    result = asyncio.run(globals()[workload]())
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("result " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
