"""A loopback stand-in for the aggregator's electronic-waybill API (Kuaidi100 /label/order).

Like the real service it checks the request's signature (upper-case hex MD5 of
param + t + key + secret), the fields a waybill needs, and answers each parcel's `orderId` with
one tracking number: a repeated orderId gets the number it got before, so a retry never buys a
second waybill. Labels come back as base64 PNG images. `method=cancel` gives a waybill back.
"""

import base64
import hashlib
import json
import struct
import threading
import urllib.parse
import zlib

from provider_receivers import HttpReceiver


def png(width=300, height=450):
    """A small black-and-white PNG: a frame and stripes, like a label's layout."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type none
        for x in range(width):
            edge = x < 4 or y < 4 or x >= width - 4 or y >= height - 4
            stripe = 60 <= y < 140 and (x // 6) % 2 == 0
            row.append(0 if edge or stripe else 255)
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


LABEL_PNG = png()


class WaybillReceiver(HttpReceiver):
    def __init__(self, key, secret):
        super().__init__()
        self.key = key
        self.secret = secret
        self.requests = []  # every order request that passed the checks: its param
        self.issued = {}  # orderId -> tracking number
        self.cancelled = []  # tracking numbers given back
        self.refused = []  # (reason, form) of requests refused
        self._numbers = iter(range(10**12, 10**13))
        self._issue_lock = threading.Lock()

    def sign_of(self, param, t):
        return hashlib.md5((param + t + self.key + self.secret).encode("utf-8")).hexdigest().upper()

    def order_ids(self):
        with self.lock:
            return [p["orderId"] for p in self.requests]

    def handle(self, method, path, headers, body):
        url = urllib.parse.urlsplit(path)
        if method != "POST" or url.path != "/label/order":
            return 404, {"success": False, "code": 404, "message": "no such API"}, {}
        what = urllib.parse.parse_qs(url.query).get("method", [""])[0]
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8")).items()}
        if self.mode == "hang":
            self._hold()
        with self.lock:
            mode = self.mode
        if mode == "down":
            return 503, {"success": False, "code": 503, "message": "busy"}, {}
        for field in ("param", "key", "t", "sign"):
            if field not in form:
                return self._refuse(f"missing {field}", form)
        if form["key"] != self.key or form["sign"] != self.sign_of(form["param"], form["t"]):
            return self._refuse("bad sign", form)
        param = json.loads(form["param"])
        if what == "cancel":
            for field in ("kuaidicom", "kuaidinum", "partnerId"):
                if not param.get(field):
                    return self._refuse(f"cancel without {field}", form)
            with self.lock:
                self.cancelled.append(param["kuaidinum"])
            return 200, {"success": True, "code": 200, "message": "success"}, {}
        if what != "order":
            return self._refuse(f"unknown method {what}", form)
        for field in ("kuaidicom", "partnerId", "orderId", "cargo", "count"):
            if param.get(field) in (None, ""):
                return self._refuse(f"missing {field}", form)
        for person in ("recMan", "sendMan"):
            for field in ("name", "mobile", "printAddr"):
                if not (param.get(person) or {}).get(field):
                    return self._refuse(f"missing {person}.{field}", form)
        if mode == "refuse":
            return 200, {"success": False, "code": 30002, "message": "收件地址不在服务范围"}, {}
        with self._issue_lock:
            with self.lock:
                self.requests.append(param)
                number = self.issued.get(param["orderId"])
                if number is None:
                    number = f"SF{next(self._numbers)}"
                    self.issued[param["orderId"]] = number
        data = {"taskId": f"task-{param['orderId']}", "kuaidinum": number,
                "kdComOrderNum": f"K{number}",
                "imgBase64": base64.b64encode(LABEL_PNG).decode("ascii")}
        return 200, {"success": True, "code": 200, "message": "success", "data": data}, {}

    def _refuse(self, reason, form):
        with self.lock:
            self.refused.append((reason, form))
        return 200, {"success": False, "code": 10001, "message": reason}, {}
