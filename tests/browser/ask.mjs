// Asking, notifications and settings in a real browser: sign in → ask from the group page;
// typing the title suggests a solved question with its accepted answer's first lines →
// open it (counted) → back, ask anyway (guidelines to tick) → another user answers through
// the API → the unread count and the notification → open it, it is read → a second ask
// that ends at a suggestion → settings: German pages.
// Usage: node ask.mjs BASE_URL GROUP USER PASSWORD SOLVED_TITLE ANSWER_START ANSWERER_TOKEN
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, user, password, solvedTitle, answerStart, answererToken] = process.argv.slice(2);
const title = "Printer light keeps blinking red";

async function typeTitle(page, text) {
  await page.locator("#title").fill("");
  await page.locator("#title").pressSequentially(text, { delay: 20 });
  try {
    await page.waitForSelector("#similar li.suggestion", { timeout: 10000 });
  } catch (e) {
    // What the server answers, for the failure message.
    const html = await page.evaluate(async (t) => {
      const r = await fetch(`/ask/similar?title=${encodeURIComponent(t)}`);
      return `${r.status} ${await r.text()} | ${document.getElementById("similar").innerHTML}`;
    }, text);
    throw new Error(`no suggestion for ${text}: ${html}`);
  }
}

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });

  await page.goto(`${base}/signin`);
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/u/${user}`);
  console.log("ok signed in");

  await page.goto(`${base}/g/${group}`);
  await page.click("#ask-link");
  await page.waitForURL(`${base}/g/${group}/ask`);
  check((await page.inputValue("#ask-group")) === group, "the group is chosen");
  check(await page.isVisible("#guidelines-ok"), "the first post shows the guidelines to accept");
  await axe(page, "ask");
  await screenshots(page, "ask");

  await typeTitle(page, "printer blinking red");
  const first = page.locator("#similar li.suggestion").first();
  check((await first.locator("a").textContent()).includes(solvedTitle), "the solved question is suggested first");
  check((await first.locator(".excerpt").textContent()).includes(answerStart), "with its accepted answer's first lines");
  check(await first.locator(".badge.ok").isVisible(), "marked solved");
  await axe(page, "ask-similar");
  await screenshots(page, "ask-similar");
  console.log("ok similar questions while typing");

  const token = await page.inputValue("#ask-token");
  await first.locator("a").click();
  await page.waitForURL(/\/q\/\d+$/);
  check((await page.textContent("h1")).includes(solvedTitle), "the suggestion opens");
  await page.goBack();
  await page.waitForURL(`${base}/g/${group}/ask`);
  check((await page.inputValue("#ask-token")) === token, "the same ask form after going back");
  console.log("ok suggestion opened");

  await page.locator("#title").fill(title);
  await page.fill("#body", "Since yesterday the light **blinks red**. I tried a restart.");
  await page.waitForSelector("#preview .preview strong");
  check((await page.textContent("#preview .preview strong")) === "blinks red", "the preview is rendered");
  await page.fill("#tags", "light, red");
  await page.click("#ask-submit");
  await page.waitForSelector("#guidelines-error");
  check((await page.inputValue("#title")) === title, "the title is kept");
  check((await page.inputValue("#body")).includes("blinks red"), "the body is kept");
  check((await page.getAttribute("#guidelines-ok", "aria-describedby")) === "guidelines-error", "the error is tied to the box");
  await axe(page, "ask-error");
  await screenshots(page, "ask-error");
  await page.check("#guidelines-ok");
  await page.click("#ask-submit");
  await page.waitForURL(/\/q\/\d+$/);
  check((await page.textContent("h1")).includes(title), "the question is posted");
  const qid = page.url().match(/\/q\/(\d+)$/)[1];
  console.log("ok asked");

  const resp = await fetch(`${base}/api/v1/questions/${qid}/answers`, {
    method: "POST",
    headers: { authorization: `Bearer ${answererToken}`, "content-type": "application/json" },
    body: JSON.stringify({ body: "Replace the ink: red means empty." }),
  });
  check(resp.status === 201, `the answer was posted: ${resp.status}`);
  // The answer is notified (the question may have earned a badge as well).
  const count = async () => ((await page.isVisible("#nav-unread")) ? parseInt(await page.textContent("#nav-unread"), 10) : 0);
  const answered = `answered your question “${title}”`;
  let unread = 0;
  for (let i = 0; i < 40; i++) {
    await page.goto(`${base}/notifications`);
    unread = await count();
    if (unread > 0 && (await page.locator("li.notification.unread", { hasText: answered }).count()) === 1) break;
    await page.waitForTimeout(500);
  }
  check(unread >= 1, `the header shows the unread count: ${unread}`);
  await page.goto(`${base}/`);
  check((await count()) === unread, "the count is in the header of every page");
  await page.click("#nav-notifications");
  await page.waitForURL(`${base}/notifications`);
  const item = page.locator("li.notification.unread", { hasText: answered });
  check((await item.count()) === 1, "the notification says what happened");
  await axe(page, "notifications");
  await screenshots(page, "notifications");
  await item.locator("a").first().click();
  await page.waitForURL(new RegExp(`/q/${qid}#p\\d+$`));
  check((await count()) === unread - 1, "opened, it is read");
  await page.goto(`${base}/notifications`);
  check((await page.locator("li.notification", { hasText: answered }).count()) === 1, "still listed");
  check((await page.locator("li.notification.unread", { hasText: answered }).count()) === 0, "and no longer unread");
  console.log("ok notification read");

  // A second ask that ends at a suggestion (counted as deflected).
  await page.goto(`${base}/ask`);
  await page.selectOption("#ask-group", group);
  await typeTitle(page, "blinking red light");
  await page.locator("#similar li.suggestion a").first().click();
  await page.waitForURL(/\/q\/\d+$/);
  console.log("ok second ask deflected");

  await page.goto(`${base}/settings`);
  await axe(page, "settings");
  await screenshots(page, "settings");
  await page.selectOption("#language", "de");
  await page.selectOption("#email_answer", "digest");
  await page.click("#settings-submit");
  await page.waitForURL(`${base}/settings?done=1`);
  check((await page.getAttribute("html", "lang")) === "de", "the page is German");
  check((await page.textContent("h1")).trim() === "Einstellungen", "the heading is German");
  check((await page.inputValue("#email_answer")) === "digest", "the email choice is kept");
  await axe(page, "settings-de");
  await screenshots(page, "settings-de");
  await page.goto(`${base}/g/${group}/ask`);
  check((await page.textContent("#ask-submit")).trim() === "Frage veröffentlichen", "other pages are German too");
  console.log("ok german");
  noProblems(page, "ask");
});
