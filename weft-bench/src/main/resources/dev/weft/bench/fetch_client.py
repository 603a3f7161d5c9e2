"""Anchor for `weft bench fetch`: rounds of N GETs with aiohttp at a concurrency limit, on asyncio or uvloop.

usage: python3 fetch_client.py URL asyncio|uvloop --requests N --concurrency C --latency_ms L --rounds R
(the sizes come from Sizes.java via FetchBench, the one place they are set; L goes in each URL's query,
for the mock API to answer after L ms, 0: at once)
prints one line: result requests=... wall_s=... first_wall_s=... cpu_s_per_10k=...
(first_wall_s: the first round; requests, wall_s and cpu_s_per_10k, this process's CPU time per 10,000
requests: the median of the last three, as FetchBench)
"""
import argparse
import asyncio
import time


async def fetch_all(session, url, query, n, concurrency):
    slots = asyncio.Semaphore(concurrency)

    async def one(i):
        async with slots:
            async with session.get("%s/api/%d%s" % (url, i, query)) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError("status %d" % r.status)

    await asyncio.gather(*[one(i) for i in range(n)])


def warm(rounds):
    return sorted(rounds[-3:])[1]


async def main(url, n, concurrency, latency_ms, rounds):
    import aiohttp  # here, not at the top: a usage error is reported even where aiohttp is missing

    query = "?latency_ms=%d" % latency_ms
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    walls, cpus = [], []
    async with aiohttp.ClientSession(connector=connector) as session:
        await fetch_all(session, url, query, min(n, 1000), concurrency)  # connections
        for _ in range(rounds):
            cpu0, t0 = time.process_time(), time.perf_counter()
            await fetch_all(session, url, query, n, concurrency)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - cpu0)
    return {"requests": n / warm(walls), "wall_s": warm(walls), "first_wall_s": walls[0],
            "cpu_s_per_10k": warm(cpus) / n * 10000}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="aiohttp anchor of weft bench fetch")
    parser.add_argument("url")
    parser.add_argument("loop", choices=["asyncio", "uvloop"])
    for size in ("requests", "concurrency", "latency_ms", "rounds"):
        parser.add_argument("--" + size, type=int, required=True)
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3 (the median of the last three is kept)")
    if args.loop == "uvloop":
        import uvloop
        uvloop.install()
    result = asyncio.run(main(args.url, args.requests, args.concurrency, args.latency_ms, args.rounds))
    print("result " + " ".join("%s=%s" % kv for kv in result.items()), flush=True)
