// The admin console in a real browser: the admin signs in, follows the header's link to
// federation health, finds the instance whose deliveries wait (it is down), blocks it
// from its row, and sees its deliveries stop waiting. The form for any domain refuses
// this instance's own domain with the form kept. axe-core and screenshots on each state.
// Usage: node admin.mjs BASE_URL ADMIN PASSWORD REMOTE_DOMAIN
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, admin, password, remote] = process.argv.slice(2);
const row = `tr[data-domain="${remote}"]`;

main(async (browser) => {
  const page = await newPage(browser, { locale: "en-US" });
  await page.goto(`${base}/signin`);
  await page.fill("#username", admin);
  await page.fill("#password", password);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));

  // The header's link leads to the console.
  await page.click("#nav-admin");
  await page.waitForURL(`${base}/admin/federation`);
  check((await page.textContent("h1")).includes("Federation health"), "the federation page");
  const pending = Number(await page.textContent(`${row} td.pending`));
  check(pending > 0, `${remote} has deliveries waiting: ${pending}`);
  check((await page.textContent(`${row} td.policy-none`)).includes("None"), "no policy yet");
  await axe(page, "admin-federation");
  await screenshots(page, "admin-federation");
  noProblems(page, "federation page");
  console.log(`ok ${remote} is listed with ${pending} deliveries waiting`);

  // Search by domain.
  await page.fill("#fed-search", remote.split(":")[1] || remote);
  await page.click("#fed-search-submit");
  await page.waitForURL(/\/admin\/federation\?q=/);
  check((await page.locator(row).count()) === 1, "the search finds the instance");

  // Block it from its row, by keyboard.
  await page.focus(`${row} button[value=block]`);
  await page.keyboard.press("Enter");
  await page.waitForURL(/done=policy/);
  check((await page.textContent("#admin-notice")).includes(remote), "the notice names the instance");
  check((await page.textContent(`${row} td.policy-block`)).includes("Blocked"), "the instance is blocked");
  check(Number(await page.textContent(`${row} td.pending`)) === 0, "nothing waits for it any more");
  check(Number(await page.textContent(`${row} td.failed`)) >= pending, "its deliveries failed");
  check((await page.locator(`${row} button[value=clear]`).count()) === 1, "the block can be cleared");
  await axe(page, "admin-federation-blocked");
  await screenshots(page, "admin-federation-blocked");
  noProblems(page, "blocked");
  console.log(`ok ${remote} blocked from the browser`);

  // This instance's own domain is refused, the form kept, the message next to the field.
  const own = new URL(base).host;
  await page.goto(`${base}/admin/federation`);
  await page.fill("#fed-domain", own);
  await page.selectOption("#fed-policy", "silence");
  await page.fill("#fed-reason", "a reason kept");
  await page.click("#fed-set-submit");
  await page.waitForSelector("#fed-domain-error");
  check((await page.inputValue("#fed-domain")) === own, "the domain is kept");
  check((await page.inputValue("#fed-reason")) === "a reason kept", "the reason is kept");
  check((await page.getAttribute("#fed-domain", "aria-invalid")) === "true", "the field is marked");
  await axe(page, "admin-federation-error");
  await screenshots(page, "admin-federation-error");
  noProblems(page, "error");
  console.log("ok the form comes back with its message");
});
