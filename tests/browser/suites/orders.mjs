// Orders through the console: the new-order form, orders arriving from the API and the live
// alert bell, editing, shipping with the customer's notification, and holds.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, cascade, choose, eventually, fill, withPage } from "../lib/browser.mjs";

function orderRow(page, orderNo) {
  return byTest(page, "order-row").filter({ hasText: orderNo });
}

async function stockedProduct(world, prefix, name = "帆布包", quantity = 20) {
  const api = world.depot.api();
  const sku = await api.createProduct(`${prefix}-${Date.now()}`, name);
  await api.receive(sku, quantity);
  return sku;
}

async function paidOrder(world, prefix, customer = {}) {
  const api = world.depot.api();
  const sku = await stockedProduct(world, prefix);
  return api.pay(await api.createOrder(sku, customer));
}

async function statusOf(world, id) {
  return (await world.depot.api().get(`/api/v1/orders/${id}`)).status;
}

async function shipThroughPage(page, trackingNo) {
  await byTest(page, "order-ship").click();
  await choose(page, "ship-carrier", "(SF)");
  await fill(page, "ship-tracking-no", trackingNo);
  await byTest(page, "ship-submit").click();
}

export function ordersSuite(world) {
  describe("orders", () => {
    test("an order made in the new-order form, its address from the cascader", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const sku = await stockedProduct(world, "BAG", "帆布包");
        await page.goto("/orders");
        await byTest(page, "new-order-button").click();
        await page.waitForURL("**/orders/new");
        await fill(page, "product-search", sku);
        await byTest(page, "add-line").click();
        await byTest(page, "line-quantity").waitFor();
        await fill(page, "line-quantity", 2);
        await fill(page, "customer-name", "王小明");
        await fill(page, "customer-phone", "13912345678");
        await cascade(page, "address-cascader", ["浙江省", "杭州市", "西湖区"]);
        await fill(page, "address-detail", "文三路 90 号");
        await byTest(page, "submit-order").click();
        await page.waitForURL(/\/orders\/\d+$/);
        const orderNo = (await byTest(page, "order-no").innerText()).trim();
        assert.match(orderNo, /\S/);
        const found = await world.depot.api().get(`/api/v1/orders?order_no=${encodeURIComponent(orderNo)}`);
        assert.equal(found.items.length, 1);
        const order = found.items[0];
        assert.deepEqual(order.lines.map((l) => [l.sku, l.quantity]), [[sku, 2]]);
        assert.equal(order.customer.name, "王小明");
        assert.equal(order.shipping_address.province, "浙江省");
        assert.equal(order.shipping_address.city, "杭州市");
        assert.equal(order.shipping_address.district, "西湖区");
        assert.equal(order.shipping_address.detail, "文三路 90 号");
      }));

    test("an order created through the API appears in the open list without a reload", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const sku = await stockedProduct(world, "API");
        await page.goto("/orders");
        await page.locator('[data-test="order-row"], .el-empty').first().waitFor();
        const pendingTab = byTest(page, "orders-tab-pending_payment");
        const pendingBefore = Number((await pendingTab.innerText()).replace(/\D/g, ""));
        await page.evaluate(() => (window.sameDocument = true));
        const order = await world.depot.api().createOrder(sku, { name: "接口客户" });
        // The open list asks again by itself: the order shows at the top, its tab counts it.
        const row = orderRow(page, order.order_no);
        await row.waitFor();
        assert.match(await row.innerText(), /待付款/);
        assert.match(await row.innerText(), /¥29\.90/);
        assert.equal(await byTest(page, "order-row").first().innerText(), await row.innerText());
        await eventually(page, async () =>
          Number((await pendingTab.innerText()).replace(/\D/g, "")) === pendingBefore + 1);
        assert.equal(await page.evaluate(() => window.sameDocument), true, "the page was reloaded");
      }));

    test("orders imported from a CSV file, with the bad row named", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const sku = await stockedProduct(world, "CSV");
        const external = `CSV${Date.now()}`;
        const csv = [
          "external_no,customer_name,phone,province,city,district,detail,sku,quantity,unit_price,paid",
          `${external},导入客户,13800138000,浙江省,杭州市,西湖区,文三路 1 号,${sku},2,29.90,yes`,
          `${external}X,导入客户,13800138000,浙江省,杭州市,西湖区,文三路 1 号,NO-SUCH-SKU,1,9.90,no`,
        ].join("\n");
        await page.goto("/orders");
        await byTest(page, "order-import-button").click();
        await byTest(page, "order-import-file").setInputFiles({
          name: "orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8"),
        });
        await byTest(page, "order-import-submit").click();
        const results = byTest(page, "order-import-results");
        await page.locator('[data-test="order-import-results"][data-status="finished"]').waitFor();
        assert.deepEqual(await byTest(page, "order-import-error").allInnerTexts(), ["3"]);
        assert.match(await results.innerText(), /1/);
        const imported = await world.depot.api().expect(200, "GET", `/api/v1/orders?external_no=${external}`);
        assert.equal(imported.items.length, 1);
        assert.equal(imported.items[0].status, "awaiting_shipment");
        assert.equal(imported.items[0].total, 5980);
      }));

    test("the dashboard counts a new order after a refresh and draws its chart", (t) =>
      withPage(world, t, { role: "owner" }, async (page) => {
        await page.goto("/dashboard");
        const today = byTest(page, "dashboard-orders-today");
        await today.waitFor();
        const before = Number((await today.innerText()).replace(/\D/g, ""));
        await world.depot.api().createOrder(await stockedProduct(world, "DASH"));
        await byTest(page, "dashboard-refresh").click();
        await eventually(page, async () => Number((await today.innerText()).replace(/\D/g, "")) === before + 1);
        assert.match(await byTest(page, "dashboard-gmv-today").innerText(), /¥[\d,]+\.\d\d/);
        await byTest(page, "dashboard-chart-orders").locator("canvas, svg").first().waitFor();
      }));

    test("taking a payment and cancelling through their dialogs", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const api = world.depot.api();
        const sku = await stockedProduct(world, "PAY");
        const [first, second] = [await api.createOrder(sku), await api.createOrder(sku)];
        await page.goto(`/orders/${first.id}`);
        await byTest(page, "order-pay").click();
        await byTest(page, "pay-confirm").click();
        await eventually(page, async () => /待发货/.test(await byTest(page, "order-status").innerText()));
        assert.equal((await api.get(`/api/v1/orders/${first.id}`)).paid_amount, first.total);

        await page.goto(`/orders/${second.id}`);
        await byTest(page, "order-cancel").click();
        await fill(page, "cancel-reason", "客户不要了");
        await byTest(page, "cancel-confirm").click();
        await eventually(page, async () => /已取消/.test(await byTest(page, "order-status").innerText()));
        assert.equal(await byTest(page, "order-cancel").count(), 0);
        assert.equal((await api.get(`/api/v1/orders/${second.id}`)).status, "cancelled");
      }));

    test("an order the checks hold raises the alert bell without a reload", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const sku = await stockedProduct(world, "BELL");
        const streamOpen = page.waitForResponse((r) => r.url().includes("/api/v1/alerts/stream") && r.status() === 200);
        await page.goto("/orders");
        const bell = byTest(page, "alert-count");
        await bell.waitFor();
        const countNow = async () => {
          const badge = bell.locator(".el-badge__content");
          if (!(await badge.isVisible())) return 0;
          return Number((await badge.innerText()).trim());
        };
        const before = await countNow();
        await streamOpen;
        const api = world.depot.api();
        const held = await api.pay(await api.createOrder(sku, { phone: "12345" }));
        assert.equal(held.status, "on_hold");
        await eventually(page, async () => (await countNow()) === before + 1);

        await byTest(page, "alert-bell").click();
        const list = byTest(page, "alert-list");
        await list.waitFor();
        assert.match(await list.innerText(), new RegExp(String(held.id)));
      }));

    test("editing an order's customer name shows the new name", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const api = world.depot.api();
        const sku = await stockedProduct(world, "EDIT");
        const order = await api.createOrder(sku, { name: "赵六" });
        await page.goto(`/orders/${order.id}`);
        await byTest(page, "order-no").waitFor();
        assert.match(await page.locator("main").innerText(), /赵六/);
        await byTest(page, "order-edit").click();
        await fill(page, "edit-customer-name", "赵六六");
        await fill(page, "edit-notes", "改名后发货");
        await byTest(page, "edit-save").click();
        await eventually(page, async () => /赵六六/.test(await page.locator("main").innerText()));
        const stored = await api.get(`/api/v1/orders/${order.id}`);
        assert.equal(stored.customer.name, "赵六六");
        assert.equal(stored.notes, "改名后发货");
      }));

    test("shipping an order notifies the customer, shown in the order's log", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const order = await paidOrder(world, "SHIP");
        await page.goto(`/orders/${order.id}`);
        await byTest(page, "order-status").waitFor();
        await shipThroughPage(page, `SF${Date.now()}`);
        await eventually(page, async () => (await statusOf(world, order.id)) === "shipped");
        await eventually(page, async () => /已发货/.test(await byTest(page, "order-status").innerText()));
        // The dispatcher sends after the commit: the log fills within moments.
        const row = await eventually(page, async () => {
          const rows = byTest(page, "order-notifications").locator('[data-test="notification-row"]');
          return (await rows.count()) > 0 ? rows : null;
        }, { reload: true });
        const text = await row.first().innerText();
        assert.match(text, /已发货/);
        assert.match(text, /138\*{4}8000|c\*+@example\.com/, "the recipient is shown masked");
      }));

    test("an on-hold order shows its reasons and ships after release", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const order = await paidOrder(world, "HOLD", { phone: "12345" });
        assert.equal(order.status, "on_hold");
        await page.goto(`/orders/${order.id}`);
        const reasons = byTest(page, "hold-reasons");
        await reasons.waitFor();
        assert.match(await reasons.innerText(), /手机号无效/);
        assert.match(await reasons.innerText(), /customer\.phone_invalid/);
        assert.equal(await byTest(page, "order-ship").count(), 0, "a held order offers no shipping");

        await byTest(page, "order-release").click();
        const dialog = page.locator(".el-dialog:visible");
        await dialog.locator(".el-checkbox").filter({ hasText: "手机号无效" }).click();
        await fill(page, "release-reason", "已电话确认地址");
        await byTest(page, "release-confirm").click();
        await eventually(page, async () => (await statusOf(world, order.id)) === "awaiting_shipment");
        await reasons.waitFor({ state: "detached" });
        await shipThroughPage(page, `SF${Date.now()}`);
        await eventually(page, async () => (await statusOf(world, order.id)) === "shipped");
      }));
  });
}
