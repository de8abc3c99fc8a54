"""Product images: multipart upload, content sniffing, serving under /media (INV-5)."""

import struct
import urllib.parse
import uuid
import zlib

from conftest import assert_problem, http_request


def png_bytes(width=2, height=2, rgb=(200, 30, 60)):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def multipart(filename, content_type, data, field="file"):
    boundary = "----depot" + uuid.uuid4().hex
    body = (f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload(api, sku, filename, content_type, data, field="file", key=None):
    body, ctype = multipart(filename, content_type, data, field)
    kw = {} if key is None else {"key": key}
    return api.post_raw(f"/api/v1/products/{urllib.parse.quote(sku)}/images", body, ctype, **kw)


def fetch(api, url):
    """GET an image URL (absolute or relative) without any key."""
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    assert path.startswith("/"), url
    return http_request(api.host, api.port, "GET", path)


def images_of(api, sku):
    r = api.get(f"/api/v1/products/{urllib.parse.quote(sku)}")
    assert r.status == 200, r
    return r.json["images"]


def test_png_upload_is_served_back_without_a_key(api):
    sku = api.create_product()
    png = png_bytes()
    r = upload(api, sku, "pixel.png", "image/png", png)
    assert r.status == 201, r
    img = r.json
    assert img["url"] and img["content_type"] == "image/png" and img["size"] == len(png), img

    got = fetch(api, img["url"])
    assert got.status == 200, got
    assert got.body == png
    assert got.headers.get("content-type", "").split(";")[0] == "image/png"
    assert got.headers.get("x-content-type-options") == "nosniff"
    assert got.headers.get("content-security-policy") == "default-src 'none'; sandbox"
    assert got.headers.get("content-disposition") == (
        'inline; filename="' + img["url"].rsplit("/", 1)[1] + '"')

    listed = images_of(api, sku)
    assert any(i["url"] == img["url"] and i["id"] == img["id"] for i in listed), listed


def test_two_uploads_get_distinct_urls(api):
    sku = api.create_product()
    r1 = upload(api, sku, "a.png", "image/png", png_bytes(1, 1))
    r2 = upload(api, sku, "b.png", "image/png", png_bytes(2, 1))
    assert r1.status == 201 and r2.status == 201, (r1, r2)
    assert r1.json["url"] != r2.json["url"]
    assert fetch(api, r1.json["url"]).body == png_bytes(1, 1)
    assert fetch(api, r2.json["url"]).body == png_bytes(2, 1)
    assert len(images_of(api, sku)) == 2


def test_text_file_is_415_and_changes_nothing(api):
    sku = api.create_product()
    r = upload(api, sku, "notes.txt", "text/plain", b"hello, this is not an image\n")
    assert_problem(r, 415)
    assert images_of(api, sku) == []


def test_text_labelled_as_png_is_415(api):
    sku = api.create_product()
    r = upload(api, sku, "fake.png", "image/png", b"hello, this is not an image\n")
    assert_problem(r, 415)
    assert images_of(api, sku) == []


def test_upload_for_unknown_or_foreign_product_is_404(server):
    a, b = server.a, server.b
    r = upload(a, "NO-SUCH-" + uuid.uuid4().hex[:8], "p.png", "image/png", png_bytes())
    assert_problem(r, 404)
    sku = a.create_product()
    r = upload(b, sku, "p.png", "image/png", png_bytes())
    assert_problem(r, 404)
    assert images_of(a, sku) == []


def test_upload_needs_a_key(server):
    a = server.a
    sku = a.create_product()
    body, ctype = multipart("p.png", "image/png", png_bytes())
    r = server.anon.post_raw(f"/api/v1/products/{sku}/images", body, ctype)
    assert_problem(r, 401)
    assert images_of(a, sku) == []


def test_unknown_media_is_404(api):
    r = http_request(api.host, api.port, "GET", "/media/" + uuid.uuid4().hex + ".png")
    assert r.status == 404, r
