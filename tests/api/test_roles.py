"""Every documented operation against every role: a role lacking the operation's permission gets
403 before its request is read, and a role holding it never does (SEC-2). The permissions and the
role table are read from the API document, which a C++ test holds to the code."""

import json

import pytest

from conftest import Client, REPO

ROLES = ("owner", "operator", "service", "viewer")


@pytest.fixture(scope="module")
def document():
    return json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clients(server):
    # The keys were made before the server started (Server.setup_data): a key created beside a
    # running server can collide with the server's ids, which is not what this test is about.
    return {role: Client("127.0.0.1", None, server.keys[f"alpha-{role}"], server)
            for role in ROLES}


def streams(op):
    """Whether the operation answers a stream that stays open (the alert stream): its roles are
    checked by test_alert_stream.py, where the stream is read the way it is meant to be."""
    ok = op.get("responses", {}).get("200", {})
    return "text/event-stream" in ok.get("content", {})


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "x-depot-permission" in op and not streams(op):
                yield method.upper(), path, op["x-depot-permission"]


def concrete(path):
    return (path.replace("{id}", "999999999").replace("{sku}", "NO-SUCH-SKU")
            .replace("{code}", "main").replace("{name}", "x"))


def test_every_operation_against_every_role(server, document, clients):
    roles = document["info"]["x-depot-roles"]
    checked = 0
    for method, path, permission in operations(document):
        for role in ROLES:
            client = clients[role]
            # A body that no handler accepts: an allowed role gets its 4xx about the body or the
            # missing resource, a refused role its 403 first.
            r = client.request(method, concrete(path), {"no_such_field": True})
            allowed = permission in roles[role]
            assert (r.status == 403) != allowed, (role, method, path, permission, r)
            assert r.status < 500, (role, method, path, r)
            checked += 1
    assert checked >= 4 * 40
