"""Forecasts and reorder advice, the replenishment list, repurchase predictions and shipping advice
(RPT-3, RPT-4) as the API answers them, and the `reports` block of the settings.

A black-box server cannot move its clock, so every order here is today's and no SKU has history:
these tests hold the contract's shapes, the 404s and 422s, and how the settings reach the advice.
The forecasts on weeks of history are tested against the store with a fake clock
(tests/store/forecast_test.cpp) and the math on known series (tests/unit/forecast_test.cpp)."""

import uuid

from conftest import assert_problem

REORDER_FIELDS = {"available", "lead_days", "review_days", "service_level", "mean_daily_demand",
                  "lead_time_demand", "safety_stock", "reorder_point", "suggested_quantity",
                  "days_of_cover", "reorder_now"}


def test_forecast_has_the_contract_shape(server):
    api = server.a
    sku = api.product_with_stock(30)
    api.order_ok(sku, 4)
    r = api.get(f"/api/v1/forecast/{sku}")
    assert r.status == 200, r
    body = r.json
    for field in ("sku", "daily", "model", "error", "baseline_error", "days_of_cover",
                  "reorder_point", "suggested_quantity"):
        assert field in body, field
    assert REORDER_FIELDS <= set(body)
    assert body["sku"] == sku
    # Today's order is not history yet: nothing sold in the window, nothing forecast.
    assert body["model"] == "none"
    assert len(body["history"]) == 182
    assert all(day["demand"] == 0 for day in body["history"])
    assert len(body["daily"]) == 28
    assert body["daily"][0]["date"] > body["history"][-1]["date"]
    assert all(set(day) == {"date", "demand"} and day["demand"] == 0 for day in body["daily"])
    assert body["error"] == {"mase": None, "smape": None}
    assert body["baseline_error"] == {"mase": None, "smape": None}
    assert body["available"] == 26
    assert body["days_of_cover"] is None
    assert body["reorder_point"] == 0
    assert body["suggested_quantity"] == 0
    assert body["reorder_now"] is False
    assert body["lead_days"] == 7 and body["review_days"] == 7 and body["service_level"] == 0.95


def test_forecast_of_an_unknown_sku_is_404(server):
    assert_problem(server.a.get(f"/api/v1/forecast/NOPE-{uuid.uuid4().hex[:8]}"), 404)


def test_forecast_is_per_merchant(server):
    sku = server.a.product_with_stock(5)
    assert_problem(server.b.get(f"/api/v1/forecast/{sku}"), 404)


def test_viewer_may_read_forecasts(server):
    sku = server.a.product_with_stock(5)
    assert server.viewer.get(f"/api/v1/forecast/{sku}").status == 200
    assert server.viewer.get("/api/v1/replenishment").status == 200
    assert server.viewer.get("/api/v1/customers/repurchase-due").status == 200


def test_replenishment_lists_nothing_without_demand(server):
    api = server.a
    sku = api.product_with_stock(1)
    api.order_ok(sku, 1)  # out of stock, but no history says it sells
    r = api.get("/api/v1/replenishment")
    assert r.status == 200, r
    assert sku not in {item["sku"] for item in r.json["items"]}


def test_repurchase_due_has_the_contract_shape(server):
    r = server.a.get("/api/v1/customers/repurchase-due", params={"within_days": 14})
    assert r.status == 200, r
    assert set(r.json) == {"items", "total"}
    assert isinstance(r.json["items"], list)
    for item in r.json["items"]:
        assert {"phone", "sku", "expected_at", "confidence"} <= set(item)
    r = server.a.get("/api/v1/customers/13800138000/repurchase")
    assert r.status == 200, r
    assert r.json["phone"] == "13800138000"
    assert r.json["items"] == []  # every order of this module is today's: one day, no pattern


def test_repurchase_window_is_validated(server):
    for within in ("0", "91", "-3"):
        assert_problem(server.a.get("/api/v1/customers/repurchase-due",
                                    params={"within_days": within}), 422, "within_days")
    assert_problem(server.a.get("/api/v1/customers/repurchase-due",
                                params={"within_days": "soon"}), 422, "within_days")
    assert_problem(server.a.get("/api/v1/customers/repurchase-due",
                                params={"limit": "0"}), 422, "limit")


def test_repurchase_of_a_customer_masks_the_phone_for_a_viewer(server):
    r = server.viewer.get("/api/v1/customers/13800138000/repurchase")
    assert r.status == 200, r
    assert r.json["phone"] == "138****8000"


def test_shipping_advice_without_history(server):
    r = server.a.get("/api/v1/shipping/advice",
                     params={"province": "440000", "deliver_by": "2099-05-10"})
    assert r.status == 200, r
    body = r.json
    assert body["province"] == "440000"
    assert body["origin"] is None
    assert body["fastest"] is None
    assert body["carriers"] == []
    # A promised date is the end of that day in the merchant's zone (UTC+8 by default).
    assert body["deliver_by"] == "2099-05-10T16:00:00.000Z"


def test_shipping_advice_input_is_validated(server):
    api = server.a
    assert_problem(api.get("/api/v1/shipping/advice"), 422, "province")
    assert_problem(api.get("/api/v1/shipping/advice", params={"province": "guangdong"}), 422,
                   "province")
    assert_problem(api.get("/api/v1/shipping/advice",
                           params={"province": "440000", "origin": "33"}), 422, "origin")
    assert_problem(api.get("/api/v1/shipping/advice",
                           params={"province": "440000", "deliver_by": "tomorrow"}), 422,
                   "deliver_by")
    assert_problem(api.get("/api/v1/shipping/advice",
                           params={"province": "440000", "deliver_by": "2001-01-01"}), 422,
                   "deliver_by")
    assert_problem(api.get("/api/v1/shipping/advice",
                           params={"province": "440000", "ship_at": "2026-05-01"}), 422,
                   "ship_at")


def test_settings_have_a_reports_block(server):
    r = server.c.get("/api/v1/settings")
    assert r.status == 200, r
    assert r.json["reports"] == {"utc_offset_minutes": 480, "lead_days": 7,
                                 "lead_days_by_sku": {}, "service_level": 0.95,
                                 "review_days": 7}


def test_reports_settings_change_and_reach_the_advice(server):
    api = server.c
    sku = api.product_with_stock(10)
    change = {"lead_days": 10, "lead_days_by_sku": {sku: 3}, "service_level": 0.99,
              "review_days": 14, "utc_offset_minutes": 60}
    r = api.patch("/api/v1/settings", {"reports": change})
    assert r.status == 200, r
    assert r.json["reports"] == change
    r = api.patch("/api/v1/settings", {"reports": {"service_level": 0.9}})
    assert r.status == 200, r
    assert r.json["reports"] == {**change, "service_level": 0.9}  # the rest is unchanged
    assert api.get("/api/v1/settings").json["reports"] == {**change, "service_level": 0.9}

    forecast = api.get(f"/api/v1/forecast/{sku}").json
    assert forecast["lead_days"] == 3
    assert forecast["review_days"] == 14
    assert forecast["service_level"] == 0.9
    other = api.product_with_stock(1)
    assert api.get(f"/api/v1/forecast/{other}").json["lead_days"] == 10


def test_reports_settings_are_validated(server):
    api = server.c
    before = api.get("/api/v1/settings").json["reports"]
    bad = [
        ({"service_level": 0.5}, "reports.service_level"),
        ({"service_level": 1}, "reports.service_level"),
        ({"service_level": "high"}, "reports.service_level"),
        ({"lead_days": 366}, "reports.lead_days"),
        ({"lead_days": -1}, "reports.lead_days"),
        ({"review_days": 0}, "reports.review_days"),
        ({"utc_offset_minutes": 841}, "reports.utc_offset_minutes"),
        ({"utc_offset_minutes": -841}, "reports.utc_offset_minutes"),
        ({"lead_days_by_sku": {"MUG": 400}}, "reports.lead_days_by_sku.MUG"),
        ({"lead_days_by_sku": {"MUG": "a week"}}, "reports.lead_days_by_sku.MUG"),
        ({"lead_days": None}, "reports.lead_days"),
        ({"lead_time": 3}, "reports.lead_time"),
    ]
    for block, field in bad:
        assert_problem(api.patch("/api/v1/settings", {"reports": block}), 422, field)
    assert_problem(api.patch("/api/v1/settings", {"reports": 7}), 422, "reports")
    # Each fault is named at once, and nothing changed.
    body = assert_problem(api.patch("/api/v1/settings",
                                    {"reports": {"lead_days": 400, "review_days": 0}}), 422,
                          "reports.lead_days", "reports.review_days")
    assert len(body["errors"]) == 2
    assert api.get("/api/v1/settings").json["reports"] == before


def test_only_a_manager_changes_reports_settings(server):
    r = server.viewer.patch("/api/v1/settings", {"reports": {"lead_days": 3}})
    assert_problem(r, 403)
