// The console's speed, for `BENCH_ONLY=console bench/run.sh` (docs/benchmarks.md, "Console"):
//
// 1. Sizes: what the built console (--dist, the folder depot serves at /) makes a browser load
//    before any page: index.html's entry script and everything it imports statically (the
//    <link rel=modulepreload> Vite writes, and the entry's own `import … from "./x.js"`, followed
//    through every chunk), and its stylesheets; raw bytes and gzip at level 9 and at zlib's
//    default level. Every chunk's total and the largest chunks loaded on demand give the context.
// 2. Time to first render (with --base): Debian's Chromium, headless, logs in through the console's
//    form once; then, for --rounds rounds, opens /orders in a fresh page and takes the time from
//    navigation start until the first order row ([data-test="order-row"]) is on the screen: with
//    a cold cache (a new browser context, the session cookie alone carried over) and a warm one
//    (pages of the logged-in context, the assets in its cache). The same for one order's page
//    (/orders/<id>, [data-test="order-no"]), with random ids between --min-id and --max-id.
//
// The time is taken inside the page: a MutationObserver notes when the element is in the document
// with a box of its own, and the first task after the next animation frame (the frame that shows
// it) stamps performance.now(), whose origin is the start of the navigation. The page's own
// resource timings (the API calls it made, the assets it loaded) come with every round.
// Writes one JSON object to --out (or stdout). Talks to 127.0.0.1 only.
import { createRequire } from "node:module";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const viewport = { width: 1440, height: 900 };
const renderTimeoutMs = 60_000;

function parseArgs(argv) {
  const options = { rounds: 10, email: "", password: "", base: "", dist: "", out: "", minId: 0, maxId: 0 };
  const names = { "--dist": "dist", "--base": "base", "--email": "email", "--password": "password",
    "--rounds": "rounds", "--min-id": "minId", "--max-id": "maxId", "--out": "out" };
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]];
    if (!name || argv[i + 1] === undefined) throw new Error(`console.mjs: unknown or incomplete option ${argv[i]}`);
    options[name] = ["rounds", "minId", "maxId"].includes(name) ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!options.dist) throw new Error("console.mjs: --dist (the built console's folder) is required");
  if (options.base) {
    const host = new URL(options.base).hostname;
    if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
      throw new Error(`console.mjs: refusing to talk to ${host}: loopback only`);
    }
    if (!options.email || !options.password) throw new Error("console.mjs: --base needs --email and --password");
  }
  return options;
}

// ---- sizes ----

function fileSizes(file) {
  const bytes = readFileSync(file);
  return {
    raw: bytes.length,
    gzip9: gzipSync(bytes, { level: 9 }).length,
    gzip: gzipSync(bytes, { level: constants.Z_DEFAULT_COMPRESSION }).length,
  };
}

function sum(entries) {
  const total = { files: entries.length, raw: 0, gzip9: 0, gzip: 0 };
  for (const e of entries) {
    total.raw += e.raw;
    total.gzip9 += e.gzip9;
    total.gzip += e.gzip;
  }
  return total;
}

// index.html's attributes of the tags that load something: <script src>, <link rel href>.
function htmlReferences(html) {
  const found = { scripts: [], modulepreload: [], stylesheets: [] };
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
    if (tag.startsWith("<script") && attr("type") === "module" && attr("src")) found.scripts.push(attr("src"));
    if (tag.startsWith("<link") && attr("rel") === "modulepreload") found.modulepreload.push(attr("href"));
    if (tag.startsWith("<link") && attr("rel") === "stylesheet") found.stylesheets.push(attr("href"));
  }
  return found;
}

// The chunks a JS chunk imports statically (`import{a as b}from"./x.js"`, `import"./x.js"`,
// `export{…}from"./x.js"`); `import("./x.js")`, loaded on demand, does not match.
function staticImports(code) {
  const pattern = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
  return [...code.matchAll(pattern)].map((m) => m[1]);
}

function chunkName(file) {
  return path.basename(file).replace(/-[\w-]{8}\.(js|css)$/, "");
}

function consoleSizes(dist) {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const refs = htmlReferences(html);
  const local = (url) => path.join(dist, url.replace(/^\//, "").split("?")[0]);
  const initialJs = new Set();
  const pending = [...refs.scripts, ...refs.modulepreload].map(local);
  while (pending.length) {
    const file = pending.pop();
    if (initialJs.has(file)) continue;
    initialJs.add(file);
    for (const spec of staticImports(readFileSync(file, "utf8"))) pending.push(path.resolve(path.dirname(file), spec));
  }
  const preloaded = new Set([...refs.scripts, ...refs.modulepreload].map(local));
  const initialCss = new Set(refs.stylesheets.map(local));

  const assets = path.join(dist, "assets");
  const all = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f)).map((f) => {
    const file = path.join(assets, f);
    return { file: `assets/${f}`, name: chunkName(f), kind: f.endsWith(".css") ? "css" : "js",
      initial: initialJs.has(file) || initialCss.has(file), ...fileSizes(file) };
  });
  const byGzip = (a, b) => b.gzip9 - a.gzip9;
  const lazyJs = all.filter((e) => e.kind === "js" && !e.initial).sort(byGzip);
  return {
    dist,
    entry: refs.scripts,
    initial_js: { ...sum(all.filter((e) => e.kind === "js" && e.initial)),
      not_preloaded: [...initialJs].filter((f) => !preloaded.has(f)).map((f) => path.relative(dist, f)),
      chunks: all.filter((e) => e.kind === "js" && e.initial).sort(byGzip) },
    initial_css: { ...sum(all.filter((e) => e.kind === "css" && e.initial)),
      chunks: all.filter((e) => e.kind === "css" && e.initial).sort(byGzip) },
    all_js: sum(all.filter((e) => e.kind === "js")),
    all_css: sum(all.filter((e) => e.kind === "css")),
    lazy_js: sum(lazyJs),
    largest_lazy_js: lazyJs.slice(0, 8),
    index_html: fileSizes(path.join(dist, "index.html")),
    assets: all,
  };
}

// ---- time to first render ----

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: rank(0.5), p90: rank(0.9), max: sorted[sorted.length - 1], min: sorted[0] };
}

// A small seeded generator, so two runs open the same orders.
function randomIds(minId, maxId, count, seed = 20261124) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => minId + Math.floor(next() * (maxId - minId + 1)));
}

// Runs in the page before its own scripts: stamps when an element matching `selector` is first
// shown (see the header).
function watchFirstRender(selector) {
  const marks = {};
  window.__consoleBench = marks;
  const shown = () => [...document.querySelectorAll(selector)].some((el) => {
    const box = el.getBoundingClientRect();
    const styled = el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : true;
    return box.width > 0 && box.height > 0 && styled;
  });
  const observer = new MutationObserver(() => {
    if (marks.inDocument !== undefined || !shown()) return;
    marks.inDocument = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { marks.painted = performance.now(); };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["class", "style", "hidden"] });
}

async function measurePage(page, url, selector) {
  await page.addInitScript(watchFirstRender, selector);
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__consoleBench?.painted !== undefined, null,
    { timeout: renderTimeoutMs, polling: 20 });
  const wallMs = Date.now() - started;
  return page.evaluate(({ wallMs }) => {
    const marks = window.__consoleBench;
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const resources = performance.getEntriesByType("resource");
    const api = resources.filter((r) => new URL(r.name).pathname.startsWith("/api/")).map((r) => ({
      path: new URL(r.name).pathname, start_ms: r.startTime, end_ms: r.responseEnd,
      duration_ms: r.responseEnd - r.startTime,
      wait_ms: r.responseStart > 0 ? r.responseStart - r.requestStart : null,
    }));
    const assets = resources.filter((r) => new URL(r.name).pathname.startsWith("/assets/")).map((r) => ({
      file: new URL(r.name).pathname.slice(1), start_ms: r.startTime, end_ms: r.responseEnd,
      transfer: r.transferSize, cached: r.transferSize === 0,
    }));
    return {
      render_ms: marks.painted,
      in_document_ms: marks.inDocument,
      wall_ms: wallMs,
      html_ms: nav ? nav.responseEnd : null,
      dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
      first_contentful_paint_ms: fcp ? fcp.startTime : null,
      api, assets,
    };
  }, { wallMs });
}

async function newContext(browser, base, storageState) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: "zh-CN", storageState });
  context.setDefaultTimeout(renderTimeoutMs);
  return context;
}

async function logIn(context, email, password) {
  const page = await context.newPage();
  await page.goto("/login");
  // The data-test names the input itself or the component around it (as in tests/browser).
  const fill = async (name, value) => {
    const target = page.locator(`[data-test="${name}"]`).first();
    const tag = await target.evaluate((node) => node.tagName);
    await (tag === "INPUT" ? target : target.locator("input").first()).fill(value);
  };
  await fill("login-email", email);
  await fill("login-password", password);
  await page.locator('[data-test="login-submit"]').first().click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.close();
}

async function rounds(count, measure) {
  const runs = [];
  for (let i = 0; i < count; i++) runs.push(await measure(i));
  const stat = (key) => percentiles(runs.map((r) => r[key]).filter((v) => typeof v === "number"));
  return { render: stat("render_ms"), first_contentful_paint: stat("first_contentful_paint_ms"),
    html: stat("html_ms"), runs };
}

async function renderTimes(options) {
  const { chromium } = createRequire(path.join(repo, "web", "package.json"))("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const warm = await newContext(browser, options.base);
    await logIn(warm, options.email, options.password);
    const session = await warm.storageState();

    let ids;
    if (options.minId > 0 && options.maxId >= options.minId) {
      ids = randomIds(options.minId, options.maxId, options.rounds * 2 + 1);
    } else {
      const page = await warm.request.get("/api/v1/orders?limit=50");
      const items = (await page.json()).items;
      if (!items.length) throw new Error("console.mjs: the store has no orders");
      ids = Array.from({ length: options.rounds * 2 + 1 }, (_, i) => items[i % items.length].id);
    }

    const pages = [
      { key: "orders", url: () => "/orders", selector: '[data-test="order-row"]' },
      { key: "order", url: (i) => `/orders/${ids[i]}`, selector: '[data-test="order-no"]' },
    ];
    const result = { browser: `Chromium ${browser.version()}`, viewport, rounds: options.rounds };
    for (const p of pages) {
      // One visit first, not counted: depot's first read of that page's data, and the warm
      // context's cache of the page's own chunks.
      const first = await warm.newPage();
      await measurePage(first, p.url(options.rounds * 2), p.selector);
      await first.close();

      const cold = await rounds(options.rounds, async (i) => {
        const context = await newContext(browser, options.base, session);
        try {
          return await measurePage(await context.newPage(), p.url(i), p.selector);
        } finally {
          await context.close();
        }
      });
      const cached = await rounds(options.rounds, async (i) => {
        const page = await warm.newPage();
        try {
          return await measurePage(page, p.url(options.rounds + i), p.selector);
        } finally {
          await page.close();
        }
      });
      result[p.key] = { url: p.key === "orders" ? "/orders" : "/orders/<id>", selector: p.selector,
        cold, warm: cached };
    }
    await warm.close();
    return result;
  } finally {
    await browser.close();
  }
}

// The gzip bytes of the JS and CSS a cold visit of a page loaded, from the sizes of the build.
function loadedBytes(sizes, run) {
  const byFile = new Map(sizes.assets.map((a) => [a.file, a]));
  const loaded = run.assets.map((a) => byFile.get(a.file)).filter(Boolean);
  return { js: sum(loaded.filter((a) => a.kind === "js")), css: sum(loaded.filter((a) => a.kind === "css")),
    chunks: loaded.map((a) => a.file) };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const result = { sizes: consoleSizes(options.dist), loadavg_before: loadavg() };
  if (options.base) {
    result.render = await renderTimes(options);
    for (const key of ["orders", "order"]) {
      result.render[key].cold_loaded = loadedBytes(result.sizes, result.render[key].cold.runs[0]);
    }
  }
  result.loadavg_after = loadavg();
  const text = JSON.stringify(result, null, 1) + "\n";
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
