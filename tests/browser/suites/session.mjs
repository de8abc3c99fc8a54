// Logging in, the language switch, and what protects the session (SEC-2, SEC-3).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, csrfToken, fetchInPage, fill, withPage } from "../lib/browser.mjs";
import { emailOf, password } from "../lib/depot.mjs";

export function sessionSuite(world) {
  describe("session", () => {
    test("a wrong password shows the error; the right one reaches the dashboard", (t) =>
      withPage(world, t, {}, async (page) => {
        await page.goto("/");
        await page.waitForURL(/\/login/);
        await fill(page, "login-email", emailOf("owner"));
        await fill(page, "login-password", "not-the-password");
        await byTest(page, "login-submit").click();
        await byTest(page, "login-error").waitFor();
        assert.match(await byTest(page, "login-error").innerText(), /邮箱或密码不正确/);
        assert.match(new URL(page.url()).pathname, /^\/login/);

        await fill(page, "login-password", password);
        await byTest(page, "login-submit").click();
        await page.waitForURL((url) => url.pathname === "/dashboard");
        await byTest(page, "dashboard-orders-today").waitFor();
        assert.equal(await byTest(page, "login-error").count(), 0);
        assert.match(await byTest(page, "user-menu").innerText(), new RegExp(emailOf("owner")));
      }));

    test("logging out ends the session", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        await byTest(page, "user-menu").click();
        await byTest(page, "logout").click();
        await page.waitForURL("**/login");
        const cookies = await page.context().cookies();
        assert.ok(!cookies.some((c) => c.name === "depot_session" && c.value), "the cookie is cleared");
        const after = await fetchInPage(page, "GET", "/api/v1/orders");
        assert.equal(after.status, 401, after.text);
        await page.goto("/orders");
        await page.waitForURL(/\/login\?next=/);
      }));

    test("the language switches to English and back", (t) =>
      withPage(world, t, { role: "owner" }, async (page) => {
        const menu = page.locator("nav .el-menu");
        await menu.waitFor();
        const chinese = await menu.innerText();
        assert.match(chinese, /订单/);
        await byTest(page, "language").click();
        await page.waitForFunction(() => document.documentElement.lang === "en");
        const english = await menu.innerText();
        assert.match(english, /Orders/);
        assert.doesNotMatch(english, /订单/);
        assert.equal(await byTest(page, "language").innerText(), "中文");

        await page.reload();
        await menu.waitFor();
        assert.match(await menu.innerText(), /Orders/, "the choice survives a reload");

        await byTest(page, "language").click();
        await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
        assert.equal(await menu.innerText(), chinese);
        assert.equal(await byTest(page, "language").innerText(), "English");
      }));

    test("the session cookie is not readable by scripts", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const cookies = await page.context().cookies();
        const session = cookies.find((c) => c.name === "depot_session");
        assert.ok(session, "the browser holds the depot_session cookie");
        assert.equal(session.httpOnly, true);
        const visible = await page.evaluate(() => document.cookie);
        assert.ok(!visible.includes("depot_session"), `document.cookie shows ${visible}`);
      }));

    test("a write without the CSRF header answers 403", (t) =>
      withPage(world, t, { role: "owner" }, async (page) => {
        const product = { sku: `CSRF-${Date.now()}`, name: "CSRF check", price: 100 };
        const refused = await fetchInPage(page, "POST", "/api/v1/products", product);
        assert.equal(refused.status, 403, refused.text);
        const wrong = await fetchInPage(page, "POST", "/api/v1/products", product, { "X-CSRF-Token": "forged" });
        assert.equal(wrong.status, 403, wrong.text);
        const absent = await fetchInPage(page, "GET", `/api/v1/products/${product.sku}`);
        assert.equal(absent.status, 404, "the refused write changed nothing");

        const token = await csrfToken(page);
        const accepted = await fetchInPage(page, "POST", "/api/v1/products", product, { "X-CSRF-Token": token });
        assert.equal(accepted.status, 201, accepted.text);
      }));
  });
}
