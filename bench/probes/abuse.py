#!/usr/bin/env python3
"""One abusive address against a running Parley server, beside a legitimate user elsewhere.

    bench/probes/abuse.py --tcp 127.0.0.1:12345 --http 127.0.0.1:8080 [--seconds 20]

Measures, from loopback addresses of its own (127.0.0.2 the attacker, 127.0.0.9 the legitimate user):
password guesses a second the server checks (and refuses as rate_limited) while 200 connections guess
one account, a legitimate login's time meanwhile, accounts registered a second from one address,
connections one address may hold, and whether a WebSocket handshake from a foreign page is refused.
Prints one JSON object. Needs a fresh server (it registers 'victim' and many 'farm…' names).
"""
import argparse, asyncio, json, socket, statistics, time

ATTACKER, LEGIT = "127.0.0.2", "127.0.0.9"


async def connect(host, port, source):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, port))
    return await asyncio.open_connection(sock=sock, limit=1 << 20)


async def request(reader, writer, frame):
    writer.write((json.dumps(frame) + "\n").encode())
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return None
        reply = json.loads(line)
        if reply.get("id") == frame.get("id"):
            return reply


async def register(host, port, name, source):
    reader, writer = await connect(host, port, source)
    try:
        hello = await request(reader, writer, {"type": "hello", "id": "h", "user": name})
        if not hello or hello.get("type") != "welcome":
            return hello.get("code") if hello else "closed"
        reply = await request(reader, writer, {"type": "register", "id": "r", "password": "correct horse"})
        return (reply or {}).get("type") == "registered" or (reply or {}).get("code")
    finally:
        writer.close()


async def guesser(host, port, stop, counts):
    try:
        reader, writer = await connect(host, port, ATTACKER)
    except OSError:
        counts["refused_connections"] = counts.get("refused_connections", 0) + 1
        return
    i = 0
    while not stop.is_set():
        i += 1
        reply = await request(reader, writer, {"type": "hello", "id": str(i), "user": "victim", "password": f"guess{i}"})
        if reply is None:
            counts["closed"] = counts.get("closed", 0) + 1
            return
        code = reply.get("code", reply.get("type"))
        counts[code] = counts.get(code, 0) + 1
        if code == "rate_limited":
            await asyncio.sleep(min(reply.get("retryAfterMs", 1000), 5000) / 1000)
    writer.close()


async def legit_logins(host, port, stop, times):
    while not stop.is_set():
        started = time.monotonic()
        reader, writer = await connect(host, port, LEGIT)
        reply = await request(reader, writer, {"type": "hello", "id": "h", "user": "victim", "password": "correct horse"})
        if reply and reply.get("type") == "welcome":
            times.append(time.monotonic() - started)
        writer.write(b'{"type":"quit"}\n')
        await writer.drain()
        await reader.read()
        writer.close()
        await asyncio.sleep(1)


async def guessing(host, port, seconds):
    counts, times, stop = {}, [], asyncio.Event()
    tasks = [asyncio.create_task(guesser(host, port, stop, counts)) for _ in range(200)]
    legit = asyncio.create_task(legit_logins(host, port, stop, times))
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.wait(tasks + [legit], timeout=60)
    return {
        "guesses_checked_per_second": round(counts.get("auth_failed", 0) / seconds, 1),
        "guesses_refused_per_second": round(counts.get("rate_limited", 0) / seconds, 1),
        "legit_logins": len(times),
        "legit_login_seconds_median": round(statistics.median(times), 3) if times else None,
        "legit_login_seconds_max": round(max(times), 3) if times else None,
        "guesser_connections_refused": counts.get("refused_connections", 0) + counts.get("closed", 0),
    }


async def farming(host, port, seconds):
    registered, refused, i = 0, 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        i += 1
        try:
            outcome = await register(host, port, f"farm{i}", ATTACKER)
        except OSError:
            outcome = "refused"
        if outcome is True:
            registered += 1
        else:
            refused += 1
            await asyncio.sleep(0.05)
    # The count itself, not a rate per hour: an hourly allowance spent in the first seconds would extrapolate absurdly.
    return {"accounts_registered": registered, "registrations_refused": refused}


async def holding(host, port, count):
    held, refused, streams = 0, 0, []
    for i in range(count):
        try:
            reader, writer = await connect(host, port, "127.0.0.3")
            reply = await request(reader, writer, {"type": "hello", "id": "h", "user": f"holder{i}"})
            if reply and reply.get("type") == "welcome":
                held += 1
                streams.append(writer)
            else:
                refused += 1
                writer.close()
        except OSError:
            refused += 1
        if i % 50 == 49:
            await asyncio.sleep(2.6)  # under the churn limit: this counts what may be held, not how fast
    for writer in streams:
        writer.close()
    return {"connections_held_by_one_address": held, "connections_refused": refused}


def foreign_origin(http_host, http_port):
    with socket.create_connection((http_host, http_port)) as sock:
        sock.sendall((f"GET /ws HTTP/1.1\r\nHost: {http_host}:{http_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n").encode())
        return {"foreign_origin_status": int(sock.recv(64).split()[1])}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tcp", required=True)
    parser.add_argument("--http", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--hold", type=int, default=1000)
    args = parser.parse_args()
    host, port = args.tcp.split(":")
    http_host, http_port = args.http.split(":")
    port, http_port = int(port), int(http_port)
    await register(host, port, "victim", "127.0.0.8")
    result = {}
    result.update(await guessing(host, port, args.seconds))
    result.update(await farming(host, port, args.seconds))
    result.update(await holding(host, port, args.hold))
    result.update(foreign_origin(http_host, http_port))
    print(json.dumps(result))


asyncio.run(main())
