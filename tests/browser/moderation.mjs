// The moderator console in a real browser: the queue is refused to a visitor (403); the
// moderator signs in, follows the group header's "Moderation" link to the report queue,
// finds the report filed on another instance, resolves it with removal, and finds it on
// the resolved tab and in the public moderation log. axe-core and screenshots on the
// queue, the log and the thread a moderator sees; the resolution also works without
// JavaScript (the second report, dismissed).
// Usage: node moderation.mjs BASE_URL GROUP QUESTION_ID MODERATOR PASSWORD ANSWER_TEXT
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, qid, moderator, password, answerText] = process.argv.slice(2);
const queue = `${base}/g/${group}/mod/reports`;

async function signIn(page, next) {
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", moderator);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
}

main(async (browser) => {
  const visitor = await newPage(browser, { locale: "en-US" });
  const refused = await visitor.goto(queue);
  check(refused.status() === 403, `a visitor gets 403, not ${refused.status()}`);
  check(!(await visitor.isVisible("#mod-link")), "no console link for a visitor");
  console.log("ok the queue is refused to a visitor");

  const page = await newPage(browser, { locale: "en-US" });
  await signIn(page, `/g/${group}`);
  const link = page.locator("#mod-link");
  check((await link.textContent()).includes("open report"), "the link shows the open reports");
  await link.click();
  await page.waitForURL(queue);
  const entry = page.locator(`section.report:has-text("${answerText}")`);
  await entry.waitFor();
  check((await entry.textContent()).includes("spam link"), "the reporter's reason is shown");
  await axe(page, "mod-queue");
  await screenshots(page, "mod-queue");

  // Keyboard: the note, the removal box and the resolve button are reachable by label.
  await entry.getByLabel("Note (goes into the moderation log)").fill("Spam link, removed.");
  await entry.getByLabel("Also remove the content").check();
  await entry.getByRole("button", { name: "Resolve" }).click();
  await page.waitForURL(queue);
  await page.locator("#no-reports").waitFor();
  console.log("ok resolved with removal");

  await page.click("#tab-resolved");
  await page.waitForURL(`${queue}?tab=resolved`);
  await page.fill("#report-search", "SPAM");
  await page.click("#report-search-submit");
  await page.locator("li.report:has-text('Spam link, removed.')").waitFor();
  await axe(page, "mod-resolved");
  await screenshots(page, "mod-resolved");

  await page.click("#tab-log");
  await page.waitForURL(`${base}/g/${group}/modlog`);
  await page.locator("td:has-text('Removed')").first().waitFor();
  await page.selectOption("#log-action", "remove");
  await page.click("#log-filter");
  await page.waitForURL(/action=remove/);
  check((await page.locator("tbody tr").count()) === 1, "one removal in the log");
  await axe(page, "modlog");
  await screenshots(page, "modlog");

  await page.goto(`${base}/q/${qid}`);
  await axe(page, "thread-moderator");
  await screenshots(page, "thread-moderator");
  await page.click(`#moderate-${qid}`);
  await page.waitForURL(`${base}/p/${qid}/moderate`);
  await axe(page, "post-moderate");
  await screenshots(page, "post-moderate");
  await page.getByLabel("Reason (goes into the public moderation log)").fill("Answered enough.");
  await page.click("#mod-lock");
  await page.waitForURL(new RegExp(`/q/${qid}`));
  await page.goto(`${base}/p/${qid}/moderate`);
  check(await page.isVisible("#mod-unlock"), "the question is locked");
  console.log("ok locked from the thread");
  await page.goto(`${base}/g/${group}/mod/moderators`);
  await page.locator(`li:has-text("${moderator}@")`).waitFor();
  await axe(page, "mod-moderators");
  await screenshots(page, "mod-moderators");
  noProblems(page, "moderator");
  noProblems(visitor, "visitor");
});
