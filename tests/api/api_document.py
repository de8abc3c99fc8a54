"""Checks answers against docs/openapi.json: every JSON answer of a documented operation must match
the schema the document gives for its status, so the document and the server cannot drift apart.

OpenAPI 3.0 schemas are JSON Schema with a few differences; the one that matters here is
`nullable: true`, which is turned into an explicit "null" alternative before validating."""

import json
import re

import jsonschema

_METHODS = ("get", "post", "put", "patch", "delete")


def _with_nulls(node):
    """A copy of an OpenAPI schema tree with `nullable: true` spelt the JSON Schema way."""
    if isinstance(node, list):
        return [_with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_nulls(value) for key, value in node.items()}
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


class ApiDocument:
    def __init__(self, path):
        self.raw = json.loads(path.read_text(encoding="utf-8"))
        self.root = _with_nulls(self.raw)
        self.resolver = jsonschema.RefResolver.from_schema(self.root)
        self.operations = []
        for template, item in self.root["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            for method in _METHODS:
                if method in item:
                    self.operations.append((method.upper(), re.compile(pattern), template,
                                            item[method]))

    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            _, node = self.resolver.resolve(node["$ref"])
        return node

    def find(self, method, path):
        path = path.split("?", 1)[0]
        for op_method, pattern, template, operation in self.operations:
            if op_method == method and pattern.match(path):
                return template, operation
        return None, None

    def check(self, method, path, status, content_type, body):
        """Raises AssertionError when a JSON answer does not match its documented schema."""
        if method == "HEAD" or not body:
            return
        template, operation = self.find(method, path)
        if operation is None:
            return
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        assert response is not None, (
            f"{method} {template} answered {status}, which the document does not list")
        response = self._deref(response)
        media = content_type.split(";")[0].strip()
        content = response.get("content", {})
        if media not in content or "schema" not in content[media]:
            return
        if not (media == "application/json" or media.endswith("+json")):
            return  # text (Prometheus metrics, CSV) is described, not validated
        try:
            document = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise AssertionError(f"{method} {template} {status}: the body is not JSON")
        validator = jsonschema.Draft7Validator(content[media]["schema"], resolver=self.resolver)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.path) or "(the body)"
            raise AssertionError(
                f"{method} {template} answered {status} against its documented schema: at {where}: "
                f"{first.message[:300]} ({len(errors)} error(s))")
