// The ideas exchange in a real browser: a member suggests an idea from the ideas group's
// page and follows it; another member votes on it and on an older duplicate; a staff
// member of an organisation the group recognises sets its status with an explanation
// (twice: the history shows both), is refused a merge into nothing (the note kept), then
// merges the duplicate into it: the duplicate shows Merged with a link, its votes carried
// over. The author reads the status change in their notifications; the group's page
// filters ideas by status. A plain member has no curator forms. axe-core and screenshots
// of every state.
// Usage: node ideas.mjs BASE_URL GROUP AUTHOR VOTER STAFF DUPLICATE_ID PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, author, voter, staff, dup, password] = process.argv.slice(2);
const TITLE = "Dark mode for the dashboard";

async function signIn(browser, name, next) {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
  return page;
}

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, " ").trim();

/** The idea's score as its thread page shows it. */
async function score(page, id) {
  return parseInt(await page.locator(`#p${id} .votes .count`).first().evaluate((e) => e.firstChild.textContent), 10);
}

/** Opens the curator's part of the idea page (a disclosure). */
async function openCurate(page) {
  if ((await page.getAttribute("#idea-curate", "open")) === null) await page.click("#idea-curate > summary");
  await page.locator("#idea-status-form").waitFor();
}

main(async (browser) => {
  // The author suggests an idea from the group's page.
  const bob = await signIn(browser, author, `/g/${group}`);
  check((await text(bob, "#questions-h")) === "Ideas", "an ideas group lists ideas");
  check((await text(bob, "#ask-link")) === "Suggest an idea", "and offers to suggest one");
  await axe(bob, "ideas-group");
  await bob.click("#ask-link");
  await bob.waitForURL(`${base}/g/${group}/ask`);
  await bob.fill("#title", TITLE);
  await bob.fill("#body", "The white dashboard is hard on the eyes at night.");
  if (await bob.isVisible("#guidelines-ok")) await bob.check("#guidelines-ok");
  await bob.click("#ask-submit");
  await bob.waitForURL(/\/q\/\d+$/);
  const id = bob.url().match(/\/q\/(\d+)$/)[1];
  const idea = `${base}/q/${id}`;
  check((await text(bob, "#idea-status")) === "New", "a new idea is New");
  check(!(await bob.isVisible("#idea-curate")), "a plain member has no curator forms");
  check((await bob.locator("#idea-history").count()) === 0, "no history yet");
  await axe(bob, "idea-new");
  await screenshots(bob, "idea-new");
  console.log(`ok suggested /q/${id}`);

  // A member votes on it and on the duplicate.
  const carol = await signIn(browser, voter, `/q/${id}`);
  await carol.click("#idea-follow");
  await carol.waitForURL(`${idea}#idea`);
  await carol.locator("#idea-unfollow").waitFor();
  await carol.click(`#vote-up-${id}`);
  await carol.locator(`#vote-up-${id}[aria-pressed=true]`).waitFor();
  check((await score(carol, id)) === 1, "the vote counts");
  await axe(carol, "idea-voted");
  await carol.goto(`${base}/q/${dup}`);
  await carol.click(`#vote-up-${dup}`);
  await carol.locator(`#vote-up-${dup}[aria-pressed=true]`).waitFor();
  check((await score(carol, dup)) === 2, "the duplicate has two votes");
  noProblems(carol, "voter");
  console.log("ok voted and followed");

  // Staff of a recognised organisation set its status, with an explanation, twice.
  const sam = await signIn(browser, staff, `/q/${id}`);
  await openCurate(sam);
  await axe(sam, "idea-curate");
  // An explanation too long comes back with the status chosen and the text kept.
  await sam.evaluate(() => document.querySelector("#idea-explanation-input").removeAttribute("maxlength"));
  await sam.selectOption("#idea-status-choice", "declined");
  await sam.fill("#idea-explanation-input", "x".repeat(2001));
  await sam.click("#idea-status-save");
  await sam.locator("#idea-error").waitFor();
  check((await text(sam, "#idea-error")).includes("at most 2000 characters"), `says what is wrong: ${await text(sam, "#idea-error")}`);
  check((await text(sam, "#idea-status")) === "New", "nothing is saved");
  check((await sam.inputValue("#idea-status-choice")) === "declined", "the status chosen is kept");
  check((await sam.inputValue("#idea-explanation-input")).length === 2001, "the explanation is kept");
  check((await sam.getAttribute("#idea-explanation-input", "aria-describedby")) === "idea-error", "and tied to the error");
  await axe(sam, "idea-status-refused");
  await screenshots(sam, "idea-status-refused");
  await sam.selectOption("#idea-status-choice", "planned");
  await sam.fill("#idea-explanation-input", "Planned for the spring release.");
  await sam.click("#idea-status-save");
  await sam.waitForURL(`${idea}#idea`);
  check((await text(sam, "#idea-status")) === "Planned", "the status is saved");
  check((await text(sam, "#idea-explanation")) === "Planned for the spring release.", "with its explanation");
  await openCurate(sam);
  check((await sam.inputValue("#idea-status-choice")) === "planned", "the form shows the current status");
  await sam.selectOption("#idea-status-choice", "in_progress");
  await sam.fill("#idea-explanation-input", "Work started this week.");
  await sam.click("#idea-status-save");
  await sam.waitForURL(`${idea}#idea`);
  check((await text(sam, "#idea-status")) === "In progress", "the second status is saved");
  await sam.click("#idea-history > summary");
  const lines = sam.locator("#idea-history li");
  await lines.first().waitFor();
  check((await lines.count()) >= 2, "the history has both changes");
  const newest = (await lines.first().textContent()).replace(/\s+/g, " ");
  check(newest.includes("In progress") && newest.includes(`@${staff}`) && newest.includes("Work started"), `newest first: ${newest}`);
  const older = (await lines.nth(1).textContent()).replace(/\s+/g, " ");
  check(older.includes("Planned") && older.includes("spring release"), `then the first: ${older}`);
  await axe(sam, "idea-history");
  await screenshots(sam, "idea-history");
  console.log("ok statuses and history");

  // Merging the duplicate: first into nothing (refused, the note kept), then into the idea.
  await sam.goto(`${base}/q/${dup}`);
  await openCurate(sam);
  await sam.fill("#idea-into", "not an idea");
  await sam.fill("#idea-note", "Same request as the dark mode idea.");
  await sam.click("#idea-merge");
  await sam.locator("#idea-merge-error").waitFor();
  check((await text(sam, "#idea-merge-error")).startsWith("Name another idea of this group"), "the refusal says what to give");
  check((await sam.inputValue("#idea-note")) === "Same request as the dark mode idea.", "the note is kept");
  check((await sam.getAttribute("#idea-into", "aria-invalid")) === "true", "the field is marked");
  await axe(sam, "idea-merge-refused");
  await screenshots(sam, "idea-merge-refused");
  await sam.fill("#idea-into", idea);
  await sam.click("#idea-merge");
  await sam.waitForURL(idea);
  check((await score(sam, id)) === 2, "the duplicate's votes are carried over once per person");
  await sam.goto(`${base}/q/${dup}`);
  check((await text(sam, "#idea-status")) === "Merged", "the duplicate is Merged");
  check((await sam.getAttribute("#idea-merged-into", "href")) === `/q/${id}`, "with a link to the idea");
  check((await sam.locator("#idea-curate").count()) === 0, "and nothing more to curate");
  await axe(sam, "idea-merged");
  await screenshots(sam, "idea-merged");
  noProblems(sam, "staff");
  console.log("ok merged");

  // The author reads the change in their notifications; the group filters by status.
  await bob.goto(`${base}/notifications`);
  const note = bob.locator("li.notification", { hasText: TITLE });
  check((await note.count()) >= 1, "the author is notified of the status");
  await axe(bob, "idea-notifications");
  await bob.goto(`${base}/g/${group}`);
  await bob.click("#idea-filters a:text-is('In progress')");
  await bob.waitForURL(/status=in_progress/);
  check((await bob.locator("#idea-filters a[aria-current=page]").textContent()).trim() === "In progress", "the filter is current");
  const listed = bob.locator("li.qitem", { hasText: TITLE });
  check((await listed.count()) === 1, "the idea is listed under its status");
  check((await listed.locator(".idea-status").textContent()).trim() === "In progress", "with its badge");
  check((await bob.locator("li.qitem").count()) === 1, "and nothing else");
  await axe(bob, "ideas-filtered");
  await screenshots(bob, "ideas-filtered");
  noProblems(bob, "author");
  console.log("ok notified and filtered");
});
