// Runs the real depot for a test file: a fresh data directory with merchant "alpha" (an owner, an
// operator and a viewer who log in, and an owner API key for setting things up), then
// `depot serve` on a free loopback port with the built console as its web root. Stopped and
// removed again in `stop()`.
import { execFile, spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);
const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;

export const password = "Browser-test-pw-2026";
export const roles = ["owner", "operator", "viewer"];

export function depotBinary() {
  return process.env.DEPOT_BIN || path.join(repo, "build", "depot");
}

export function emailOf(role, tenant = "alpha") {
  return `${role}@${tenant}.example.com`;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function cli(...args) {
  try {
    const { stdout } = await run(depotBinary(), args, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    throw new Error(`\`depot ${args.join(" ")}\` failed: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

// A JSON client for the API with an API key (what a merchant's own system would use).
export class ApiClient {
  constructor(base, key) {
    this.base = base;
    this.key = key;
  }

  async request(method, urlPath, body) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${this.key}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(this.base + urlPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  // The request must answer `status`; returns its JSON body.
  async expect(status, method, urlPath, body) {
    const answer = await this.request(method, urlPath, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${urlPath}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 500)}`);
    }
    return answer.json;
  }

  get(urlPath) {
    return this.expect(200, "GET", urlPath);
  }

  async createProduct(sku, name, price = 2990) {
    await this.expect(201, "POST", "/api/v1/products", { sku, name, price });
    return sku;
  }

  async receive(sku, quantity) {
    return this.expect(201, "POST", "/api/v1/inventory/receipts", { sku, quantity });
  }

  async createOrder(sku, { quantity = 1, unitPrice = 2990, name = "李四", phone = "13800138000" } = {}) {
    return this.expect(201, "POST", "/api/v1/orders", orderBody(sku, { quantity, unitPrice, name, phone }));
  }

  async pay(order) {
    return this.expect(201, "POST", `/api/v1/orders/${order.id}/payments`, {
      amount: order.total - order.paid_amount,
      method: "alipay",
      reference: `pay-${order.order_no}`,
    });
  }
}

export function orderBody(sku, { quantity, unitPrice, name, phone }) {
  return {
    lines: [{ sku, quantity, unit_price: unitPrice }],
    customer: { name, phone, email: "customer@example.com" },
    shipping_address: {
      province: "上海市",
      city: "上海市",
      district: "浦东新区",
      detail: "世纪大道 1 号",
      postcode: "200120",
    },
  };
}

export class Depot {
  constructor(dir) {
    this.dir = dir;
    this.dataDir = path.join(dir, "data");
    this.logPath = path.join(dir, "server.log");
    this.proc = null;
    this.keys = {};
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  api(tenant = "alpha") {
    return new ApiClient(this.base, this.keys[tenant]);
  }

  // A merchant with a user per role (all with `password`) and an owner API key.
  async addMerchant(tenant) {
    for (const role of roles) {
      await cli("user", "create", "--data", this.dataDir, "--tenant", tenant, "--email", emailOf(role, tenant),
        "--role", role, "--password", password);
    }
    const out = await cli("apikey", "create", "--data", this.dataDir, "--tenant", tenant, "--role", "owner");
    this.keys[tenant] = out.trim().split("\n").at(-1).trim();
  }

  async start() {
    this.port = await freePort();
    const log = openSync(this.logPath, "a");
    this.proc = spawn(depotBinary(), ["serve", "--data", this.dataDir, "--listen", `127.0.0.1:${this.port}`,
      "--web-root", path.join(repo, "web", "dist")], { stdio: ["ignore", log, log] });
    closeSync(log);
    this.exited = new Promise((resolve) => this.proc.once("exit", (code, signal) => resolve(code ?? signal)));
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`depot serve exited while starting:\n${await this.logTail()}`);
      try {
        if ((await fetch(`${this.base}/readyz`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop();
    throw new Error(`depot serve did not answer /readyz within ${startTimeoutMs / 1000}s:\n${await this.logTail()}`);
  }

  // Stops the server gracefully (SIGKILL if it takes too long); returns its exit code, or the
  // signal that ended it.
  async stop() {
    if (!this.proc) return 0;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill("SIGTERM");
      const timer = setTimeout(() => this.proc.kill("SIGKILL"), stopTimeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.proc = null;
    return this.exited;
  }

  // Stops the server and removes its data directory, keeping its log in `keepLogIn` if given.
  // A server that does not stop cleanly (a crash, or a sanitizer's report at exit) is an error.
  async dispose(keepLogIn) {
    const exit = await this.stop();
    const tail = exit === 0 ? "" : await this.logTail();
    if (keepLogIn) {
      await mkdir(keepLogIn, { recursive: true });
      await copyFile(this.logPath, path.join(keepLogIn, "depot-server.log")).catch(() => {});
    }
    await rm(this.dir, { recursive: true, force: true });
    if (exit !== 0) throw new Error(`depot serve ended with ${exit}:\n${tail}`);
  }

  async logTail(lines = 60) {
    try {
      return (await readFile(this.logPath, "utf8")).split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  // Customers hear about shipping through the sandbox channels (kept in depot's sandbox inbox).
  async useSandboxChannels(tenant = "alpha") {
    for (const channel of ["sms", "email"]) {
      const answer = await this.api(tenant).request("PUT", `/api/v1/channels/${channel}`, { sandbox: true });
      if (answer.status !== 200 && answer.status !== 201) {
        throw new Error(`PUT /api/v1/channels/${channel}: ${answer.status} ${answer.text}`);
      }
    }
  }
}

// A running depot with merchants "alpha" (whose customers are notified through the sandbox) and
// "beta" (another merchant, for isolation checks).
export async function startDepot() {
  const depot = new Depot(await mkdtemp(path.join(tmpdir(), "depot-browser-")));
  try {
    await cli("migrate", "--data", depot.dataDir);
    await depot.addMerchant("alpha");
    await depot.addMerchant("beta");
    await depot.start();
    await depot.useSandboxChannels("alpha");
  } catch (error) {
    await depot.dispose().catch(() => {});
    throw error;
  }
  return depot;
}
