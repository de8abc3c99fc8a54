"""Requests that cannot be read, or whose framing is ambiguous, get an answer before the connection
closes: 400, 414, 431 or 501, never silence and never a guess."""

import socket

import pytest


def raw(server, data, timeout=5):
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
    return b"".join(chunks)


def status_of(answer):
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer[9:12])


CASES = [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
    (b"GET /healthz HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", 400),
    (b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
     b"hello", 400),
    (b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
     b"Content-Length: 3\r\n\r\n0\r\n\r\n", 400),
    (b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
     b"0\r\n\r\n", 501),
    (b"GET /healthz HTTP/1.1\r\n\r\n", 400),
    (b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(10_000))
     + b"\r\n", 431),
]


@pytest.mark.parametrize("data,status", CASES, ids=[f"case{i}-{c[1]}" for i, c in enumerate(CASES)])
def test_unreadable_requests_are_answered_then_closed(server, data, status):
    answer = raw(server, data)
    assert status_of(answer) == status, (data[:80], answer[:300])
    assert b"application/problem+json" in answer.split(b"\r\n\r\n", 1)[0]
    assert b"Connection: close" in answer or b"connection: close" in answer.lower()


def test_a_well_formed_http_1_0_request_needs_no_host(server):
    answer = raw(server, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 200") or answer.startswith(b"HTTP/1.1 200"), answer[:200]
