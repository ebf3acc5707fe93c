// Accounts in a real browser: register → sign out → sign in → change password → sign in
// with the new one; a wrong password shows the message and keeps the name.
// Usage: node accounts.mjs BASE_URL USERNAME
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, name] = process.argv.slice(2);
const first = "first password 1";
const second = "second password 2";

async function signIn(page, password) {
  await page.goto(`${base}/signin`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForLoadState("load");
}

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });

  await page.goto(`${base}/signup`);
  await axe(page, "signup");
  await screenshots(page, "signup");
  // A name the server refuses comes back with the message next to the field.
  await page.fill("#username", "Bad Name!");
  await page.fill("#password", first);
  await page.click("form.stack button[type=submit]");
  check((await page.inputValue("#username")) === "Bad Name!", "the refused name is kept");
  check((await page.inputValue("#password")) === "", "the password is not sent back");
  check(await page.isVisible("#username-error"), "the name's error is shown");
  const described = await page.getAttribute("#username", "aria-describedby");
  check(described.includes("username-error"), `aria-describedby names the error: ${described}`);
  await axe(page, "signup-error");
  await page.fill("#username", name);
  await page.fill("#password", first);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/u/${name}`);
  check((await page.textContent("#nav-profile")).trim() === name, "signed in after registering");
  console.log("ok registered");

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "pd_session");
  check(session && session.httpOnly && session.sameSite === "Lax" && session.path === "/", `session cookie attributes: ${JSON.stringify(session)}`);

  await page.click("#signout");
  await page.waitForURL(`${base}/`);
  check(!(await page.isVisible("#nav-profile")), "signed out");
  console.log("ok signed out");

  await signIn(page, "not the password");
  check(page.url() === `${base}/signin`, `a wrong password stays on the form: ${page.url()}`);
  check((await page.textContent("#form-error")).includes("Wrong user name or password"), "the wrong-password message is shown");
  check((await page.inputValue("#username")) === name, "the name is kept");
  check((await page.inputValue("#password")) === "", "the password is not kept");
  await axe(page, "signin-error");
  await screenshots(page, "signin-error");
  console.log("ok wrong password refused");

  await signIn(page, first);
  check(page.url() === `${base}/u/${name}`, `signed in: ${page.url()}`);
  console.log("ok signed in");

  await page.goto(`${base}/settings/password`);
  await axe(page, "password");
  await screenshots(page, "password");
  await page.fill("#current", "wrong current password");
  await page.fill("#new", second);
  await page.click("form.stack button[type=submit]");
  check(await page.isVisible("#current-error"), "a wrong current password is refused");
  await page.fill("#current", first);
  await page.fill("#new", second);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/settings/password?done=1`);
  check(await page.isVisible("#password-changed"), "the change is confirmed");
  console.log("ok password changed");

  await page.click("#signout");
  await page.waitForURL(`${base}/`);
  await signIn(page, first);
  check(page.url() === `${base}/signin`, "the old password no longer works");
  await signIn(page, second);
  check(page.url() === `${base}/u/${name}`, `signed in with the new password: ${page.url()}`);
  console.log("ok new password works");

  // German by Accept-Language.
  const de = await newPage(browser, { locale: "de-DE" });
  await de.goto(`${base}/signin`);
  check((await de.getAttribute("html", "lang")) === "de", "lang is de");
  check((await de.textContent("h1")).trim() === "Anmelden", "the sign-in page is German");
  await axe(de, "signin-de");
  console.log("ok german");
  noProblems(page, "accounts");
  noProblems(de, "german pages");
});
