"""Anchor for `weft bench fetch`: N GETs with aiohttp at a concurrency limit, on asyncio or uvloop.

usage: python3 fetch_client.py URL N CONCURRENCY asyncio|uvloop
prints one line: result requests=... wall_s=...
"""
import asyncio
import sys
import time

import aiohttp


async def fetch_all(session, url, n, concurrency):
    slots = asyncio.Semaphore(concurrency)

    async def one(i):
        async with slots:
            async with session.get("%s/api/%d" % (url, i)) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError("status %d" % r.status)

    await asyncio.gather(*[one(i) for i in range(n)])


async def main(url, n, concurrency):
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await fetch_all(session, url, min(n, 1000), concurrency)  # warm-up: connections and caches
        t0 = time.perf_counter()
        await fetch_all(session, url, n, concurrency)
        wall = time.perf_counter() - t0
    return {"requests": n / wall, "wall_s": wall}


if __name__ == "__main__":
    url, n, concurrency, loop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if loop == "uvloop":
        import uvloop
        uvloop.install()
    result = asyncio.run(main(url, n, concurrency))
    print("result " + " ".join("%s=%s" % kv for kv in result.items()), flush=True)
