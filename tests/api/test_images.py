"""Product images: multipart upload, content sniffing, serving under /media (INV-5)."""

import base64
import struct
import urllib.parse
import uuid
import zlib

import pytest

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


# ---- Each format decoded whole (issue 13, item 5): a real image passes; its first bytes followed
# by HTML or script, or a damaged image, is refused with 422 naming the field, and nothing changes.

TINY_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAADAAQDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDf+CP/ACTzT/x/kKKKK7zhP//Z")
TINY_GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
TINY_WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
ANIMATED_WEBP = base64.b64decode(
    "UklGRlIAAABXRUJQVlA4WAoAAAASAAAAAAAAAAAAQU5JTQYAAAD/////AABBTk1GJgAAAAAAAAAAAAAAAAAAAGQAAABW"
    "UDhMDQAAAC8AAAAQBxAREYiI/gcA")
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"

GOOD = [("pixel.png", "image/png", png_bytes()), ("tiny.jpg", "image/jpeg", TINY_JPEG),
        ("dot.gif", "image/gif", TINY_GIF), ("dot.webp", "image/webp", TINY_WEBP),
        ("moving.webp", "image/webp", ANIMATED_WEBP)]


@pytest.mark.parametrize("name,ctype,data", GOOD, ids=[g[0] for g in GOOD])
def test_each_format_decoded_whole_is_accepted(api, name, ctype, data):
    sku = api.create_product()
    r = upload(api, sku, name, ctype, data)
    assert r.status == 201, r
    assert r.json["content_type"] == ctype and r.json["size"] == len(data), r.json
    assert fetch(api, r.json["url"]).body == data


HOSTILE = [
    ("gif-header", b"GIF89a" + SCRIPT),
    ("gif-screen-then-html", TINY_GIF[:13] + SCRIPT),
    ("png-signature", b"\x89PNG\r\n\x1a\n" + SCRIPT),
    ("png-header-then-html", png_bytes()[:33] + SCRIPT),
    ("png-then-html", png_bytes() + SCRIPT),
    ("png-bad-crc", png_bytes()[:-5] + b"\x00\x00\x00\x00\x00"),
    ("jpeg-soi", b"\xff\xd8\xff" + SCRIPT),
    ("jpeg-header-then-html", TINY_JPEG[:300] + SCRIPT),
    ("jpeg-cut-short", TINY_JPEG[:-40]),
    ("webp-riff", b"RIFF\x40\x00\x00\x00WEBP" + SCRIPT),
    ("webp-header-then-html", TINY_WEBP[:20] + SCRIPT),
]


@pytest.mark.parametrize("name,data", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_an_image_header_followed_by_html_is_422_naming_file(api, name, data):
    sku = api.create_product()
    r = upload(api, sku, name, "image/png", data)
    assert_problem(r, 422, "file")
    assert images_of(api, sku) == []


def png_of_size(total):
    """A valid PNG of exactly `total` bytes: a small image padded by a private ancillary chunk."""
    base = png_bytes(4, 4)
    pad = total - len(base) - 12  # a chunk is length, type and CRC around its data
    data = b"\x00" * pad
    chunk = (struct.pack(">I", len(data)) + b"prVt" + data
             + struct.pack(">I", zlib.crc32(b"prVt" + data) & 0xFFFFFFFF))
    iend = 12
    return base[:-iend] + chunk + base[-iend:]


def test_an_image_of_exactly_1_mib_is_accepted_though_its_envelope_is_larger(api):
    sku = api.create_product()
    image = png_of_size(1 << 20)
    assert len(image) == 1 << 20
    r = upload(api, sku, "big.png", "image/png", image)
    assert r.status == 201, r
    assert r.json["size"] == 1 << 20


def test_an_image_one_byte_over_1_mib_is_413_naming_file(api):
    sku = api.create_product()
    r = upload(api, sku, "big.png", "image/png", png_of_size((1 << 20) + 1))
    assert_problem(r, 413, "file")
    assert images_of(api, sku) == []


def test_other_routes_keep_the_1_mib_body_limit(api):
    r = api.post_raw("/api/v1/products", b'{"sku": "' + b"x" * ((1 << 20) + 10) + b'"}')
    assert_problem(r, 413)
