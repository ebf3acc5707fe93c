// Listening in a real browser, in two phases around the posts the Rust test delivers.
// "terms": a staff member goes from the staff inbox to Listening, adds a hashtag and
// words, is refused a bare "#" (what they typed kept, the field marked), adds a term
// and removes it again. "queue": the matching posts are listed with their author, the
// term matched, a link to the original and a sanitised excerpt; one is dismissed, one
// marked handled, and each tab of the queue shows what it should. axe-core and
// screenshots of every state.
// Usage: node listening.mjs BASE_URL STAFF PASSWORD terms|queue
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, staff, password, phase] = process.argv.slice(2);

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

  await page.click("nav.tabs a:text-is('Handled')");
  await page.waitForURL(`${base}/staff/listening?status=handled`);
  check((await page.locator("nav.tabs a[aria-current=page]").textContent()).trim() === "Handled", "the tab is current");
  check((await items.count()) === 1 && (await item(page, "ACME WIDGETS rock").count()) === 1, "the handled post");
  check((await page.locator("#listening-items button", { hasText: "Dismiss" }).count()) === 0, "nothing to dismiss there");
  await axe(page, "listening-handled");
  await screenshots(page, "listening-handled");
  await page.click("nav.tabs a:text-is('Dismissed')");
  await page.waitForURL(`${base}/staff/listening?status=dismissed`);
  check((await items.count()) === 1 && (await item(page, "My printer jams again").count()) === 1, "the dismissed post");
  await axe(page, "listening-dismissed");
  await screenshots(page, "listening-dismissed");
  console.log("ok queue");
}

main(async (browser) => {
  const page = await signIn(browser, staff, phase === "terms" ? "/staff" : "/staff/listening");
  if (phase === "terms") await termsPhase(page);
  else await queuePhase(page);
  noProblems(page, phase);
});
