// The knowledge base in a real browser: a moderator turns a solved thread into an article
// (a missing title comes back at its field with the body kept; preview; save), edits it
// with history, finds it in the group's list and search, marks it reviewed and retires
// it. axe-core and screenshots of every knowledge-base page.
// Usage: node kb.mjs BASE_URL QUESTION_ID GROUP MODERATOR PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, qid, group, moderator, password] = process.argv.slice(2);

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(`/q/${qid}`)}`);
  await page.fill("#username", moderator);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/q/${qid}`);

  // From the solved thread: the form starts from the thread's title and accepted answer.
  await page.click("#write-article");
  await page.waitForURL(`${base}/q/${qid}/article`);
  check((await page.inputValue("#title")).length > 0, "the title starts from the thread's");
  const body = await page.inputValue("#body");
  check(body.includes("firmware"), `the body starts from the accepted answer: ${body}`);
  await axe(page, "kb-new");
  await screenshots(page, "kb-new");
  await page.fill("#title", "");
  await page.click("#kb-save");
  await page.locator("#title-error").waitFor();
  check((await page.inputValue("#body")) === body, "the body is kept");
  await axe(page, "kb-new-refused");
  await page.fill("#title", "Fix the E42 error with firmware 2.1");
  await page.fill("#tags", "printers firmware");
  await page.click("#kb-preview");
  await page.locator("#preview-h").waitFor();
  await page.click("#kb-save");
  await page.waitForURL(/\/kb\/\d+$/);
  const article = new URL(page.url()).pathname;
  await page.locator("#kb-title").waitFor();
  check((await page.textContent("#kb-title")).includes("E42"), "the article shows");
  await axe(page, "kb-article");
  await screenshots(page, "kb-article");
  console.log(`ok written ${article}`);

  // An edit keeps the earlier version in the history.
  await page.click("#kb-edit");
  await page.locator("#body").waitFor();
  await page.fill("#body", `${body}\n\nAlso check the cable.`);
  await page.click("#kb-save");
  await page.waitForURL(`${base}${article}`);
  check((await page.textContent("#kb-article")).includes("check the cable"), "the edit shows");
  await page.click("#kb-history");
  await page.waitForURL(`${base}${article}/history`);
  await axe(page, "kb-history");
  await screenshots(page, "kb-history");

  // The group's list and its search.
  await page.goto(`${base}/g/${group}`);
  await page.click("#kb-link");
  await page.waitForURL(`${base}/g/${group}/kb`);
  check((await page.textContent("#kb-list")).includes("E42"), "listed");
  await page.fill("#kb-q", "firmware");
  await page.press("#kb-q", "Enter");
  await page.waitForURL(/\/kb\?q=firmware/);
  check((await page.textContent("#kb-list")).includes("E42"), "found by search");
  await axe(page, "kb-list");
  await screenshots(page, "kb-list");
  await page.fill("#kb-q", "zebra");
  await page.press("#kb-q", "Enter");
  await page.waitForURL(/\/kb\?q=zebra/);
  await page.locator("#kb-none").waitFor();
  console.log("ok listed and searched");

  // Reviewed, then retired.
  await page.goto(`${base}${article}`);
  await page.click("#kb-mark-reviewed");
  await page.waitForURL(`${base}${article}`);
  await page.click("#kb-retire");
  await page.waitForURL(`${base}${article}`);
  await page.locator("#kb-retired").waitFor();
  await axe(page, "kb-retired");
  noProblems(page, "moderator");
  console.log("ok reviewed and retired");
});
