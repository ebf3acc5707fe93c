// Community roles in a real browser: a group's moderator goes from the group's settings to
// its roles page, is refused a role without a name (the ticked privileges kept), creates
// a Curator (lock, read removed posts), is refused the same name again, gives the role
// to the answerer, suggested as the group's top contributor (a misspelt name refused
// first), creates an Ambassador (a title only), gives it and takes it away, and deletes a
// role made by mistake. The Curator title shows beside
// the holder's name on the thread and on their profile. axe-core and screenshots of
// every state.
// Usage: node roles.mjs BASE_URL GROUP QUESTION_ID MODERATOR HOLDER OTHER PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, qid, moderator, holder, other, password] = process.argv.slice(2);
const rolesPath = `/g/${group}/mod/roles`;

async function signIn(browser, name, next) {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
  return page;
}

/** The card of the role `name` on the roles page. */
const card = (page, name) => page.locator("#roles > li", { has: page.locator(`strong.role:text-is("${name}")`) });

/** Creates a role through the "New role" form. */
async function create(page, name, privileges) {
  await page.fill("#role-name", name);
  for (const p of privileges) await page.check(`#privilege-${p}`);
  await page.click("#role-create");
}

/** Gives `role` to `who` through the "Give a role" form. */
async function give(page, role, who) {
  await page.selectOption("#assign-role", { label: role });
  await page.fill("#handle", who);
  await page.click("#role-assign");
}

main(async (browser) => {
  // From the settings to the roles page.
  const mod = await signIn(browser, moderator, `/g/${group}/mod/settings`);
  await mod.click("#tab-roles");
  await mod.waitForURL(`${base}${rolesPath}`);
  await mod.locator("#roles-none").waitFor();
  check(!(await mod.isVisible("#role-assign")), "nothing to give before a role exists");
  await axe(mod, "roles-empty");
  await screenshots(mod, "roles-empty");

  // A role without a name is refused; the ticked privileges are kept.
  await create(mod, "", ["lock", "see_removed"]);
  await mod.locator("#name-error").waitFor();
  check(await mod.isChecked("#privilege-lock"), "lock is still ticked");
  check(await mod.isChecked("#privilege-see_removed"), "see_removed is still ticked");
  check(!(await mod.isChecked("#privilege-feature")), "feature is still not ticked");
  check((await mod.getAttribute("#role-name", "aria-invalid")) === "true", "the name is marked");
  check((await mod.getAttribute("#role-name", "aria-describedby")).includes("name-error"), "and tied to its error");
  await axe(mod, "roles-refused");
  await screenshots(mod, "roles-refused");

  // The Curator, then the same name again (refused).
  await mod.fill("#role-name", "Curator");
  await mod.click("#role-create");
  await mod.waitForURL(`${base}${rolesPath}`);
  const curator = card(mod, "Curator");
  await curator.waitFor();
  const privileges = await curator.locator(".meta").textContent();
  check(privileges.includes("Lock and unlock questions") && privileges.includes("Read removed posts"), `its privileges: ${privileges}`);
  check(!privileges.includes("Feature"), "and no others");
  check((await curator.textContent()).includes("Nobody holds this role yet."), "nobody holds it yet");
  await create(mod, "Curator", []);
  await mod.locator("#name-error").waitFor();
  check((await mod.textContent("#name-error")).includes("already"), "one name per group");
  check((await mod.inputValue("#role-name")) === "Curator", "the name is kept");
  console.log("ok curator created");

  // Given to the answerer, suggested as a top contributor, after a misspelt name.
  await mod.goto(`${base}${rolesPath}`);
  const suggested = (await mod.locator("#role-suggestions li").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
  check(suggested.length === 1 && suggested[0].startsWith(`${holder}@`) && / · \d+ points?$/.test(suggested[0]), `the top contributor: ${suggested}`);
  check((await mod.locator("#suggested-people option").first().getAttribute("value")).startsWith(`${holder}@`), "offered in the person field");
  await axe(mod, "roles");
  await screenshots(mod, "roles");
  await give(mod, "Curator", "nobody-here");
  await mod.locator("#handle-error").waitFor();
  check((await mod.inputValue("#handle")) === "nobody-here", "the name typed is kept");
  check((await mod.getAttribute("#handle", "aria-invalid")) === "true", "the field is marked");
  await axe(mod, "roles-give-refused");
  await screenshots(mod, "roles-give-refused");
  await give(mod, "Curator", holder);
  await mod.waitForURL(`${base}${rolesPath}`);
  check((await card(mod, "Curator").locator("ul li").first().textContent()).includes(holder), "the holder is listed");
  check((await mod.locator("#role-suggestions").count()) === 0, "a holder is no longer suggested");
  console.log("ok curator given");

  // An Ambassador (a title only), given and taken away again.
  await create(mod, "Ambassador", []);
  await mod.waitForURL(`${base}${rolesPath}`);
  const amb = card(mod, "Ambassador");
  check((await amb.locator(".meta").textContent()).includes("A title only"), "a title only");
  await give(mod, "Ambassador", other);
  await mod.waitForURL(`${base}${rolesPath}`);
  await axe(mod, "roles-given");
  await screenshots(mod, "roles-given");
  const take = mod.getByRole("button", { name: new RegExp(`^Take the role Ambassador away from ${other}@`) });
  check((await take.count()) === 1, "each holder has a labelled button to take the role away");
  await take.click();
  await mod.waitForURL(`${base}${rolesPath}`);
  check((await card(mod, "Ambassador").textContent()).includes("Nobody holds this role yet."), "taken away");
  console.log("ok ambassador given and taken away");

  // A role created by mistake, deleted.
  await create(mod, "Temporary", ["feature"]);
  await mod.waitForURL(`${base}${rolesPath}`);
  await card(mod, "Temporary").waitFor();
  await mod.getByRole("button", { name: "Delete the role Temporary" }).click();
  await mod.waitForURL(`${base}${rolesPath}`);
  check((await card(mod, "Temporary").count()) === 0, "the role is deleted");
  check((await mod.locator("#assign-role option").allTextContents()).join("|") === "Ambassador|Curator", "and no longer offered");
  noProblems(mod, "moderator");
  console.log("ok role deleted");

  // The title beside the name, on the thread and the profile.
  const visitor = await newPage(browser, { locale: "en-US" });
  await visitor.goto(`${base}/q/${qid}`);
  const answer = visitor.locator("article.post", { hasText: "Clean the feed roller." });
  const titles = await answer.locator(".badge.role").allTextContents();
  check(titles.length === 1 && titles[0] === "Curator", `the holder's title on the thread: ${titles}`);
  check((await visitor.locator(".badge.role", { hasText: "Ambassador" }).count()) === 0, "no title taken away");
  await axe(visitor, "thread-with-role");
  await screenshots(visitor, "thread-with-role");
  await visitor.goto(`${base}/u/${holder}`);
  const shown = await visitor.locator(".badge.role").allTextContents();
  check(shown.some((t) => t.startsWith(`Curator in ${group}@`)), `the title on the profile: ${shown}`);
  await axe(visitor, "profile-with-role");
  await screenshots(visitor, "profile-with-role");
  noProblems(visitor, "visitor");
  console.log("ok titles shown");
});
