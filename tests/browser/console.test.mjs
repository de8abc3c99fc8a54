// The merchant console in a real browser against a real depot: one server and one Chromium for
// the whole run (starting them is most of the cost), a fresh browser profile for every test.
// Each suite makes its own products and orders, so tests do not depend on one another.
import { after, before } from "node:test";
import { startDepot } from "./lib/depot.mjs";
import { forgetEarlierFailures, launchBrowser, screenshotDir } from "./lib/browser.mjs";
import { sessionSuite } from "./suites/session.mjs";
import { inventorySuite } from "./suites/inventory.mjs";
import { ordersSuite } from "./suites/orders.mjs";
import { rolesSuite } from "./suites/roles.mjs";
import { tenancySuite } from "./suites/tenancy.mjs";
import { screenshotSuite } from "./suites/screenshots.mjs";
import { accessibilitySuite } from "./suites/accessibility.mjs";

const world = { depot: null, browser: null };

before(async () => {
  await forgetEarlierFailures();
  world.depot = await startDepot();
  world.browser = await launchBrowser();
});

after(async () => {
  await world.browser?.close();
  // The server's log stays beside the pictures, for reading after a failure.
  await world.depot?.dispose(screenshotDir());
});

sessionSuite(world);
inventorySuite(world);
ordersSuite(world);
rolesSuite(world);
tenancySuite(world);
accessibilitySuite(world);
screenshotSuite(world);
