// Email in a real browser, with a real SMTP server (maildev) receiving the mail: sign up
// with an email address → open the verification link from the mail → sign out → "Forgot
// your password?" → open the reset link from the mail → set a new password → signed in;
// the used link then fails; an unsubscribe link turns emails off.
// Usage: node email.mjs BASE_URL USERNAME ADDRESS MAILDEV_URL UNSUBSCRIBE_TOKEN
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, name, address, maildev, unsubscribe] = process.argv.slice(2);
const first = "first password 1";
const second = "second password 2";

/** Waits for the email to `to` whose subject contains `subject`; returns the first link
 *  in its text that contains `path`. Its HTML part is checked and screenshotted as `shot`. */
async function mailLink(browser, to, subject, path, shot) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${maildev}/api/email`);
    const mails = await res.json();
    const mail = mails.find(
      (m) => m.subject.includes(subject) && m.envelope.to.some((t) => t.address === to),
    );
    if (mail) {
      const link = mail.text.split(/\s+/).find((w) => w.startsWith("http") && w.includes(path));
      check(link, `a link to ${path} in: ${mail.text}`);
      check(mail.html.includes(link), `the HTML part has the link too: ${mail.html}`);
      const view = await newPage(browser);
      await view.setContent(mail.html);
      await screenshots(view, shot);
      await view.context().close();
      return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email "${subject}" to ${to}`);
}

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });

  await page.goto(`${base}/signup`);
  check(await page.isVisible("#email"), "the sign-up form asks for an optional address");
  await page.fill("#username", name);
  await page.fill("#password", first);
  await page.fill("#email", "not an address");
  await page.click("form.stack button[type=submit]");
  check(await page.isVisible("#email-error"), "a wrong address is refused next to its field");
  check((await page.inputValue("#username")) === name, "the name is kept");
  check((await page.inputValue("#email")) === "not an address", "the address is kept");
  await axe(page, "signup-email-error");
  await screenshots(page, "signup-email-error");
  await page.fill("#password", first);
  await page.fill("#email", address);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/u/${name}`);
  console.log("ok signed up with an address");

  // The settings page leads to the address's page.
  await page.goto(`${base}/settings`);
  await page.click("#settings-email-address");
  await page.waitForURL(`${base}/settings/email`);
  check((await page.textContent("#email-state")).includes("not confirmed"), "the address is unconfirmed");
  await axe(page, "settings-email");
  await screenshots(page, "settings-email");

  const verify = await mailLink(browser, address, "Confirm your email address", "/email/verify?t=", "mail-verify");
  await page.goto(verify);
  check((await page.textContent("h1")).includes("Address confirmed"), "the link confirms the address");
  await axe(page, "email-verified");
  await screenshots(page, "email-verified");
  await page.goto(`${base}/settings/email`);
  check((await page.textContent("#email-state")).includes("is confirmed"), "the settings say confirmed");
  await page.goto(verify);
  check((await page.textContent("h1")).includes("does not work"), "the link works once");
  console.log("ok address verified");

  await page.click("#signout");
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/signin`);
  await page.click("a[href='/password/forgot']");
  await page.waitForURL(`${base}/password/forgot`);
  await axe(page, "forgot");
  await screenshots(page, "forgot");
  await page.fill("#who", name);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/password/forgot?done=1`);
  check(await page.isVisible("#forgot-sent"), "the request is confirmed");
  await axe(page, "forgot-sent");
  await screenshots(page, "forgot-sent");
  console.log("ok reset requested");

  const reset = await mailLink(browser, address, "Choose a new password", "/password/reset?t=", "mail-reset");
  await page.goto(reset);
  await axe(page, "reset");
  await screenshots(page, "reset");
  await page.fill("#password", "short");
  await page.click("form.stack button[type=submit]");
  check(await page.isVisible("#password-error"), "a short password is refused");
  await axe(page, "reset-error");
  await page.fill("#password", second);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL(`${base}/u/${name}`);
  check((await page.textContent("#nav-profile")).trim() === name, "signed in after the reset");
  console.log("ok password reset and signed in");

  await page.goto(reset);
  check((await page.textContent("h1")).includes("does not work"), "the reset link works once");
  await axe(page, "reset-used");
  await screenshots(page, "reset-used");

  await page.goto(`${base}/email/unsubscribe?t=${unsubscribe}`);
  check((await page.textContent("main")).includes("answers to your questions"), "what the link turns off");
  await axe(page, "unsubscribe");
  await screenshots(page, "unsubscribe");
  await page.click("main form button[type=submit]");
  await page.waitForURL(`${base}/email/unsubscribe?done=1`);
  check((await page.textContent("#message")).includes("turned off"), "unsubscribed");
  console.log("ok unsubscribed");

  // German pages by Accept-Language.
  const de = await newPage(browser, { locale: "de-DE" });
  await de.goto(`${base}/password/forgot`);
  check((await de.textContent("h1")).trim() === "Passwort vergessen?", "the forgot page is German");
  await axe(de, "forgot-de");
  noProblems(page, "email");
  noProblems(de, "german email pages");
});
