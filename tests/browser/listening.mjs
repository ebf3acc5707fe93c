// Listening in a real browser, in two phases around the posts the Rust test delivers.
// "terms": a staff member goes from the staff inbox to Listening, adds a hashtag and
// words, is refused a bare "#" (what they typed kept, the field marked), adds a term
// and removes it again. "queue": the matching posts are listed with their author, the
// term matched, a link to the original and a sanitised excerpt; one is dismissed, one
// marked handled, one answered from the staff member's account (too long first: refused,
// the text kept), each tab of the queue shows what it should, and the dismissed one is
// put back, then its author invited to ask in GROUP. axe-core and screenshots of every
// state.
// Usage: node listening.mjs BASE_URL STAFF PASSWORD terms|queue GROUP
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, staff, password, phase, group] = process.argv.slice(2);

async function signIn(browser, name, next) {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
  return page;
}

async function addTerm(page, term) {
  await page.fill("#listening-term", term);
  await page.click("#listening-term-new button[type=submit]");
}

const terms = async (page) =>
  (await page.locator("#listening-terms code").allTextContents()).map((t) => t.trim());

/** The queue's item whose excerpt has `text`. */
const item = (page, text) => page.locator("#listening-items > li", { hasText: text });

async function termsPhase(page) {
  await page.click("#staff-listening-link");
  await page.waitForURL(`${base}/staff/listening`);
  await page.locator("#listening-terms-none").waitFor();
  await page.locator("#listening-none").waitFor();
  await axe(page, "listening-empty");
  await screenshots(page, "listening-empty");

  await addTerm(page, "#BrandTag");
  await page.waitForURL(`${base}/staff/listening`);
  await addTerm(page, "Acme Widgets");
  await page.waitForURL(`${base}/staff/listening`);
  let listed = await terms(page);
  check(listed.join("|") === "#brandtag|acme widgets", `the terms: ${listed}`);

  // A bare "#" is refused: the message by the field, what was typed kept.
  await page.evaluate(() => document.querySelector("#listening-term").removeAttribute("required"));
  await addTerm(page, "#");
  await page.locator("#listening-error").waitFor();
  check((await page.inputValue("#listening-term")) === "#", "what was typed is kept");
  check((await page.getAttribute("#listening-term", "aria-invalid")) === "true", "the field is marked");
  const described = await page.getAttribute("#listening-term", "aria-describedby");
  check(described.split(" ").includes("listening-error"), `the field is tied to the error: ${described}`);
  await axe(page, "listening-term-refused");
  await screenshots(page, "listening-term-refused");

  // Added and removed again.
  await addTerm(page, "#temporary");
  await page.waitForURL(`${base}/staff/listening`);
  check((await terms(page)).includes("#temporary"), "the term is added");
  await page.getByRole("button", { name: "Remove the term #temporary" }).click();
  await page.waitForURL(`${base}/staff/listening`);
  listed = await terms(page);
  check(listed.join("|") === "#brandtag|acme widgets", `removed again: ${listed}`);
  await axe(page, "listening-terms");
  await screenshots(page, "listening-terms");
  console.log("ok terms");
}

async function queuePhase(page) {
  const items = page.locator("#listening-items > li");
  check((await items.count()) === 3, `three posts matched: ${await items.count()}`);
  check((await item(page, "Nice weather").count()) === 0, "the others are not listed");
  const tagged = item(page, "My printer jams again");
  const meta = (await tagged.locator(".meta").textContent()).replace(/\s+/g, " ");
  check(meta.includes("carol@") && meta.includes("matched #brandtag"), `author and term: ${meta}`);
  check((await tagged.locator("a", { hasText: "original post" }).getAttribute("href")).endsWith("/@carol/1"), "a link to the original");
  check((await tagged.locator("blockquote script").count()) === 0, "the excerpt is sanitised");
  await axe(page, "listening-queue");
  await screenshots(page, "listening-queue");

  // Dismissed and handled: each leaves the new tab for its own.
  const dismiss = tagged.getByRole("button", { name: /^Dismiss/ });
  check((await dismiss.count()) === 1, "one dismiss button per post");
  await dismiss.click();
  await page.waitForURL(`${base}/staff/listening`);
  check((await item(page, "My printer jams again").count()) === 0, "dismissed, it leaves the new tab");
  await item(page, "ACME WIDGETS rock").getByRole("button", { name: /^Mark handled/ }).click();
  await page.waitForURL(`${base}/staff/listening`);
  check((await items.count()) === 1, "one left");
  check((await item(page, "acme widgets, anyone?").count()) === 1, "the one left untouched");

  // A reply from my account: too long first (refused, the text kept and the form open).
  const left = item(page, "acme widgets, anyone?");
  await left.locator("summary", { hasText: "Reply from my account" }).click();
  const id = (await left.getAttribute("id")).replace("listening-", "");
  const long = "We can help with that. ".repeat(500);
  await page.fill(`#reply-${id}`, long);
  await left.getByRole("button", { name: "Send reply" }).click();
  await page.locator("#listening-error").waitFor();
  check(await page.isVisible(`#reply-${id}`), "the reply form stays open");
  check((await page.inputValue(`#reply-${id}`)) === long, "the reply is kept");
  check((await page.getAttribute(`#reply-${id}`, "aria-describedby")) === "listening-error", "and tied to the message");
  await axe(page, "listening-reply-refused");
  await screenshots(page, "listening-reply-refused");
  await page.fill(`#reply-${id}`, "Sorry to hear that, we can help.");
  await page.click(`#listening-${id} button:text-is('Send reply')`);
  await page.waitForURL(`${base}/staff/listening`);
  await page.locator("#listening-none").waitFor();
  console.log("ok replied");

  await page.click("nav.tabs a:text-is('Handled')");
  await page.waitForURL(`${base}/staff/listening?status=handled`);
  check((await page.locator("nav.tabs a[aria-current=page]").textContent()).trim() === "Handled", "the tab is current");
  check((await items.count()) === 2 && (await item(page, "ACME WIDGETS rock").count()) === 1, "the handled posts");
  check((await item(page, "acme widgets, anyone?").count()) === 1, "the answered one among them");
  check((await page.locator("#listening-items button", { hasText: "Dismiss" }).count()) === 0, "nothing to dismiss there");
  await axe(page, "listening-handled");
  await screenshots(page, "listening-handled");
  await page.click("nav.tabs a:text-is('Dismissed')");
  await page.waitForURL(`${base}/staff/listening?status=dismissed`);
  check((await items.count()) === 1 && (await item(page, "My printer jams again").count()) === 1, "the dismissed post");
  await axe(page, "listening-dismissed");
  await screenshots(page, "listening-dismissed");
  // Back to new.
  await item(page, "My printer jams again").getByRole("button", { name: /^Back to new/ }).click();
  await page.waitForURL(`${base}/staff/listening`);
  check((await items.count()) === 1 && (await item(page, "My printer jams again").count()) === 1, "back in the new tab");

  // Its author invited to ask in a group, by a private message.
  const jams = item(page, "My printer jams again");
  await jams.locator("summary", { hasText: "Invite to ask in a group" }).click();
  const jid = (await jams.getAttribute("id")).replace("listening-", "");
  check((await page.inputValue(`#invite-message-${jid}`)).startsWith("Hello!"), "a message to start from");
  await page.selectOption(`#invite-group-${jid}`, group);
  await page.fill(`#invite-message-${jid}`, "Sorry about the jams: ask our community, we answer there.");
  await axe(page, "listening-invite");
  await jams.getByRole("button", { name: "Send invitation" }).click();
  await page.waitForURL(`${base}/staff/listening`);
  await page.locator("#listening-none").waitFor();
  await page.click("nav.tabs a:text-is('Handled')");
  await page.waitForURL(`${base}/staff/listening?status=handled`);
  check((await items.count()) === 3, "all three handled");
  console.log("ok invited");
  console.log("ok queue");
}

main(async (browser) => {
  const page = await signIn(browser, staff, phase === "terms" ? "/staff" : "/staff/listening");
  if (phase === "terms") await termsPhase(page);
  else await queuePhase(page);
  noProblems(page, phase);
});
