// The admin console's People pages in a real browser: the admin reaches them from the
// console's navigation, finds bob, suspends him (an empty reason is refused first, the
// message next to the field), purges the remote user after the confirmation page,
// declares an organisation and makes carol its staff, then deletes carol's account
// after typing her name. axe-core and screenshots on each page.
// Usage: node people.mjs BASE_URL ADMIN PASSWORD REMOTE_HANDLE
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, admin, password, remote] = process.argv.slice(2);

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin`);
  await page.fill("#username", admin);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));

  // From the header to the console, then to People.
  await page.click("#nav-admin");
  await page.waitForURL(`${base}/admin/federation`);
  await page.click("#admin-nav-people");
  await page.waitForURL(`${base}/admin/people`);
  check((await page.textContent("h1")).includes("People"), "the people page");
  check((await page.locator('tr[data-user="bob"]').count()) === 1, "bob is listed");
  await axe(page, "admin-people");
  await screenshots(page, "admin-people");
  noProblems(page, "people page");

  // Search, then manage bob.
  await page.fill("#people-search", "bo");
  await page.click("#people-search-submit");
  await page.waitForURL(/\/admin\/people\?q=bo/);
  check((await page.locator("tr[data-user]").count()) === 1, "the search finds only bob");
  await page.click('tr[data-user="bob"] a');
  await page.waitForURL(`${base}/admin/people/u/bob`);
  await axe(page, "admin-person");
  await screenshots(page, "admin-person");

  // Suspend: without a reason the form comes back with the message.
  await page.click("#suspend-submit");
  await page.waitForSelector("#suspend-reason-error");
  check((await page.getAttribute("#suspend-reason", "aria-invalid")) === "true", "the reason is marked");
  await axe(page, "admin-person-error");
  await page.fill("#suspend-reason", "Spam links");
  await page.click("#suspend-submit");
  await page.waitForURL(/done=suspend/);
  check((await page.textContent("#admin-notice")).includes("bob is suspended"), "the notice");
  check((await page.textContent("#person-state")).includes("Suspended"), "bob is suspended");
  check((await page.textContent("#person-suspension")).includes("Spam links"), "the reason shows");
  await screenshots(page, "admin-person-suspended");
  noProblems(page, "suspension");
  console.log("ok bob suspended from the browser");

  // The remote user: purge after the confirmation page.
  await page.click("#people-tab-remote");
  await page.waitForURL(`${base}/admin/people/remote`);
  const row = `tr[data-handle="${remote}"]`;
  check((await page.textContent(`${row} td.posts`)).trim() === "1", "one post of the remote user");
  await axe(page, "admin-remote");
  await screenshots(page, "admin-remote");
  await page.click(`${row} td.actions a`);
  await page.waitForURL(/\/purge$/);
  await axe(page, "admin-purge");
  await page.fill("#purge-reason", "spam");
  await page.check("#purge-confirm");
  await page.click("#purge-submit");
  await page.waitForURL(/done=purge/);
  check((await page.textContent("#admin-notice")).includes(`One post of ${remote} was removed.`), "the purge notice");
  check((await page.textContent(`${row} td.posts`)).trim() === "0", "nothing of theirs is left");
  noProblems(page, "purge");
  console.log(`ok ${remote} purged`);

  // Organisations and staff.
  await page.click("#people-tab-staff");
  await page.waitForURL(`${base}/admin/people/staff`);
  await axe(page, "admin-staff");
  await page.fill("#org-name", "Acme");
  await page.fill("#org-domain", "acme.example");
  await page.click("#declare-submit");
  await page.waitForURL(/done=declared/);
  check((await page.locator('tr[data-org="acme.example"]').count()) === 1, "Acme is listed");
  await page.fill("#assign-user", "carol");
  await page.selectOption("#assign-organisation", { label: "Acme (acme.example)" });
  await page.click("#assign-submit");
  await page.waitForURL(/done=assigned/);
  check((await page.textContent('tr[data-org="acme.example"] td.staff')).includes("carol"), "carol is staff");
  await axe(page, "admin-staff-done");
  await screenshots(page, "admin-staff");
  noProblems(page, "staff");
  console.log("ok Acme declared, carol its staff");

  // Delete carol's account: the name must be typed again.
  await page.goto(`${base}/admin/people/u/carol`);
  await page.click("#delete-link");
  await page.waitForURL(`${base}/admin/people/u/carol/delete`);
  await axe(page, "admin-delete");
  await screenshots(page, "admin-delete");
  await page.fill("#delete-reason", "Asked to leave");
  await page.fill("#delete-confirm-name", "carl");
  await page.click("#delete-submit");
  await page.waitForSelector("#delete-confirm-error");
  check((await page.inputValue("#delete-reason")) === "Asked to leave", "the reason is kept");
  await axe(page, "admin-delete-error");
  await page.fill("#delete-confirm-name", "carol");
  await page.click("#delete-submit");
  await page.waitForURL(/done=deleted/);
  check((await page.textContent("#admin-notice")).includes("The account carol was deleted."), "the deletion notice");
  check((await page.textContent('tr[data-user="carol"] td.state-deleted')).includes("Deleted"), "carol shows as deleted");
  noProblems(page, "deletion");
  console.log("ok carol's account deleted");
});
