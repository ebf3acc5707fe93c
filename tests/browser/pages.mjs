// Reading pages in a real browser: home → group → thread → search → profile, by clicks,
// with axe-core and screenshots of each page type.
// Usage: node pages.mjs BASE_URL GROUP QUESTION_TITLE SEARCH_WORD AUTHOR REMOTE_HANDLE
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, title, word, author, remote] = process.argv.slice(2);

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });

  await page.goto(`${base}/`);
  check((await page.getAttribute("html", "lang")) === "en", "lang is en");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement.classList.contains("skip")), "the first Tab reaches the skip link");
  await axe(page, "home");
  await screenshots(page, "home");

  await page.click(`a[href="/g/${group}"]`);
  await page.waitForURL(`${base}/g/${group}`);
  check(await page.isVisible(`text=${title}`), "the group lists the question");
  check((await page.textContent("#group-handle")).includes(`@${group}@`), "the handle is shown");
  check(await page.isVisible("button[data-copy]"), "the copy button is enhanced by script");
  await axe(page, "group");
  await screenshots(page, "group");
  await page.click("nav.tabs >> text=Solved");
  await page.waitForURL(/sort=solved/);
  check(await page.isVisible(`text=${title}`), "the solved question is in the solved list");
  await page.click("nav.tabs >> text=Unanswered");
  await page.waitForURL(/sort=unanswered/);
  check(!(await page.isVisible(`text=${title}`)), "the solved question is not unanswered");

  await page.goto(`${base}/g/${group}`);
  await page.click(`text=${title}`);
  await page.waitForURL(/\/q\/\d+$/);
  check((await page.textContent("h1")).includes(title), "the thread shows the question");
  const first = page.locator("article.post").first();
  check((await first.getAttribute("class")).includes("accepted"), "the accepted answer comes first");
  check(await first.locator(".accepted-mark").isVisible(), "the accepted answer is marked");
  check(await page.isVisible("ol.comments li"), "comments are shown");
  check(await page.isVisible(".tombstone"), "a deleted answer is shown as deleted");
  if (remote) {
    const link = page.locator(`a:has-text("@${remote}")`).first();
    check(await link.isVisible(), `the remote author ${remote} is shown`);
    const href = await link.getAttribute("href");
    check(href.startsWith("http") && !href.startsWith(base), `the remote author links to their server: ${href}`);
  }
  await axe(page, "thread");
  await screenshots(page, "thread");
  const threadUrl = page.url();

  await page.fill("#site-search", word);
  await page.press("#site-search", "Enter");
  await page.waitForURL(/\/search\?/);
  check((await page.locator("ul.results li").count()) > 0, "search finds the question");
  check((await page.locator("ul.results mark").first().textContent()).toLowerCase() === word.toLowerCase(), "matches are highlighted");
  await axe(page, "search");
  await screenshots(page, "search");
  await page.selectOption("#status", "unanswered");
  await page.click("form.search-filters button[type=submit]");
  await page.waitForURL(/status=unanswered/);
  check(!(await page.isVisible(`ul.results >> text=${title}`)), "the unanswered filter leaves the solved question out");

  await page.goto(threadUrl);
  await page.click(`article.question a:has-text("@${author}@")`);
  await page.waitForURL(`${base}/u/${author}`);
  check(await page.isVisible("#rep-h"), "the profile shows reputation");
  check(await page.isVisible(`text=${title}`), "the profile lists the question");
  await axe(page, "profile");
  await screenshots(page, "profile");

  const missing = await page.goto(`${base}/q/999999999`);
  check(missing.status() === 404, `a missing thread is 404: ${missing.status()}`);
  check((await page.textContent("h1")).trim() === "Not found", "the 404 page is readable");
  await axe(page, "not-found");
  await screenshots(page, "not-found");
  noProblems(page, "pages");
});
