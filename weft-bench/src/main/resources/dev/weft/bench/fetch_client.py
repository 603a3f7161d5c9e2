"""Anchor for `weft bench fetch`: N GETs with aiohttp at a concurrency limit, on asyncio or uvloop.

usage: python3 fetch_client.py URL asyncio|uvloop --requests N --concurrency C --rounds R
(the sizes come from Sizes.java, the one place they are set)
prints one line: result requests=... wall_s=... first_wall_s=...
(first_wall_s: the first round; requests and wall_s: the median of the last three, as FetchBench)
"""
import argparse
import asyncio
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


async def main(url, n, concurrency, rounds):
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    walls = []
    async with aiohttp.ClientSession(connector=connector) as session:
        await fetch_all(session, url, min(n, 1000), concurrency)  # connections
        for _ in range(rounds):
            t0 = time.perf_counter()
            await fetch_all(session, url, n, concurrency)
            walls.append(time.perf_counter() - t0)
    wall = sorted(walls[-3:])[1]
    return {"requests": n / wall, "wall_s": wall, "first_wall_s": walls[0]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="aiohttp anchor of weft bench fetch")
    parser.add_argument("url")
    parser.add_argument("loop", choices=["asyncio", "uvloop"])
    for size in ("requests", "concurrency", "rounds"):
        parser.add_argument("--" + size, type=int, required=True)
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3 (the median of the last three is kept)")
    if args.loop == "uvloop":
        import uvloop
        uvloop.install()
    result = asyncio.run(main(args.url, args.requests, args.concurrency, args.rounds))
    print("result " + " ".join("%s=%s" % kv for kv in result.items()), flush=True)
