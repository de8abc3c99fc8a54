"""The electronic-waybill account with the aggregator (issue 9): PUT and GET
/api/v1/carriers/kuaidi100/waybill. Secrets (the key, the secret, each carrier's partnerKey and
partnerSecret) are kept when a save omits them and never shown again."""

import json
import uuid

from conftest import assert_problem

KEY = "wb-key-" + uuid.uuid4().hex[:8]
SECRET = "wb-secret-" + uuid.uuid4().hex[:12]
PARTNER_KEY = "pk-" + uuid.uuid4().hex[:10]
PARTNER_SECRET = "ps-" + uuid.uuid4().hex[:10]
PATH = "/api/v1/carriers/kuaidi100/waybill"


def account(**accounts):
    return {"url": "http://127.0.0.1:9/", "key": KEY, "secret": SECRET, "accounts": accounts}


def test_put_sets_up_then_updates_and_get_never_shows_a_secret(server):
    api = server.c
    assert_problem(api.get(PATH), 404)
    r = api.request("PUT", PATH, account(
        SF={"partnerId": "7551234567", "partnerKey": PARTNER_KEY, "partnerSecret": PARTNER_SECRET,
            "tempId": "tpl-sf-150", "net": "深圳宝安网点"},
        zhongtong={"partnerId": "ZT-8899", "partnerKey": PARTNER_KEY}))
    assert r.status == 201, r
    assert r.json["url"] == "http://127.0.0.1:9"
    r = api.request("PUT", PATH, account(SF={"partnerId": "7551234567",
                                              "partnerKey": PARTNER_KEY}))
    assert r.status == 200, r
    assert set(r.json["accounts"]) == {"SF"}, "a carrier left out of a save is removed"

    got = api.get(PATH)
    assert got.status == 200, got
    text = json.dumps(got.json, ensure_ascii=False)
    for secret in (KEY, SECRET, PARTNER_KEY, PARTNER_SECRET):
        assert secret not in text, f"a secret shows in {text}"
    assert got.json["key_set"] and got.json["secret_set"]
    sf = got.json["accounts"]["SF"]
    assert sf["partnerId"] == "7551234567"
    # The update left partnerSecret out: the stored one is kept.
    assert sf["partnerKey_set"] is True and sf["partnerSecret_set"] is True
    assert set(sf) == {"partnerId", "partnerKey_set", "partnerSecret_set"}
    assert "partnerKey" not in sf and "partnerSecret" not in sf


def test_omitted_secrets_are_kept(server):
    api = server.c
    r = api.request("PUT", PATH, account(
        SF={"partnerId": "7551234567", "partnerKey": PARTNER_KEY, "tempId": "tpl-sf-150"}))
    assert r.status in (200, 201), r
    # Only the URL and a changed template: every secret stays.
    r = api.request("PUT", PATH, {"url": "http://127.0.0.1:10",
                                  "accounts": {"shunfeng": {"partnerId": "7551234567",
                                                            "tempId": "tpl-sf-100"}}})
    assert r.status == 200, r
    assert r.json["key_set"] and r.json["secret_set"]
    sf = r.json["accounts"]["SF"]
    assert (sf["partnerId"], sf["tempId"], sf["partnerKey_set"]) == ("7551234567", "tpl-sf-100",
                                                                     True)
    # Without `accounts` at all, the carriers stay as they are.
    r = api.request("PUT", PATH, {"url": "http://127.0.0.1:10"})
    assert r.status == 200, r
    assert r.json["accounts"]["SF"]["tempId"] == "tpl-sf-100"
    # The audit log names what changed, secrets only as changed.
    audit = api.get("/api/v1/audit?object=waybill_account:kuaidi100")
    assert audit.status == 200, audit
    text = json.dumps(audit.json, ensure_ascii=False)
    assert "waybill_account.create" in text or "waybill_account.update" in text
    for secret in (KEY, SECRET, PARTNER_KEY):
        assert secret not in text


def test_bad_input_is_refused_naming_the_field(server):
    api = server.a
    assert_problem(api.request("PUT", PATH, account(XYZ={"partnerId": "1"})), 422, "accounts.XYZ")
    assert_problem(api.request("PUT", PATH, account(SF={"partnerKey": "k"})), 422,
                   "accounts.SF.partnerId")
    assert_problem(api.request("PUT", PATH, account(SF={"partnerId": "1", "orderId": "x"})), 422,
                   "accounts.SF.orderId")
    assert_problem(api.request("PUT", PATH, account(SF={"partnerId": 12})), 422,
                   "accounts.SF.partnerId")
    assert_problem(api.request("PUT", PATH, account(SF={"partnerId": "1"},
                                                    shunfeng={"partnerId": "2"})), 422)
    assert_problem(api.request("PUT", PATH, {**account(SF={"partnerId": "1"}), "salt": "x"}), 422,
                   "salt")
    assert_problem(api.request("PUT", PATH, {**account(SF={"partnerId": "1"}), "url": "ftp://x"}),
                   422, "url")
    # The first save needs the key and the secret.
    fresh = server.b
    assert_problem(fresh.request("PUT", PATH, {"url": "http://127.0.0.1:9",
                                               "accounts": {"SF": {"partnerId": "1"}}}),
                   422, "key", "secret")
    assert_problem(fresh.get(PATH), 404)


def test_only_managers_see_or_change_the_account(server):
    assert_problem(server.viewer.get(PATH), 403)
    assert_problem(server.viewer.request("PUT", PATH, account(SF={"partnerId": "1"})), 403)
