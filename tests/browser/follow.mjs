// "Follow from your server" in a real browser: a stand-in for the visitor's Mastodon
// server (a real HTTP server on 127.0.0.1, started here) publishes the remote-follow
// template in its WebFinger answer; typing the handle on the group page lands the browser
// on that server's page with the group's id filled in. An account the server does not
// know brings the form back, filled, with a readable message.
// Usage: node follow.mjs BASE_URL GROUP GROUP_ACTOR_ID
import { createServer } from "node:http";
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, groupId] = process.argv.slice(2);

/** The visitor's server: WebFinger for `me` only, and the page of its template. */
function startMastodon() {
  const lookups = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const self = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === "/.well-known/webfinger") {
      const resource = url.searchParams.get("resource");
      lookups.push(resource);
      if (resource !== `acct:me@127.0.0.1:${server.address().port}`) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      res.writeHead(200, { "content-type": "application/jrd+json" });
      res.end(
        JSON.stringify({
          subject: resource,
          links: [
            { rel: "self", type: "application/activity+json", href: `${self}/users/me` },
            { rel: "http://ostatus.org/schema/1.0/subscribe", template: `${self}/authorize_interaction?uri={uri}` },
          ],
        }),
      );
      return;
    }
    if (url.pathname === "/authorize_interaction") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end('<!doctype html><html lang="en"><title>Follow</title><h1 id="remote">Follow this account?</h1></html>');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, lookups })));
}

main(async (browser) => {
  const { server, lookups } = await startMastodon();
  try {
    const port = server.address().port;
    const remote = `http://127.0.0.1:${port}`;
    const page = await newPage(browser, { locale: "en-US" });

    // A handle its server does not know: the form comes back, filled, with a message.
    await page.goto(`${base}/g/${group}`);
    await page.fill("#remote-handle", `@nobody@127.0.0.1:${port}`);
    await page.click("section.remote-follow button[type=submit]");
    await page.waitForURL(`${base}/g/${group}/follow`);
    check((await page.textContent("#remote-follow-error")).includes("does not know this account"), "the refusal is readable");
    check((await page.inputValue("#remote-handle")) === `@nobody@127.0.0.1:${port}`, "the handle is kept");
    check((await page.textContent("section.remote-follow")).includes(`@${group}@`), "the group's handle is offered to paste");
    await axe(page, "remote-follow-error");
    await screenshots(page, "remote-follow-error");
    noProblems(page, "remote follow refused");
    console.log("ok an unknown account is refused with the form kept");

    // The right handle: the browser lands on the visitor's server with the group filled in.
    await page.goto(`${base}/g/${group}`);
    await page.fill("#remote-handle", `@me@127.0.0.1:${port}`);
    await page.click("section.remote-follow button[type=submit]");
    await page.waitForURL(`${remote}/authorize_interaction?**`);
    const landed = new URL(page.url());
    check(landed.origin === remote, `the browser is on the visitor's server: ${page.url()}`);
    check(landed.searchParams.get("uri") === groupId, `the group's id is filled in: ${page.url()}`);
    check((await page.textContent("#remote")).includes("Follow this account"), "the remote page is shown");
    check(lookups.includes(`acct:me@127.0.0.1:${port}`), `the handle was looked up: ${lookups}`);
    noProblems(page, "remote follow");
    console.log("ok follow from your server lands on the remote server");
  } finally {
    server.close();
  }
});
