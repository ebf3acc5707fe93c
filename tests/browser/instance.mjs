// The admin console's Instance page in a real browser: the admin goes there from the
// console's navigation, names the site and makes registration by invitation (the home
// page shows the new name), tries a bad limit (message next to the field, form kept),
// makes an invitation and copies its link; a visitor opens the link in another browser
// context, finds the code filled in and registers. axe-core and screenshots on each state.
// Usage: node instance.mjs BASE_URL ADMIN PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, admin, password] = process.argv.slice(2);

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin`);
  await page.fill("#username", admin);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));

  await page.click("#nav-admin");
  await page.click("#admin-nav-instance");
  await page.waitForURL(`${base}/admin/instance`);
  check((await page.textContent("h1")).includes("Instance"), "the Instance page");
  await axe(page, "admin-instance");
  await screenshots(page, "admin-instance");

  // A bad limit: the message is next to the field, what was typed is kept.
  await page.fill("#inst-name", "Acme Help Center");
  await page.fill("#inst-report-limit", "-3");
  await page.click("#inst-save");
  await page.waitForSelector("#inst-report-limit-error");
  check((await page.inputValue("#inst-name")) === "Acme Help Center", "the name is kept");
  check((await page.getAttribute("#inst-report-limit", "aria-invalid")) === "true", "the field is marked");
  await axe(page, "admin-instance-error");
  noProblems(page, "instance error");

  await page.fill("#inst-report-limit", "60");
  await page.selectOption("#inst-registrations", "invite");
  await page.click("#inst-save");
  await page.waitForURL(/done=settings/);
  check((await page.textContent("#admin-notice")).includes("saved"), "saved");
  check((await page.textContent("header")).includes("Acme Help Center"), "the header shows the new name");
  console.log("ok the settings are saved and in force");

  // An invitation: its link is shown once.
  await page.fill("#invite-note", "For Rita");
  await page.fill("#invite-uses", "1");
  await page.click("#invite-submit");
  await page.waitForSelector("#invite-link");
  const link = await page.inputValue("#invite-link");
  check(link.includes("/signup?invite="), `the link: ${link}`);
  check((await page.textContent("#invite-table")).includes("For Rita"), "listed");
  await axe(page, "admin-instance-invitation");
  await screenshots(page, "admin-instance-invitation");
  noProblems(page, "instance");

  // A visitor registers with it.
  const visitor = await newPage(browser, { locale: "en-US" });
  await visitor.goto(link);
  check((await visitor.inputValue("#invite")).length > 10, "the code is filled in");
  await visitor.fill("#username", "rita");
  await visitor.fill("#password", "correct horse battery");
  await visitor.click("form.stack button[type=submit]");
  await visitor.waitForURL((u) => !u.pathname.startsWith("/signup"));
  check((await visitor.textContent("header")).includes("rita"), "signed in as rita");
  noProblems(visitor, "visitor");
  console.log("ok an invitation registers an account");
});
