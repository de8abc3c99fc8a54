// Accessibility (WCAG 2 A and AA) of every console page as axe-core (web's dev dependency) finds
// it: labels on inputs, contrast, valid ARIA, names on buttons and links. The pages are checked
// as an owner sees them (every control shown), at 1440 wide and on a phone.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { byTest, phone, withPage } from "../lib/browser.mjs";
import { repo } from "../lib/depot.mjs";

const axeSource = readFileSync(
  createRequire(path.join(repo, "web", "package.json")).resolve("axe-core/axe.min.js"),
  "utf8",
);

// Element Plus's autocomplete names option -1 as its active descendant while none is highlighted
// (an id that exists in no page): a fault of the library, not of a page, left out of the count.
function isLibraryFault(violation, node) {
  return violation.id === "aria-valid-attr-value" && /aria-activedescendant="[^"]*--1"/.test(node.html);
}

async function violations(page) {
  // Contrast is measured on what is shown: wait until tags and dialogs have finished fading in.
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== "running"),
  );
  // Evaluated through the browser's debugging protocol: the pages' Content-Security-Policy, which
  // refuses inline scripts, stays on.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"], resultTypes: ["violations"] }),
  );
  return result.violations.flatMap((v) =>
    v.nodes.filter((n) => !isLibraryFault(v, n)).map((n) => `${v.id}: ${n.target.join(" ")}`),
  );
}

const pages = ["/dashboard", "/orders", "/orders/new", "/customers", "/inventory", "/shipping", "/notifications",
  "/rules", "/after-sales", "/tickets", "/users", "/settings"];

export function accessibilitySuite(world) {
  describe("accessibility", () => {
    test("every page passes WCAG 2 AA checks", (t) =>
      withPage(world, t, { role: "owner" }, async (page) => {
        const api = world.depot.api();
        const sku = await api.createProduct(`A11Y-${Date.now()}`, "无障碍检查杯");
        await api.receive(sku, 5);
        const order = await api.createOrder(sku, { quantity: 1, name: "钱九" });
        const found = [];
        for (const url of [...pages, `/orders/${order.id}`]) {
          await page.goto(url);
          await page.locator(".page-title, [data-test='order-no']").first().waitFor();
          for (const v of await violations(page)) found.push(`${url} ${v}`);
        }
        assert.deepEqual(found, []);
      }));

    test("the orders page passes on a phone", (t) =>
      withPage(world, t, { role: "owner", viewport: phone }, async (page) => {
        await page.goto("/orders");
        await byTest(page, "order-row").first().waitFor();
        assert.deepEqual(await violations(page), []);
      }));
  });
}
