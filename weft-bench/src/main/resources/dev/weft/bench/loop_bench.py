"""Anchors for `weft bench`: the same workloads on CPython asyncio or uvloop.

usage: python3 loop_bench.py WORKLOAD asyncio|uvloop --SIZE VALUE ...
The sizes come from Sizes.java (the one place they are set); each workload requires its own.
prints one line: result key=value ...
"""
import argparse
import asyncio
import resource
import time


async def switch(tasks, yields):
    async def worker():
        for _ in range(yields):
            await asyncio.sleep(0)
    t0 = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(tasks)])
    return {"switches": tasks * yields / (time.perf_counter() - t0)}


async def spawn(tasks):
    async def noop():
        return True
    t0 = time.perf_counter()
    created = [asyncio.create_task(noop()) for _ in range(tasks)]
    for t in created:
        await t
    return {"tasks": tasks / (time.perf_counter() - t0)}


async def sleepers(tasks, sleep_ms):
    t0 = time.perf_counter()
    created = [asyncio.create_task(asyncio.sleep(sleep_ms / 1000)) for _ in range(tasks)]
    for t in created:
        await t
    return {"wall_s": time.perf_counter() - t0}


async def queue(capacity, producers, consumers, items):
    q = asyncio.Queue(maxsize=capacity)

    async def produce():
        for i in range(items // producers):
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
    return {"items": items / elapsed}


async def lock(tasks, rounds):
    mutex = asyncio.Lock()

    async def contend():
        for _ in range(rounds):
            async with mutex:
                await asyncio.sleep(0)

    t0 = time.perf_counter()
    await asyncio.gather(*[contend() for _ in range(tasks)])
    return {"acquisitions": tasks * rounds / (time.perf_counter() - t0)}


SIZES = {
    "switch": ["tasks", "yields"],
    "spawn": ["tasks"],
    "sleepers": ["tasks", "sleep_ms"],
    "queue": ["capacity", "producers", "consumers", "items"],
    "lock": ["tasks", "rounds"],
}


def arguments():
    parser = argparse.ArgumentParser(description="asyncio/uvloop anchors of weft bench")
    workloads = parser.add_subparsers(dest="workload", required=True)
    for name, sizes in SIZES.items():
        sub = workloads.add_parser(name)
        sub.add_argument("loop", choices=["asyncio", "uvloop"])
        for size in sizes:
            sub.add_argument("--" + size, type=int, required=True)
    return parser.parse_args()


def main():
    args = arguments()
    if args.loop == "uvloop":
        import uvloop
        uvloop.install()
    sizes = {size: getattr(args, size) for size in SIZES[args.workload]}
    result = asyncio.run(globals()[args.workload](**sizes))
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("result " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
