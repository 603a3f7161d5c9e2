"""Anchor for `weft bench echo`: an echo server on asyncio streams, on CPython's loop or uvloop.

usage: python3 echo_server.py asyncio|uvloop
(it takes no sizes: the load generator in Java sets them)
prints "ready port=N" once listening on 127.0.0.1, then echoes until killed.
"""
import argparse
import asyncio


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print("ready port=%d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="asyncio/uvloop echo server of weft bench echo")
    parser.add_argument("loop", choices=["asyncio", "uvloop"])
    if parser.parse_args().loop == "uvloop":
        import uvloop
        uvloop.install()
    asyncio.run(main())
