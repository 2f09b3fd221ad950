#!/usr/bin/env python3
"""How long `rooms` takes once many rooms were made: one connection joins N rooms, says one line in
each and leaves it, then asks `rooms` 20 times.

    bench/probes/rooms_listing.py --tcp 127.0.0.1:12345 [--rooms 50000]

Start the server with --Parley:Limits:Disabled=true (20 joins a second per connection otherwise).
Prints one JSON object: rooms listed, median and slowest answer in milliseconds.
"""
import argparse, asyncio, json, statistics, time

BATCH = 500


async def main(host, port, count):
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 24)

    def send(frame):
        writer.write((json.dumps(frame) + "\n").encode())

    async def request(frame):
        send(frame)
        await writer.drain()
        while True:
            reply = json.loads(await reader.readline())
            if reply.get("id") == frame["id"]:
                return reply

    await request({"type": "hello", "id": "h", "user": "maker"})
    for start in range(0, count, BATCH):
        for i in range(start, min(count, start + BATCH)):
            send({"type": "join", "id": f"j{i}", "room": f"#r{i}"})
            send({"type": "send", "id": f"s{i}", "to": f"#r{i}", "text": "x"})
            send({"type": "leave", "id": f"l{i}", "room": f"#r{i}"})
        # answered in order: when this one comes back, the batch before it is done
        await request({"type": "leave", "id": f"sync{start}", "room": "#nowhere"})
    times = []
    for k in range(20):
        began = time.perf_counter()
        listing = await request({"type": "rooms", "id": f"q{k}"})
        times.append((time.perf_counter() - began) * 1000)
    print(json.dumps({"rooms_listed": len(listing.get("rooms", [])),
                      "median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}))
    writer.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcp", required=True)
    parser.add_argument("--rooms", type=int, default=50000)
    args = parser.parse_args()
    host, port = args.tcp.rsplit(":", 1)
    asyncio.run(main(host, int(port), args.rooms))
