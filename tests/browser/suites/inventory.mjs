// Products and stock in the console: a product with its picture, and a receipt that moves on-hand.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { byTest, choose, eventually, fill, withPage } from "../lib/browser.mjs";

// A small PNG drawn by the browser itself, so the suite carries no binary files.
async function drawPng(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 64;
    const g = canvas.getContext("2d");
    g.fillStyle = "#1d4ed8";
    g.fillRect(0, 0, 64, 64);
    g.fillStyle = "#facc15";
    g.fillRect(16, 16, 32, 32);
    return canvas.toDataURL("image/png");
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

function productRow(page, sku) {
  return byTest(page, "product-row").filter({ hasText: sku });
}

function number(text) {
  return Number(text.replace(/[^\d-]/g, ""));
}

export function inventorySuite(world) {
  describe("inventory", () => {
    test("a product created with an image shows in the list with its image", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const sku = `CUP-${Date.now()}`;
        await page.goto("/inventory");
        await byTest(page, "new-product-button").click();
        await fill(page, "product-sku", sku);
        await fill(page, "product-name", "青花瓷杯");
        await fill(page, "product-price", "39.90");
        const upload = byTest(page, "product-image").first();
        const fileInput = (await upload.evaluate((n) => n.tagName)) === "INPUT" ? upload : upload.locator('input[type="file"]');
        await fileInput.setInputFiles({ name: "cup.png", mimeType: "image/png", buffer: await drawPng(page) });
        await byTest(page, "product-save").click();

        const row = productRow(page, sku);
        await row.waitFor();
        assert.match(await row.innerText(), /青花瓷杯/);
        const image = row.locator('img[src*="/media/"]').first();
        await image.waitFor();
        await eventually(page, () => image.evaluate((img) => img.complete && img.naturalWidth === 64));

        const stored = await world.depot.api().get(`/api/v1/products/${sku}`);
        assert.equal(stored.price, 3990);
        assert.equal(stored.images.length, 1);
      }));

    test("receiving stock changes on-hand in the list and on the product", (t) =>
      withPage(world, t, { role: "operator" }, async (page) => {
        const api = world.depot.api();
        const sku = await api.createProduct(`TEA-${Date.now()}`, "龙井茶");
        await api.receive(sku, 5);
        const { location } = await api.expect(201, "POST", "/api/v1/warehouses/main/locations",
          { code: `A${Date.now() % 100000}` });
        await page.goto("/inventory");
        const onHand = productRow(page, sku).locator('[data-test="product-on-hand"]');
        await eventually(page, async () => number(await onHand.innerText()) === 5);

        await byTest(page, "receive-button").first().click();
        await fill(page, "receipt-sku", sku);
        await choose(page, "receipt-location", location);
        await fill(page, "receipt-quantity", 12);
        await byTest(page, "receipt-save").click();
        await eventually(page, async () => number(await onHand.innerText()) === 17);

        await productRow(page, sku).click();
        await page.waitForURL(`**/inventory/products/${sku}`);
        await eventually(page, async () => number(await byTest(page, "stock-on-hand").innerText()) === 17);
        const stock = await api.get(`/api/v1/inventory/${sku}`);
        assert.equal(stock.on_hand, 17);
        assert.ok(stock.locations.some((l) => l.location === location && l.on_hand === 12), JSON.stringify(stock));
      }));
  });
}
