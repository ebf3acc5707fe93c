// Private messages in a real browser: a member writes to another from their profile (an
// empty message comes back at its field, the recipient kept), the recipient finds it
// under "Messages" in the header, answers, and reports the sender's message. axe-core
// and screenshots of every messages page.
// Usage: node messages.mjs BASE_URL SENDER RECIPIENT PASSWORD
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, sender, recipient, password] = process.argv.slice(2);

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
  // The sender writes from the recipient's profile.
  const carol = await signIn(browser, sender, `/u/${recipient}`);
  await carol.click("#send-message");
  await carol.waitForURL(/\/messages\/new\?to=/);
  check((await carol.inputValue("#message-to")).includes(recipient), "the recipient is filled in");
  await axe(carol, "message-new");
  await screenshots(carol, "message-new");
  // An empty message comes back at its field, the recipient kept.
  await carol.evaluate(() => document.querySelector("#message-body").removeAttribute("required"));
  await carol.fill("#message-body", "   ");
  await carol.click("#message-new button[type=submit]");
  await carol.locator("#body-error").waitFor();
  check((await carol.inputValue("#message-to")).includes(recipient), "the recipient is kept");
  await axe(carol, "message-new-refused");
  await carol.fill("#message-body", "Hello, could you check **order 42** for me?");
  await carol.click("#message-new button[type=submit]");
  await carol.waitForURL(/\/messages\/\d+#m\d+$/);
  const path = new URL(carol.url()).pathname;
  check((await carol.textContent("#messages")).includes("order 42"), "the message shows");
  await axe(carol, "conversation");
  await screenshots(carol, "conversation");
  noProblems(carol, "sender");
  console.log(`ok sent ${path}`);

  // The recipient finds it in the header's Messages, unread, and answers.
  const bob = await signIn(browser, recipient, "/");
  await bob.click("#nav-messages");
  await bob.waitForURL(`${base}/messages`);
  await bob.locator("#conversations .unread").waitFor();
  await axe(bob, "messages");
  await screenshots(bob, "messages");
  await bob.click(`#conversations a[href="${path}"]`);
  await bob.waitForURL(`${base}${path}`);
  check((await bob.locator("#messages strong").first().textContent()).length > 0, "the author shows");
  await bob.fill("#message-body", "Order 42 shipped yesterday.");
  await bob.click("#message-reply button[type=submit]");
  await bob.waitForURL(new RegExp(`${path}#m\\d+$`));
  check((await bob.textContent("#messages")).includes("shipped yesterday"), "the reply shows");
  // Back in the list, nothing is unread any more.
  await bob.goto(`${base}/messages`);
  check((await bob.locator("#conversations .unread").count()) === 0, "read once opened");

  // The recipient reports the sender's message.
  await bob.goto(`${base}${path}`);
  await bob.click(".report-message summary");
  await bob.locator(".report-message input[name=reason]").fill("Unsolicited");
  await bob.click(".report-message button[type=submit]");
  await bob.waitForURL(`${base}/messages?reported=1`);
  await bob.locator("#messages-reported").waitFor();
  await axe(bob, "messages-reported");
  noProblems(bob, "recipient");
  console.log("ok answered and reported");

  // The sender sees the answer; a third person is refused the conversation.
  await carol.goto(`${base}${path}`);
  check((await carol.textContent("#messages")).includes("shipped yesterday"), "the answer reached the sender");
  const visitor = await newPage(browser, { locale: "en-US" });
  await visitor.goto(`${base}${path}`);
  check(new URL(visitor.url()).pathname === "/signin", "visitors sign in first");
  console.log("ok the conversation is private");
});
