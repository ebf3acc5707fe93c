// The staff console in a real browser: a staff member opens the inbox, claims an
// unanswered question ("I'm on it"), answers it, marks a community answer of another
// question staff-approved, and the mark shows on the thread for everyone; the
// verification page. axe-core and screenshots of the console pages.
// Usage: node staff.mjs BASE_URL UNANSWERED_ID ANSWERED_ID ANSWER_ID STAFF PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, q1, q2, aid, staff, password] = process.argv.slice(2);
const inbox = `${base}/staff?hours=0`;

main(async (browser) => {
  // Signed out, the console is refused.
  const visitor = await newPage(browser, { locale: "en-US" });
  const refused = await visitor.goto(`${base}/staff`);
  check(refused.status() === 403, `the inbox is refused to visitors (${refused.status()})`);

  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent("/staff?hours=0")}`);
  await page.fill("#username", staff);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(inbox);
  await page.locator(`#staff-q${q1}`).waitFor();
  await axe(page, "staff-inbox");
  await screenshots(page, "staff-inbox");
  console.log("ok the inbox lists the unanswered question");

  // Claim: the inbox shows who is on it.
  await page.click(`#claim-${q1}`);
  await page.waitForURL(/\/staff\?tab=unanswered&hours=0$/);
  await page.locator(`#staff-q${q1} .claimed-mark`).waitFor();
  check(await page.isVisible(`#unclaim-${q1}`), "the claimer can release the claim");
  await axe(page, "staff-inbox-claimed");
  await screenshots(page, "staff-inbox-claimed");
  console.log("ok claimed");

  // Answer the claimed question on its thread, which shows the claim to staff.
  await page.click(`#staff-q${q1} h2 a`);
  await page.waitForURL(`${base}/q/${q1}`);
  await page.locator("#claim-box .claimed-mark").waitFor();
  await page.fill("#answer-body", "This is a known issue; firmware 3.2 fixes it.");
  await page.click("#answer-submit");
  await page.locator('article.post:has-text("firmware 3.2 fixes it")').waitFor();
  console.log("ok answered");

  // The other question is answered but not accepted: staff-approve its community answer.
  await page.goto(`${base}/staff?tab=unaccepted`);
  await page.locator(`#staff-q${q2}`).waitFor();
  await page.click(`#staff-q${q2} h2 a`);
  await page.waitForURL(`${base}/q/${q2}`);
  await page.click(`#approve-${aid}`);
  await page.waitForLoadState("load");
  await page.locator(`#approved-${aid}`).waitFor();
  check(await page.isVisible(`#unapprove-${aid}`), "the mark can be withdrawn");
  await axe(page, "staff-thread-approved");
  await screenshots(page, "staff-thread-approved");
  console.log("ok staff-approved");

  // Everyone sees the mark, with the organisation.
  await visitor.goto(`${base}/q/${q2}`);
  const mark = await visitor.textContent(`#approved-${aid}`);
  check(mark.includes("Acme"), `the mark names the organisation: ${mark}`);
  check(!(await visitor.isVisible(`#unapprove-${aid}`)), "visitors have no staff forms");
  console.log("ok the mark shows to visitors");

  // The verification state.
  await page.goto(`${base}/staff/verification`);
  await page.locator("#staff-listed").waitFor();
  await axe(page, "staff-verification");
  await screenshots(page, "staff-verification");

  // Webhooks: add an endpoint (its secret shown once), then its delivery log.
  await page.goto(`${base}/staff/webhooks`);
  await page.locator("#webhook-new").waitFor();
  await axe(page, "staff-webhooks");
  await page.fill("#webhook-url", "http://127.0.0.1:9/hook");
  await page.click("#webhook-new button[type=submit]");
  await page.locator("#webhook-secret").waitFor();
  check((await page.textContent("#webhook-secret")).includes("whsec_"), "the secret is shown once");
  await axe(page, "staff-webhooks-added");
  await screenshots(page, "staff-webhooks-added");
  await page.click("#webhooks li a[href^='/staff/webhooks/']");
  await page.waitForURL(/\/staff\/webhooks\/\d+$/);
  await axe(page, "staff-webhook-log");
  console.log("ok webhooks");

  noProblems(page, "staff pages");
  noProblems(visitor, "visitor");
});
