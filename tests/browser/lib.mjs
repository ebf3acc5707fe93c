// Shared helpers of the browser tests: launching Debian's Chromium, axe-core checks,
// screenshots, and failing loudly on CSP violations or script errors.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const SHOTS = process.env.SCREENSHOT_DIR || "target/screenshots";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that records console errors (CSP violations among them) and script errors. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => {
    // Refused forms answer 4xx on purpose; the browser logs those loads as errors.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  return page;
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

export function noProblems(page, where) {
  check(page.problems.length === 0, `${where}: ${page.problems.join("; ")}`);
}

/** Runs axe-core on the page (evaluated through the debugger, so the page's CSP allows
 *  it) and fails on serious or critical violations. */
export async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) {
    console.log(`axe ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }
  check(bad.length === 0, `${name}: ${bad.length} serious/critical axe violations`);
  console.log(`ok axe ${name} (${result.violations.length} minor)`);
}

/** Screenshots of the page at 1280 and 375 px wide. */
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  console.log(`ok screenshots ${name}`);
}

/** Runs `body`, printing the failure and exiting 1 when it throws. */
export async function main(body) {
  let browser;
  try {
    browser = await launch();
    await body(browser);
    console.log("ALL OK");
  } catch (e) {
    console.log(`FAILED: ${e.stack || e}`);
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close();
  }
}
