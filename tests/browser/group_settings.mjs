// A group's settings in a real browser: the settings page is refused to a visitor (403);
// the moderator follows the group page's "Group settings" link, has an empty title
// refused with the message by the field, saves the profile, sets a welcome message and
// "followers only" for asking, and the privilege thresholds (a negative one refused
// first). A newcomer then finds the ask form refused until they follow the group from
// its page; the form shows the welcome; they ask, and find the welcome among their
// notifications. axe-core and screenshots on the settings page (also with its errors),
// the ask form with the welcome and the notifications.
// Usage: node group_settings.mjs BASE_URL GROUP MODERATOR NEWCOMER PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, moderator, newcomer, password] = process.argv.slice(2);
const settings = `${base}/g/${group}/mod/settings`;

async function signIn(page, user, next) {
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}${next}`);
}

main(async (browser) => {
  const visitor = await newPage(browser, { locale: "en-US" });
  const refused = await visitor.goto(settings);
  check(refused.status() === 403, `a visitor gets 403, not ${refused.status()}`);
  await visitor.goto(`${base}/g/${group}`);
  check(!(await visitor.isVisible("#settings-link")), "no settings link for a visitor");
  console.log("ok the settings are refused to a visitor");

  const page = await newPage(browser, { locale: "en-US" });
  await signIn(page, moderator, `/g/${group}`);
  await page.click("#settings-link");
  await page.waitForURL(settings);
  await axe(page, "group-settings");
  await screenshots(page, "group-settings");

  // Profile: an empty title is refused next to the field, the rest kept.
  await page.getByLabel("Title").fill("");
  await page.getByLabel("Description").fill("Questions about our **printers**.");
  await page.click("#save-profile");
  await page.locator("#title-error").waitFor();
  check((await page.getAttribute("#title", "aria-invalid")) === "true", "the title is marked invalid");
  check(
    (await page.inputValue("#description")) === "Questions about our **printers**.",
    "the description is kept",
  );
  await axe(page, "group-settings-error");
  await screenshots(page, "group-settings-error");
  await page.getByLabel("Title").fill("Printer help");
  await page.click("#save-profile");
  await page.locator("#settings-saved").waitFor();
  check((await page.inputValue("#title")) === "Printer help", "the title is saved");
  console.log("ok profile saved");

  // Newcomers: the welcome and "followers only".
  await page.getByLabel("Welcome message").fill("Welcome! Please give your printer's **model number**.");
  await page.getByLabel("Followers", { exact: true }).check();
  await page.click("#save-newcomers");
  await page.locator("#settings-saved").waitFor();
  check(await page.isChecked("#ask-followers"), "followers only is saved");
  console.log("ok welcome and posting rule saved");

  // Privileges: a negative threshold is refused, then a good one saved.
  await page.getByLabel("Edit tags").fill("-3");
  await page.click("#save-privileges");
  await page.locator("#min_edit_tags-error").waitFor();
  await page.getByLabel("Edit tags").fill("120");
  await page.click("#save-privileges");
  await page.locator("#settings-saved").waitFor();
  check((await page.inputValue("#min_edit_tags")) === "120", "the threshold is saved");
  console.log("ok thresholds saved");
  noProblems(page, "moderator");

  // The newcomer may not ask before following; the page says so.
  const nina = await newPage(browser, { locale: "en-US" });
  await signIn(nina, newcomer, `/g/${group}`);
  check(await nina.isVisible("#who-may-ask"), "the group page tells who may ask");
  await nina.goto(`${base}/g/${group}/ask`);
  await nina.locator("#ask-refused").waitFor();
  await nina.goto(`${base}/g/${group}`);
  await nina.check("#accept-guidelines");
  await nina.click("#follow-here");
  await nina.waitForURL(`${base}/g/${group}`);
  await nina.locator("#unfollow").waitFor();
  await nina.click("#ask-link");
  await nina.waitForURL(`${base}/g/${group}/ask`);
  check(!(await nina.isVisible("#ask-refused")), "a follower may ask");
  const welcome = await nina.locator("#welcome-text").textContent();
  check(welcome.includes("model number"), `the welcome is shown: ${welcome}`);
  await axe(nina, "ask-welcome");
  await screenshots(nina, "ask-welcome");
  await nina.fill("#title", "Printer prints blank pages");
  await nina.fill("#body", "Model PX-200, since yesterday.");
  await nina.check("#guidelines-ok");
  await nina.click("#ask-submit");
  await nina.waitForURL(/\/q\/\d+$/);
  console.log("ok the newcomer asked");

  // The notifier runs every second: reload until the welcome is listed.
  const note = nina.locator("li.notification:has-text('Welcome to')");
  for (let i = 0; i < 40; i++) {
    await nina.goto(`${base}/notifications`);
    if ((await note.count()) > 0) break;
    await nina.waitForTimeout(250);
  }
  await note.waitFor();
  check((await note.textContent()).includes("model number"), "the notification shows the welcome");
  await axe(nina, "notifications-welcome");
  await screenshots(nina, "notifications-welcome");
  noProblems(nina, "newcomer");
  noProblems(visitor, "visitor");
});
