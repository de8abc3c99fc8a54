"""Address check against an Amap-protocol geocoder (SHP-1), with a loopback receiver that checks
what Amap would check (path, key, address) and answers in Amap's shape."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import assert_problem, free_port

KEY = "amap-test-key"

# detail substring -> (adcode, formatted_address), or None for "not found".
PLACES = {
    "世纪大道": ("310115", "上海市浦东新区世纪大道"),
    "漕溪北路": ("310104", "上海市徐汇区漕溪北路"),
    "无此路": None,
}


class Amap(BaseHTTPRequestHandler):
    requests = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        Amap.requests.append(query)
        if url.path != "/v3/geocode/geo":
            return self.answer(404, {"status": "0", "info": "NOT_FOUND"})
        if query.get("key") != [KEY]:
            return self.answer(200, {"status": "0", "info": "INVALID_USER_KEY",
                                     "infocode": "10001"})
        address = query.get("address", [""])[0]
        if not address:
            return self.answer(200, {"status": "0", "info": "INVALID_PARAMS",
                                     "infocode": "20000"})
        for needle, place in PLACES.items():
            if needle in address:
                if place is None:
                    break
                adcode, formatted = place
                return self.answer(200, {
                    "status": "1", "info": "OK", "infocode": "10000", "count": "1",
                    "geocodes": [{"formatted_address": formatted, "country": "中国",
                                  "province": "上海市", "city": "上海市", "district": [],
                                  "adcode": adcode, "location": "121.5,31.2",
                                  "level": "道路"}]})
        return self.answer(200, {"status": "1", "info": "OK", "infocode": "10000",
                                 "count": "0", "geocodes": []})

    def answer(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def amap():
    port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Amap)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", httpd
    httpd.shutdown()
    httpd.server_close()


def shanghai(detail):
    return {"province": "上海市", "city": "上海市", "district": "浦东新区", "detail": detail}


def paid_status(api, sku, detail):
    order = api.order_ok(sku, 1, shipping_address=shanghai(detail))
    paid = api.pay(order["id"], order["total"]).json
    return paid["status"], [r["code"] for r in paid["hold_reasons"]], order["id"]


def test_geocoder_configuration_never_echoes_the_key(api, amap):
    url, _ = amap
    assert_problem(api.request("PUT", "/api/v1/geocoder", {"url": "ftp://x", "key": KEY}), 422,
                   "url")
    r = api.request("PUT", "/api/v1/geocoder", {"url": url, "key": KEY})
    assert r.status == 200, r
    assert r.json == {"configured": True, "url": url, "key_set": True}
    assert KEY not in api.get("/api/v1/geocoder").body.decode()


def test_addresses_the_geocoder_cannot_place_are_held(api, amap):
    url, _ = amap
    assert api.request("PUT", "/api/v1/geocoder", {"url": url, "key": KEY}).status == 200
    sku = api.product_with_stock(20)
    assert paid_status(api, sku, "世纪大道 100 号")[:2] == ("awaiting_shipment", [])
    assert paid_status(api, sku, "无此路 1 号")[:2] == ("on_hold", ["address.not_found"])
    status, codes, order_id = paid_status(api, sku, "漕溪北路 1 号")
    assert (status, codes) == ("on_hold", ["address.geocode_mismatch"])
    assert any(q.get("key") == [KEY] and "漕溪北路" in q["address"][0] for q in Amap.requests)

    # Corrected to the district the geocoder finds, the order passes and is released by the edit.
    order = api.get_order(order_id)
    fixed = {"province": "上海市", "city": "上海市", "district": "徐汇区",
             "detail": "漕溪北路 1 号"}
    r = api.patch(f"/api/v1/orders/{order_id}", {"shipping_address": fixed},
                  headers={"If-Match": str(order["version"])})
    assert r.status == 200, r
    assert r.json["status"] == "awaiting_shipment", r.json["hold_reasons"]


def test_an_edit_to_an_address_the_geocoder_cannot_place_holds_the_order(api, amap):
    url, _ = amap
    assert api.request("PUT", "/api/v1/geocoder", {"url": url, "key": KEY}).status == 200
    sku = api.product_with_stock(20)
    status, _, order_id = paid_status(api, sku, "世纪大道 300 号")
    assert status == "awaiting_shipment"
    order = api.get_order(order_id)
    r = api.patch(f"/api/v1/orders/{order_id}", {"shipping_address": shanghai("无此路 3 号")},
                  headers={"If-Match": str(order["version"])})
    assert r.status == 200, r
    assert (r.json["status"], [h["code"] for h in r.json["hold_reasons"]]) == (
        "on_hold", ["address.not_found"])
    assert any("无此路 3 号" in q.get("address", [""])[0] for q in Amap.requests)


def test_answers_are_cached_per_address(api, amap):
    url, _ = amap
    assert api.request("PUT", "/api/v1/geocoder", {"url": url, "key": KEY}).status == 200
    sku = api.product_with_stock(20)
    paid_status(api, sku, "世纪大道 200 号")
    asked = len(Amap.requests)
    paid_status(api, sku, "世纪大道 200 号")
    assert len(Amap.requests) == asked


def test_a_geocoder_that_is_down_or_refuses_the_key_never_holds(api, amap):
    sku = api.product_with_stock(20)
    assert api.request("PUT", "/api/v1/geocoder",
                       {"url": f"http://127.0.0.1:{free_port()}", "key": KEY}).status == 200
    assert paid_status(api, sku, "无此路 2 号")[:2] == ("awaiting_shipment", [])
    url, _ = amap
    assert api.request("PUT", "/api/v1/geocoder", {"url": url, "key": "wrong"}).status == 200
    assert paid_status(api, sku, "无此路 3 号")[:2] == ("awaiting_shipment", [])
    # The offline division check still runs.
    order = api.order_ok(sku, 1, shipping_address={**shanghai("x 路"), "district": "朝阳区"})
    held = api.pay(order["id"], order["total"]).json
    assert [r["code"] for r in held["hold_reasons"]] == ["address.district_not_in_city"]
    assert api.request("DELETE", "/api/v1/geocoder").status == 204
    assert api.get("/api/v1/geocoder").json["configured"] is False
