"""The answer checker every test runs through (api_document.py) catches what it is there for."""

import json

import pytest

from conftest import API_DOCUMENT


def check(method, path, status, body, content_type="application/json"):
    API_DOCUMENT.check(method, path, status, content_type, json.dumps(body).encode())


def test_a_wrong_type_in_an_answer_is_caught():
    with pytest.raises(AssertionError, match="at id"):
        check("GET", "/api/v1/rules/5", 200, {"id": "five", "name": "n", "expression": "true",
                                             "message": "m", "enabled": True, "version": 1,
                                             "last_error": None, "created_at": "x",
                                             "updated_at": "x"})


def test_a_status_the_document_does_not_list_is_caught():
    with pytest.raises(AssertionError, match="does not list"):
        check("GET", "/api/v1/carriers", 418, {"items": []})


def test_problems_are_checked_against_the_problem_schema():
    with pytest.raises(AssertionError):
        check("GET", "/api/v1/orders/1", 404, {"status": "404"}, "application/problem+json")
    check("GET", "/api/v1/orders/1", 404,
          {"type": "about:blank", "title": "Not found", "status": 404, "detail": "no order 1"},
          "application/problem+json")


def test_null_is_accepted_only_where_the_document_allows_it():
    check("GET", "/api/v1/geocoder", 200, {"configured": False, "url": None})
    with pytest.raises(AssertionError):
        check("GET", "/api/v1/carriers", 200, {"items": None})
