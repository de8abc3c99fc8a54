"""Hostile requests generated from docs/openapi.json, for test_negative_generated.py.

Everything here is read from the document: its operations, their parameters and request-body
schemas (with `$ref`, `allOf`, `oneOf` and `anyOf` resolved). For each operation it builds the
requests a careless or hostile client sends:

* bodies: not an object, truncated JSON, a `NaN` literal, invalid UTF-8, an unknown field, and
  for every field (nested ones too): a wrong type, missing when required, numbers that are huge,
  fractional, negative below the minimum or above the maximum, NaN-like strings, strings one
  character over `maxLength`, values outside the enum, unparseable dates, and a body over the
  size limit;
* query parameters with values of the wrong type or outside their enum, format or bounds;
* path parameters that name nothing (`0`, `-1`, `1.5`, huge numbers, `%ff`, NUL, 300 characters).

Every such request must be refused with a 4xx problem. Only the path parameters are not in the
document's hands: how to make a real object for them is the small table in
test_negative_generated.py.
"""

import copy
import http.client
import json
import re
import socket
import urllib.parse

from conftest import API_DOCUMENT

METHODS = ("get", "post", "put", "patch", "delete")
# The most requests one operation's body, query and path cases may add up to.
MAX_CASES_PER_OPERATION = 40
# The server refuses bodies over 1 MiB; this one is over it.
OVERSIZED_BODY = 2 * 1024 * 1024 + 17

REFUSE = "refuse"  # must be answered with a 4xx problem
SURVIVE = "survive"  # may be answered either way, but never with a 5xx, a hang or a change

_RAW = "\u0000raw:"  # marks a string to be replaced by raw (non-JSON or non-UTF-8) text


class Case:
    def __init__(self, label, method, path, body=None, content_type=None, expect=REFUSE,
                 headers=None):
        self.label = label
        self.method = method
        self.path = path
        self.body = body
        self.content_type = content_type
        self.expect = expect
        self.headers = headers or {}

    def __repr__(self):
        return f"{self.method} {self.path} [{self.label}]"


# --------------------------------------------------------------------------------------------
# The document


def deref(node):
    return API_DOCUMENT._deref(node)


class Operation:
    def __init__(self, method, template, item, raw):
        self.method = method.upper()
        self.template = template
        self.id = raw.get("operationId") or f"{self.method} {template}"
        params = {}
        for p in item.get("parameters", []) + raw.get("parameters", []):
            p = deref(p)
            params[(p["name"], p["in"])] = p
        self.parameters = list(params.values())
        self.public = raw.get("security") == []
        self.bodies = {}
        self.json_example = None
        body = deref(raw.get("requestBody")) if raw.get("requestBody") else None
        if body:
            for media, content in body.get("content", {}).items():
                self.bodies[media] = deref(content.get("schema", {}))
                if media == "application/json":
                    if "example" in content:
                        self.json_example = content["example"]
                    elif content.get("examples"):
                        first = next(iter(content["examples"].values()))
                        self.json_example = deref(first).get("value")
        self.json_body = self.bodies.get("application/json")
        self.responses = {code: deref(r) for code, r in raw.get("responses", {}).items()}
        ok = self.responses.get("200", {}).get("content", {})
        self.streams = "text/event-stream" in ok
        self.body_required = bool(body and body.get("required"))

    @property
    def path_names(self):
        return [p["name"] for p in self.parameters if p["in"] == "path"]

    def query_parameters(self):
        return [p for p in self.parameters if p["in"] == "query"]

    def takes_header(self, name):
        return any(p["in"] == "header" and p["name"].lower() == name.lower()
                   for p in self.parameters)

    def answers_problem(self, status):
        """Whether the document promises a problem for `status` (a provider's webhook answers
        in the provider's own format instead)."""
        response = self.responses.get(str(status)) or self.responses.get("default")
        content = (response or {}).get("content")
        return not content or "application/problem+json" in content

    def base_body(self):
        """A body the document calls valid: its example, else one built from the schema."""
        if self.json_body is None:
            return None
        if self.json_example is not None:
            return copy.deepcopy(self.json_example)
        return example_of(self.json_body)

    def path(self, values):
        out = self.template
        for name in self.path_names:
            out = out.replace("{" + name + "}", urllib.parse.quote(str(values[name]), safe="%"))
        return out

    def object_prefix(self):
        """The template up to its last path parameter: what the parameters name
        (`/api/v1/orders/{id}` for `/api/v1/orders/{id}/payments`)."""
        if not self.path_names:
            return None
        last = "{" + self.path_names[-1] + "}"
        return self.template[:self.template.index(last) + len(last)]


def operations():
    ops = []
    for template, item in API_DOCUMENT.root["paths"].items():
        for method in METHODS:
            if method in item:
                ops.append(Operation(method, template, item, item[method]))
    return ops


def merged(schema):
    """One object schema from `allOf`/`oneOf`/`anyOf`: every alternative's properties, the
    top level's `required`."""
    schema = deref(schema)
    out = {k: v for k, v in schema.items() if k not in ("allOf", "oneOf", "anyOf")}
    props = dict(out.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for alt in schema.get(key, []):
            alt = merged(alt)
            for name, sub in alt.get("properties", {}).items():
                props.setdefault(name, sub)
            if key == "allOf":
                out["required"] = list(out.get("required", [])) + list(alt.get("required", []))
            if "type" not in out and "type" in alt:
                out["type"] = alt["type"]
            if "items" not in out and "items" in alt:
                out["items"] = alt["items"]
    if props:
        out["properties"] = props
    return out


def type_of(schema):
    schema = merged(schema)
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    if t is None and "properties" in schema:
        t = "object"
    if t is None and "enum" in schema and schema["enum"]:
        t = {str: "string", int: "integer", bool: "boolean"}.get(type(schema["enum"][0]))
    return t


def allowed_types(schema):
    """The JSON types a value may have: a union of `anyOf`/`oneOf` alternatives, or every type
    when the schema names none (a field the server does not read)."""
    schema = deref(schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives and all("properties" not in deref(a) for a in alternatives):
        return {type_of(a) for a in alternatives}
    t = type_of(schema)
    return {t} if t else {"string", "integer", "number", "boolean", "array", "object"}


def json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value))


def example_of(schema, depth=0):
    """A value the schema allows, preferring the document's own example."""
    schema = merged(schema)
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "default" in schema and schema["default"] is not None:
        return copy.deepcopy(schema["default"])
    if schema.get("enum"):
        return schema["enum"][0]
    t = type_of(schema)
    if t == "object":
        if depth > 4:
            return {}
        return {name: example_of(sub, depth + 1)
                for name, sub in schema.get("properties", {}).items()
                if name in schema.get("required", [])}
    if t == "array":
        if depth > 4:
            return []
        count = max(schema.get("minItems", 1), 1)
        return [example_of(schema.get("items", {}), depth + 1) for _ in range(count)]
    if t == "integer":
        return max(schema.get("minimum", 1), 1)
    if t == "number":
        return max(schema.get("minimum", 1), 1)
    if t == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    if fmt == "date":
        return "2026-01-01"
    return "x" * max(schema.get("minLength", 1), 1)


# --------------------------------------------------------------------------------------------
# Bodies


def fields(schema, value, prefix=(), depth=0):
    """(path, schema, required) of every field the schema declares, nested ones too; `path` is a
    tuple of keys and indexes into `value` (a base body built from the same schema)."""
    schema = merged(schema)
    out = []
    if depth > 3:
        return out
    t = type_of(schema)
    if t == "object":
        required = set(schema.get("required", []))
        for name, sub in schema.get("properties", {}).items():
            out.append((prefix + (name,), sub, name in required))
            child = value.get(name) if isinstance(value, dict) else None
            if child is None:
                child = example_of(sub)
            out.extend(fields(sub, child, prefix + (name,), depth + 1))
    elif t == "array":
        items = schema.get("items", {})
        if type_of(items) in ("object", "array"):
            child = value[0] if isinstance(value, list) and value else example_of(items)
            out.extend(fields(items, child, prefix + (0,), depth + 1))
    return out


def with_value(base, path, value, remove=False):
    """A copy of `base` with the field at `path` set to `value` (or removed), creating the
    containers on the way."""
    body = copy.deepcopy(base)
    node = body
    for depth, key in enumerate(path[:-1]):
        container = [] if isinstance(path[depth + 1], int) else {}
        if isinstance(key, int):
            if not isinstance(node, list):
                return None
            while len(node) <= key:
                node.append(copy.deepcopy(container))
            if not isinstance(node[key], type(container)):
                node[key] = container
            node = node[key]
        else:
            if not isinstance(node, dict):
                return None
            if not isinstance(node.get(key), type(container)):
                node[key] = container
            node = node[key]
    last = path[-1]
    if isinstance(node, dict):
        if remove:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        return None
    return body


def raw(text):
    return _RAW + text


def encode(body):
    """JSON bytes of `body`, with every raw(...) marker replaced by its text unquoted."""
    text = json.dumps(body, ensure_ascii=False)
    marker = json.dumps(_RAW, ensure_ascii=False)[:-1]
    while marker in text:
        start = text.index(marker)
        end = text.index('"', start + len(marker))
        inner = text[start + len(marker):end]
        text = text[:start] + inner + text[end + 1:]
    data = text.encode("utf-8")
    return data.replace(b"@@BAD-UTF8@@", b"\xff\xfe\xc0\xaf")


def wrong_types(t):
    return {
        "string": [12345, ["x"]],
        "integer": ["12", True],
        "number": ["1.5", False],
        "boolean": ["true", 1],
        "array": [{}, "x"],
        "object": [[], "x"],
    }.get(t, [])


def field_values(schema):
    """(label, value, expect) of the invalid values to put into one field."""
    allowed = allowed_types(schema)
    schema = merged(schema)
    t = type_of(schema)
    out = [(f"wrong type {type(v).__name__}", v, REFUSE) for v in wrong_types(t)
           if json_type(v) not in allowed and not (json_type(v) == "integer" and
                                                    "number" in allowed)]
    if t == "integer":
        out += [("fractional", 1.5, REFUSE),
                ("huge", 2 ** 64, REFUSE),
                ("1e999", raw("1e999"), REFUSE),
                ("NaN literal", raw("NaN"), REFUSE),
                ("NaN string", "NaN", REFUSE)]
        if "minimum" in schema:
            out.append(("below minimum", schema["minimum"] - 1, REFUSE))
        if "maximum" in schema:
            out.append(("above maximum", schema["maximum"] + 1, REFUSE))
        if "minimum" not in schema:
            out.append(("int64 min - 1", -(2 ** 63) - 1, REFUSE))
    elif t == "number":
        out += [("NaN literal", raw("NaN"), REFUSE), ("-Infinity literal", raw("-Infinity"),
                                                      REFUSE)]
    elif t == "string":
        if "maxLength" in schema:
            out.append(("one over maxLength", "x" * (schema["maxLength"] + 1), REFUSE))
        if schema.get("enum"):
            out.append(("not in enum", "zz-not-a-value", REFUSE))
        if schema.get("format") in ("date-time", "date"):
            out.append(("not a date", "2026-13-45T99:99:99Z", REFUSE))
        if "pattern" in schema and not re.search(schema["pattern"], "bad value !"):
            out.append(("not matching pattern", "bad value !", REFUSE))
        if schema.get("minLength", 0) > 1:
            out.append(("under minLength", "x" * (schema["minLength"] - 1), REFUSE))
        out.append(("invalid UTF-8", "@@BAD-UTF8@@", REFUSE))
    elif t == "array":
        if schema.get("minItems", 0) > 0:
            out.append(("fewer than minItems", [], REFUSE))
    return out


def body_cases(op, path, base):
    """The hostile bodies of one operation's JSON request, sent to `path`."""
    schema = merged(op.json_body)
    m, ct = op.method, "application/json"
    cases = []
    good = encode(base)
    if type_of(schema) == "object":
        cases += [Case("body is an array", m, path, b"[]", ct),
                  Case("body is null", m, path, b"null", ct),
                  Case("body is a string", m, path, b'"x"', ct)]
    elif type_of(schema) == "array":
        cases.append(Case("body is an object", m, path, b"{}", ct))
    cases += [Case("truncated JSON", m, path, good[:-1], ct),
              Case("trailing garbage", m, path, good + b"}", ct),
              Case("invalid UTF-8 in a key", m, path, b'{"\xff\xfe": 1}', ct),
              Case("text/plain", m, path, good, "text/plain",
                   REFUSE if "415" in op.responses else SURVIVE)]
    if type_of(schema) == "object" and schema.get("additionalProperties") is False:
        cases.append(Case("unknown field", m, path, encode({**base, "zz_unknown_field": 1}), ct))
    if type_of(schema) == "object":
        cases.append(Case("over the size limit", m, path,
                          encode({**base, "zz_padding": "x" * OVERSIZED_BODY}), ct))
    for fpath, sub, required in fields(schema, base):
        where = ".".join(str(k) for k in fpath)
        if required and len(fpath) == 1:
            body = with_value(base, fpath, None, remove=True)
            if body is not None:
                cases.append(Case(f"{where}: missing", m, path, encode(body), ct))
        nested = merged(sub)
        if type_of(nested) == "object" and nested.get("additionalProperties") is False \
                and nested.get("properties"):
            inner = base
            for key in fpath:
                inner = inner.get(key) if isinstance(inner, dict) else (
                    inner[key] if isinstance(inner, list) and len(inner) > key else None)
            body = with_value(base, fpath, {**(inner if isinstance(inner, dict) else
                                               example_of(nested)), "zz_unknown_field": 1})
            if body is not None:
                cases.append(Case(f"{where}: unknown field", m, path, encode(body), ct))
        for label, value, expect in field_values(sub):
            body = with_value(base, fpath, value)
            if body is not None:
                cases.append(Case(f"{where}: {label}", m, path, encode(body), ct, expect))
    return cases


def other_media_cases(op, path):
    """Operations that take no JSON: a JSON body is the wrong media type."""
    if op.json_body is not None or not op.bodies:
        return []
    return [Case("JSON to a non-JSON operation", op.method, path, b'{"a": 1}',
                 "application/json")]


# --------------------------------------------------------------------------------------------
# Query and path parameters


def query_values(schema):
    schema = merged(schema)
    t = type_of(schema)
    out = []
    if t == "integer":
        out += [("abc", REFUSE), ("1.5", REFUSE), ("99999999999999999999", REFUSE),
                ("", SURVIVE)]
        if "minimum" in schema:
            out.append((str(schema["minimum"] - 1), REFUSE))
        if "maximum" in schema:
            out.append((str(schema["maximum"] + 1), REFUSE))
    elif t == "string":
        if schema.get("enum"):
            out.append(("zz-not-a-value", REFUSE))
        if schema.get("format") in ("date-time", "date"):
            out.append(("2026-13-45", REFUSE))
        if "maxLength" in schema:
            out.append(("x" * (schema["maxLength"] + 1), REFUSE))
        if "pattern" in schema and not re.search(schema["pattern"], "bad value !"):
            out.append(("bad value !", REFUSE))
        out.append(("%ff%fe", REFUSE))
        out.append(("x" * 5000, SURVIVE))
    elif t == "boolean":
        out.append(("maybe", REFUSE))
    return out


def query_cases(op, path):
    cases = []
    for p in op.query_parameters():
        for value, expect in query_values(p.get("schema", {})):
            encoded = value if value.startswith("%") else urllib.parse.quote(value)
            cases.append(Case(f"?{p['name']}={value[:20]}", op.method,
                              f"{path}?{p['name']}={encoded}", None, None, expect))
        cases.append(Case(f"?{p['name']} twice", op.method,
                          f"{path}?{p['name']}=1&{p['name']}=2", None, None, SURVIVE))
    return cases


# Values that name nothing, for number and for text parameters.
JUNK_IDS = ["0", "-1", "1.5", "99999999999999999999", "%ff%fe"]
JUNK_NAMES = ["%ff%fe", "%00", "x" * 300, "%2e%2e", "a%20b%2F"]


def path_cases(op, own_values, base_body, strict):
    """Each path parameter in turn replaced by a value that names nothing; the others are the
    merchant's own. `strict` names the parameters whose junk must be refused (the rest are
    free-form names such as a phone number, which may answer an empty 200)."""
    cases = []
    body = encode(base_body) if base_body is not None else None
    ct = "application/json" if body is not None else None
    kinds = {p["name"]: type_of(p.get("schema", {})) for p in op.parameters if p["in"] == "path"}
    for name in op.path_names:
        for junk in JUNK_IDS if kinds.get(name) == "integer" else JUNK_NAMES:
            values = dict(own_values)
            values[name] = junk
            path = op.template
            for other in op.path_names:
                v = values[other]
                path = path.replace("{" + other + "}",
                                    v if other == name else urllib.parse.quote(str(v), safe=""))
            cases.append(Case(f"{{{name}}}={junk[:20]}", op.method, path, body, ct,
                              REFUSE if name in strict else SURVIVE))
    return cases


# --------------------------------------------------------------------------------------------
# Sending


class Hang(Exception):
    pass


class Session:
    """One keep-alive connection to the server, opened again whenever the server closes it."""

    def __init__(self, server, timeout=15):
        self.server = server
        self.timeout = timeout
        self.conn = None
        self.sent = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connect(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                                   timeout=self.timeout)
        return self.conn

    def send(self, method, path, body=None, content_type=None, key=None, headers=None):
        """(status, headers, body bytes); raises Hang when nothing comes back in time."""
        hdrs = {"Connection": "keep-alive"}
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        if content_type:
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        self.sent += 1
        for attempt in range(2):
            conn = self._connect()
            try:
                try:
                    conn.request(method, path, body=body, headers=hdrs)
                except (BrokenPipeError, ConnectionResetError):
                    # The server may answer (413) and close before reading the whole body.
                    pass
                resp = conn.getresponse()
                data = resp.read()
            except socket.timeout:
                self.close()
                raise Hang(f"{method} {path[:120]}: no answer in {self.timeout}s")
            except (http.client.HTTPException, ConnectionError, OSError):
                # A keep-alive connection the server had already closed: once more on a new one.
                self.close()
                if attempt:
                    raise
                continue
            out_headers = {k.lower(): v for k, v in resp.getheaders()}
            if resp.will_close:
                self.close()
            return resp.status, out_headers, data
        raise AssertionError("unreachable")

    def checked(self, method, path, body=None, content_type=None, key=None, headers=None):
        """Like send, plus the document's verdict on the answer (None when it matches)."""
        status, out_headers, data = self.send(method, path, body, content_type, key, headers)
        try:
            API_DOCUMENT.check(method, path, status, out_headers.get("content-type", ""), data)
            verdict = None
        except AssertionError as e:
            verdict = str(e)
        return status, out_headers, data, verdict

    def get_json(self, path, key):
        status, _, data = self.send("GET", path, key=key)
        assert status == 200, f"GET {path}: {status} {data[:300]!r}"
        return json.loads(data)
