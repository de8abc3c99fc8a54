// Debian's Chromium driven by playwright-core (the copy in web/node_modules, resolved from web/ as
// the console's own build resolves it: no browser is ever downloaded), and the steps every test
// takes through the console: logging in and working Element Plus controls.
import { createRequire } from "node:module";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { emailOf, password, repo } from "./depot.mjs";

const { chromium } = createRequire(path.join(repo, "web", "package.json"))("playwright-core");

export const desktop = { width: 1440, height: 900 };
export const phone = { width: 390, height: 844 };

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// A fresh browser profile (no cookies) on the depot, in the console's default language.
export async function openPage(browser, depot, viewport = desktop) {
  const context = await browser.newContext({ baseURL: depot.base, viewport, locale: "zh-CN" });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

export const byTest = (page, name) => page.locator(`[data-test="${name}"]`);

// Types into the input a data-test names: the input itself, or the one inside the component.
export async function fill(page, name, value) {
  const target = byTest(page, name).first();
  const tag = await target.evaluate((node) => node.tagName);
  const input = tag === "INPUT" || tag === "TEXTAREA" ? target : target.locator("input, textarea").first();
  await input.fill(String(value));
}

export async function logIn(page, role, tenant = "alpha") {
  await page.goto("/login");
  await fill(page, "login-email", emailOf(role, tenant));
  await fill(page, "login-password", password);
  await byTest(page, "login-submit").click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

// Picks `text` in the Element Plus select a data-test names (its popper needs clicks, not fill());
// a plain input offered instead (e.g. one with a datalist) is typed into.
export async function choose(page, name, text) {
  const control = byTest(page, name).first();
  if (!(await control.evaluate((node) => node.closest(".el-select") !== null))) {
    await fill(page, name, text);
    return;
  }
  await control.click();
  // The options live in a popper at the end of <body>, not inside the select.
  await page.locator(".el-select-dropdown__item:visible").filter({ hasText: text }).first().click();
}

// Walks an Element Plus cascader: each level's node is clicked in its own menu column.
export async function cascade(page, name, labels) {
  await byTest(page, name).first().click();
  for (const [level, label] of labels.entries()) {
    const menu = page.locator(".el-cascader-panel:visible .el-cascader-menu").nth(level);
    await menu.locator(".el-cascader-node").filter({ hasText: label }).first().click();
  }
  // Picking the last level closes the panel.
  await page.locator(".el-cascader__dropdown:visible").waitFor({ state: "hidden" });
}

// The CSRF token of the page's session (GET /api/v1/session, as the console loads it).
export function csrfToken(page) {
  return page.evaluate(async () => (await (await fetch("/api/v1/session")).json()).csrf_token);
}

// A request from inside the page, with its session cookie, as a script on the page could send it.
export function fetchInPage(page, method, url, body, headers = {}) {
  return page.evaluate(async ({ method, url, body, headers }) => {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    return { status: response.status, text: await response.text() };
  }, { method, url, body, headers });
}

export function screenshotDir() {
  return process.env.DEPOT_SCREENSHOTS || path.join(repo, "build", "screenshots");
}

// Removes the failure pictures of an earlier run, so that those left are this run's.
export async function forgetEarlierFailures() {
  const dir = screenshotDir();
  const names = await readdir(dir).catch(() => []);
  await Promise.all(names.filter((n) => n.startsWith("failed-")).map((n) => rm(path.join(dir, n))));
}

export async function screenshot(page, name) {
  const dir = screenshotDir();
  await mkdir(dir, { recursive: true });
  const width = page.viewportSize().width;
  // Let lazy chunks, data and charts settle before the picture (the alert stream stays open, so
  // "network idle" never comes): no loading mask, then a moment for animations.
  await page.locator(".el-loading-mask:visible").first().waitFor({ state: "hidden" }).catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: false });
}

// Runs `steps` on a page of a fresh profile, logged in as `role` (none: not logged in), closes
// the profile afterwards and returns what `steps` returned. A failing test leaves a picture of where it stopped,
// failed-<test>.png, beside the screenshots.
export async function withPage(world, t, { role, tenant = "alpha", viewport = desktop } = {}, steps) {
  const page = await openPage(world.browser, world.depot, viewport);
  try {
    if (role) await logIn(page, role, tenant);
    return await steps(page);
  } catch (error) {
    const name = t.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await mkdir(screenshotDir(), { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir(), `failed-${name}.png`) }).catch(() => {});
    throw error;
  } finally {
    await page.context().close();
  }
}

// Waits until `check` (an async function) returns a truthy value, reloading the page between
// tries when `reload` is set; returns that value.
export async function eventually(page, check, { timeoutMs = 15_000, reload = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs / 1000}s: ${check}`);
    if (reload) await page.reload();
    await page.waitForTimeout(reload ? 500 : 200);
  }
}
