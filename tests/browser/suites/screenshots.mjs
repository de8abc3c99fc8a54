// Pictures of every console page at 1440×900, and of the pages used on a phone at 390×844, named
// <page>-<width>.png in $DEPOT_SCREENSHOTS. Runs last, so the pages show the suite's orders.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, logIn, phone, screenshot, withPage } from "../lib/browser.mjs";

async function shippedOrder(world) {
  const api = world.depot.api();
  const sku = await api.createProduct(`SHOT-${Date.now()}`, "手冲咖啡壶");
  await api.receive(sku, 10);
  const order = await api.pay(await api.createOrder(sku, { quantity: 2, name: "孙八" }));
  await api.expect(201, "POST", `/api/v1/orders/${order.id}/shipments`, { carrier: "SF", tracking_no: `SF${Date.now()}` });
  return order;
}

export function screenshotSuite(world) {
  describe("screenshots", () => {
    test("every console page at 1440 wide", (t) =>
      withPage(world, t, {}, async (page) => {
        await page.goto("/login");
        await byTest(page, "login-email").waitFor();
        await screenshot(page, "login");
        await logIn(page, "owner");

        const items = page.locator("nav .el-menu-item");
        await items.first().waitFor();
        const count = await items.count();
        assert.ok(count > 0);
        for (let i = 0; i < count; i += 1) {
          const before = page.url();
          await items.nth(i).click();
          if (i > 0) await page.waitForURL((url) => url.href !== before);
          const name = new URL(page.url()).pathname.split("/")[1] || "home";
          await screenshot(page, name);
        }
      }));

    test("orders, an order and the tracking page at 390 wide", (t) =>
      withPage(world, t, { role: "operator", viewport: phone }, async (page) => {
        const order = await shippedOrder(world);
        // On a phone the menu is a drawer behind the menu button.
        await byTest(page, "menu-toggle").click();
        await page.locator(".el-drawer .el-menu-item").filter({ hasText: "订单" }).click();
        await page.waitForURL("**/orders");
        await byTest(page, "order-row").first().waitFor();
        await screenshot(page, "orders");
        await page.goto(`/orders/${order.id}`);
        await byTest(page, "order-no").waitFor();
        await screenshot(page, "order");

        const { tracking_url: link } = await world.depot.api().get(`/api/v1/orders/${order.id}/tracking`);
        const trackingPath = new URL(link, world.depot.base).pathname;
        assert.match(trackingPath, /^\/t\//);
        await page.goto(trackingPath);
        await page.getByText(order.order_no).first().waitFor();
        await screenshot(page, "tracking");
      }));
  });
}
