// What the viewer role sees and may do: no cancelling (the server refuses it too), masked phones.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, csrfToken, fetchInPage, withPage } from "../lib/browser.mjs";

async function openOrder(world, prefix, phone) {
  const api = world.depot.api();
  const sku = await api.createProduct(`${prefix}-${Date.now()}`, "保温杯");
  await api.receive(sku, 5);
  return api.createOrder(sku, { phone, name: "钱七" });
}

export function rolesSuite(world) {
  describe("roles", () => {
    test("a viewer cannot cancel: no button, and the API answers 403", (t) =>
      withPage(world, t, { role: "viewer" }, async (page) => {
        const order = await openOrder(world, "VIEW", "13800138000");
        await page.goto(`/orders/${order.id}`);
        await byTest(page, "order-status").waitFor();
        assert.equal(await byTest(page, "order-cancel").count(), 0);
        assert.equal(await byTest(page, "order-edit").count(), 0);

        const token = await csrfToken(page);
        const forced = await fetchInPage(page, "POST", `/api/v1/orders/${order.id}/cancel`, { reason: "viewer" },
          { "X-CSRF-Token": token });
        assert.equal(forced.status, 403, forced.text);
        assert.equal((await world.depot.api().get(`/api/v1/orders/${order.id}`)).status, "pending_payment");
      }));

    test("the viewer sees phone numbers masked in the orders list; the owner in full", async (t) => {
      const order = await openOrder(world, "MASK", "13912348765");
      const rowText = (role) =>
        withPage(world, t, { role }, async (page) => {
          await page.goto("/orders");
          const row = byTest(page, "order-row").filter({ hasText: order.order_no });
          await row.waitFor();
          return row.innerText();
        });
      const viewer = await rowText("viewer");
      assert.ok(!viewer.includes("13912348765"), `the viewer's row shows the whole phone: ${viewer}`);
      assert.match(viewer, /139\*{4}8765/);
      assert.ok(!viewer.includes("钱七"), "the viewer's row shows the whole name");
      assert.match(await rowText("owner"), /钱七 13912348765/);
    });
  });
}
