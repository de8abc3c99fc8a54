"""Slow, stuck and too many clients: each costs only its own connection. A header that trickles in,
a body that trickles in and a kept-alive connection left idle are cut off at their deadlines while
other clients are answered at once; past the connection cap a new connection is answered 503."""

import socket
import threading
import time

from conftest import http_request

HEADER_TIMEOUT = 2
BODY_TIMEOUT = 3
IDLE_TIMEOUT = 2
MAX_CONNECTIONS = 6

SERVE_ARGS = ["--header-timeout-seconds", str(HEADER_TIMEOUT),
              "--body-timeout-seconds", str(BODY_TIMEOUT),
              "--idle-timeout-seconds", str(IDLE_TIMEOUT),
              "--max-connections", str(MAX_CONNECTIONS)]


def connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def closed_by_server(sock):
    """True once the server has closed the connection (EOF or reset), reading what is left."""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def dribble(sock, data, every, stop_when_closed):
    """Sends `data` a byte at a time, `every` seconds apart; the time it was cut off, or None."""
    started = time.monotonic()
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started
        time.sleep(every)
        if stop_when_closed():
            return time.monotonic() - started
    return None


def healthz_takes(server):
    started = time.monotonic()
    r = http_request("127.0.0.1", server.port, "GET", "/healthz", timeout=5)
    assert r.status == 200, r
    return time.monotonic() - started


def test_a_header_sent_a_byte_at_a_time_is_cut_off_while_others_are_answered(server):
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 200 + b"\r\n\r\n"
    with connect(server) as slow:
        slow.settimeout(0.01)
        cut = {}

        def run():
            cut["after"] = dribble(slow, request, 0.25, lambda: peer_closed(slow))

        sender = threading.Thread(target=run)
        sender.start()
        # Meanwhile the server answers others at once.
        waits = []
        while sender.is_alive() and len(waits) < 8:
            waits.append(healthz_takes(server))
            time.sleep(0.2)
        sender.join(timeout=30)
        assert cut.get("after") is not None, "the slow header was never cut off"
        assert HEADER_TIMEOUT - 0.5 <= cut["after"] <= HEADER_TIMEOUT + 3, cut
        assert waits and max(waits) < 1.5, waits  # a starved server would wait out the 2 s


def peer_closed(sock):
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (BlockingIOError, socket.timeout):
        return False
    except ConnectionResetError:
        return True


def test_a_body_that_trickles_in_is_cut_off_at_the_body_deadline(server):
    header = (b"POST /api/v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Authorization: Bearer " + server.keys["alpha"].encode() +
              b"\r\nContent-Length: 1000\r\n\r\n")
    with connect(server) as slow:
        slow.sendall(header)
        slow.settimeout(0.01)
        # A byte every 0.3 s never lets a per-read timer fire: only the whole body's deadline can.
        after = dribble(slow, b"{" + b" " * 998 + b"}", 0.3, lambda: peer_closed(slow))
        assert after is not None, "the slow body was never cut off"
        assert BODY_TIMEOUT - 0.5 <= after <= BODY_TIMEOUT + 3, after


def test_an_idle_kept_alive_connection_is_closed_after_the_idle_time(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b"connection: close" not in answer.lower()
        started = time.monotonic()
        sock.settimeout(IDLE_TIMEOUT + 4)
        assert closed_by_server(sock), "the idle connection stayed open"
        assert IDLE_TIMEOUT - 0.5 <= time.monotonic() - started <= IDLE_TIMEOUT + 3


def test_a_kept_alive_connection_that_goes_on_asking_stays_open(server):
    with connect(server) as sock:
        sock.settimeout(5)
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            time.sleep(IDLE_TIMEOUT * 0.6)  # under the idle time each time, over it in all


def test_a_connection_that_sends_nothing_is_closed_after_the_header_time(server):
    with connect(server) as sock:
        started = time.monotonic()
        sock.settimeout(HEADER_TIMEOUT + 4)
        assert closed_by_server(sock)
        assert time.monotonic() - started <= HEADER_TIMEOUT + 3


def test_past_the_connection_cap_a_new_connection_is_answered_503_then_served_again(server):
    held = [connect(server) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.5)  # all accepted; well within the header time that would close them
        with connect(server) as extra:
            extra.settimeout(5)
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while True:
                chunk = extra.recv(65536)
                if not chunk:
                    break
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503"), answer[:300]
        assert b"connection: close" in head.lower()
        assert b"content-type: application/problem+json" in head.lower()
        assert b'"status":503' in body
    finally:
        for sock in held:
            sock.close()
    # Once they close, new connections are served again.
    deadline = time.monotonic() + 5
    while True:
        r = http_request("127.0.0.1", server.port, "GET", "/healthz", timeout=5)
        if r.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r.status == 200, r
