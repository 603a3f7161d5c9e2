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


async def queue():
    q = asyncio.Queue(maxsize=100)
    producers, consumers, n = 4, 4, 400_000

    async def produce():
        for i in range(n // producers):
            await q.put(i)

    async def consume():
        while True:
            await q.get()
            q.task_done()

    t0 = time.perf_counter()
    workers = [asyncio.create_task(consume()) for _ in range(consumers)]
    await asyncio.gather(*[produce() for _ in range(producers)])
    await q.join()
    elapsed = time.perf_counter() - t0
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return {"items": n / elapsed}


async def lock():
    mutex = asyncio.Lock()
    tasks, rounds = 100, 10_000

    async def contend():
        for _ in range(rounds):
            async with mutex:
                await asyncio.sleep(0)

    t0 = time.perf_counter()
    await asyncio.gather(*[contend() for _ in range(tasks)])
    return {"acquisitions": tasks * rounds / (time.perf_counter() - t0)}


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
