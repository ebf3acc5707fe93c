// A group's support metrics in a real browser: a moderator opens the metrics tab, sees
// the figures, the two charts (role="img" with a title) and their data table, switches
// to a preset and to dates; axe-core and screenshots. Signed out, the page is refused.
// Usage: node metrics.mjs BASE_URL GROUP MODERATOR PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, moderator, password] = process.argv.slice(2);
const metrics = `${base}/g/${group}/mod/metrics`;

main(async (browser) => {
  const visitor = await newPage(browser, { locale: "en-US" });
  const refused = await visitor.goto(metrics);
  check(refused.status() === 403, `refused to visitors (${refused.status()})`);

  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(`/g/${group}/mod/metrics`)}`);
  await page.fill("#username", moderator);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(metrics);
  await page.locator("#metrics-figures").waitFor();
  check(
    (await page.getAttribute("#m-questions data", "value")) === "2",
    "two questions in the last 30 days",
  );
  check((await page.locator("svg[role=img] > title").count()) === 2, "two charts with titles");
  check((await page.locator("#metrics-weeks tbody tr").count()) >= 4, "a row per week");
  await axe(page, "group-metrics");
  await screenshots(page, "group-metrics");
  noProblems(page, "metrics page");
  console.log("ok the metrics page");

  await page.click("text=Last 7 days");
  await page.waitForURL(`${metrics}?days=7`);
  check(
    (await page.locator("#metrics-weeks tbody tr").count()) === 1,
    "one week in the last 7 days",
  );
  console.log("ok preset");

  await page.fill("#metrics-from", "2026-01-05");
  await page.fill("#metrics-to", "2026-01-18");
  await page.click("#metrics-dates button[type=submit]");
  await page.waitForURL(/from=2026-01-05&to=2026-01-18/);
  check(
    (await page.getAttribute("#m-questions data", "value")) === "0",
    "no questions in January",
  );
  await axe(page, "group-metrics-dates");
  noProblems(page, "metrics page with dates");
  console.log("ok dates");
});
