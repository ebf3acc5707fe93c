// Cases in a real browser: the asker opens a case from their thread ("I need help from
// Acme directly") with private details; a staff member finds it in the queue, answers,
// sets its status and the public note; the asker reads the answer; the thread shows the
// note and never the details. axe-core and screenshots of every cases page.
// Usage: node cases.mjs BASE_URL QUESTION_ID ASKER STAFF PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, qid, asker, staff, password] = process.argv.slice(2);
const SECRET = "SERIAL-SN-0042-PRIVATE";

async function signIn(browser, name, next) {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
  return page;
}

main(async (browser) => {
  // The asker opens a case from the thread.
  const bob = await signIn(browser, asker, `/q/${qid}`);
  await bob.click("#case-help a");
  await bob.waitForURL(/\/cases\/new\?question=/);
  await axe(bob, "case-new");
  await screenshots(bob, "case-new");
  // A subject too long comes back at its field, the details kept.
  await bob.evaluate(() => document.querySelector("#case-subject").removeAttribute("maxlength"));
  await bob.fill("#case-subject", "x".repeat(201));
  await bob.fill("#case-details", `My serial is ${SECRET}`);
  await bob.click("#case-new button[type=submit]");
  await bob.locator("#subject-error").waitFor();
  check((await bob.inputValue("#case-details")).includes(SECRET), "the details are kept");
  await axe(bob, "case-new-refused");
  await bob.fill("#case-subject", "Scanner jams");
  await bob.click("#case-new button[type=submit]");
  await bob.waitForURL(/\/cases\/\d+$/);
  const casePath = new URL(bob.url()).pathname;
  await bob.locator("#case-messages").waitFor();
  check((await bob.textContent("#case-messages")).includes(SECRET), "the details are in the case");
  await axe(bob, "case-customer");
  await screenshots(bob, "case-customer");
  noProblems(bob, "customer");
  console.log(`ok opened ${casePath}`);

  // Staff: the queue, the case, a reply, the controls.
  const carol = await signIn(browser, staff, "/staff/cases");
  await carol.locator("#cases").waitFor();
  await axe(carol, "staff-cases");
  await screenshots(carol, "staff-cases");
  await carol.click(`#cases a[href="${casePath}"]`);
  await carol.waitForURL(`${base}${casePath}`);
  await carol.locator("#case-update").waitFor();
  await axe(carol, "case-staff");
  await carol.fill("#case-body", "Please update to firmware 2.1.");
  await carol.click("#case-reply button[type=submit]");
  await carol.waitForURL(new RegExp(`${casePath}#m\\d+$`));
  await carol.selectOption("#case-status-select", "solved");
  await carol.fill("#case-note", "Solved in case: firmware 2.1 fixes it");
  await carol.click("#case-update button[type=submit]");
  await carol.waitForURL(`${base}${casePath}`);
  check((await carol.textContent("#case-status")).includes("Solved"), "the status is saved");
  await screenshots(carol, "case-staff");
  await carol.click("#case-customer");
  await carol.locator("#customer").waitFor();
  await axe(carol, "staff-customer");
  await screenshots(carol, "staff-customer");
  noProblems(carol, "staff");
  console.log("ok staff answered and solved it");

  // The asker reads the answer; the thread shows the note, never the details.
  await bob.goto(`${base}${casePath}`);
  check((await bob.textContent("#case-messages")).includes("firmware 2.1"), "the answer shows");
  const visitor = await newPage(browser, { locale: "en-US" });
  await visitor.goto(`${base}/q/${qid}`);
  const note = await visitor.textContent("#case-note");
  check(note.includes("firmware 2.1 fixes it") && note.includes("Acme"), `the note shows: ${note}`);
  check(!(await visitor.content()).includes(SECRET), "the details are not on the thread");
  const refused = await visitor.goto(`${base}${casePath}`);
  check(new URL(visitor.url()).pathname === "/signin", `visitors sign in first (${refused.status()})`);
  await axe(visitor, "thread-with-case-note");
  noProblems(visitor, "visitor");
  console.log("ok the thread shows the note only");
});
