// One merchant never sees another's data, neither in the console nor through the API.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, fetchInPage, fill, withPage } from "../lib/browser.mjs";

export function tenancySuite(world) {
  describe("tenancy", () => {
    test("another merchant's order is not visible by search or API", (t) =>
      withPage(world, t, { role: "owner" }, async (page) => {
        const beta = world.depot.api("beta");
        const sku = await beta.createProduct(`BETA-${Date.now()}`, "别家商品");
        await beta.receive(sku, 3);
        const theirs = await beta.createOrder(sku, { name: "别家客户", phone: "13700001111" });

        await withPage(world, t, { role: "owner", tenant: "beta" }, async (betaPage) => {
          await betaPage.goto("/orders");
          await fill(betaPage, "orders-search", theirs.order_no);
          await betaPage.keyboard.press("Enter");
          await byTest(betaPage, "order-row").filter({ hasText: theirs.order_no }).waitFor();
        });

        await page.goto("/orders");
        await byTest(page, "orders-tab-all").click();
        await fill(page, "orders-search", theirs.order_no);
        await page.keyboard.press("Enter");
        await page.locator(".el-table__empty-block, .el-empty").first().waitFor();
        assert.equal(await byTest(page, "order-row").count(), 0);
        assert.ok(!(await page.locator("main").innerText()).includes("别家客户"));

        const byNumber = await fetchInPage(page, "GET", `/api/v1/orders?order_no=${encodeURIComponent(theirs.order_no)}`);
        assert.equal(byNumber.status, 200);
        assert.deepEqual(JSON.parse(byNumber.text).items, []);
        const byId = await fetchInPage(page, "GET", `/api/v1/orders/${theirs.id}`);
        assert.equal(byId.status, 404, byId.text);
        const product = await fetchInPage(page, "GET", `/api/v1/products/${sku}`);
        assert.equal(product.status, 404, product.text);
      }));
  });
}
