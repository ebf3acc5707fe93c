// The help widget in a real browser, on a page of another origin: a company's
// documentation page (a real HTTP server on 127.0.0.1, started here, with a strict CSP of
// its own that allows only peerdesk's script and frame) carries the one-line snippet.
// The loader frames the widget with a title and sizes it by the height the frame
// reports; the frame shows the article and the solved question for the page's topic,
// searches, and "Continue to ask" opens the full ask form in a new tab, prefilled: the
// visitor signs in there, comes back to the filled form and posts. Nothing is requested
// from any other site. axe-core on the documentation page and in the frame; screenshots.
// Usage: node widget.mjs BASE_URL GROUP USER PASSWORD
import { createServer } from "node:http";
import { main, newPage, check, noProblems, axe, screenshots } from "./lib.mjs";

const [base, group, user, password] = process.argv.slice(2);
const TITLE = "Paper tray squeaks when printing";

function startDocsSite() {
  const server = createServer((req, res) => {
    if (req.url !== "/docs/scanner") {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${base}; frame-src ${base}`,
    });
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scanner manual · Acme docs</title></head>
<body><main><h1>Scanner manual</h1>
<p>Load paper face down and close the cover before scanning.</p>
<h2>Help from the community</h2>
<script src="${base}/embed.js" data-group="${group}" data-topic="scanner paper" async></script>
</main></body></html>`);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

main(async (browser) => {
  const server = await startDocsSite();
  try {
    const docs = `http://127.0.0.1:${server.address().port}`;
    const page = await newPage(browser, { locale: "en-US" });
    const requested = [];
    page.context().on("request", (r) => requested.push(r.url()));

    await page.goto(`${docs}/docs/scanner`);
    const el = await page.waitForSelector("iframe.peerdesk-widget");
    const title = await el.getAttribute("title");
    check(title && title.includes(group), `the frame has a title: ${title}`);
    const frame = await el.contentFrame();
    await frame.waitForSelector("#w-suggested");
    const suggested = await frame.textContent("#w-suggested");
    check(suggested.includes("Cleaning the scanner's feed roller"), `the article is suggested: ${suggested}`);
    check(suggested.includes("Scanner jams on thick paper"), "the solved question is suggested");
    check(!suggested.includes("driver crashes"), "an open question is not suggested");
    await page.waitForFunction(() => /px$/.test(document.querySelector("iframe.peerdesk-widget").style.height));
    const fedi = await frame.getAttribute("#w-fediverse", "href");
    check(fedi === `/g/${group}/follow`, `continue as a fediverse user: ${fedi}`);
    console.log("ok the widget is framed with its suggestions");
    await axe(page, "widget-host");
    await axe(frame, "widget");
    await screenshots(page, "widget-host");

    // Search inside the frame.
    await frame.fill("#w-q", "driver");
    await frame.click("#w-search");
    await frame.waitForSelector("#w-results");
    const results = await frame.textContent("#w-results");
    check(results.includes("Scanner driver crashes on start"), `the search finds it: ${results}`);
    await axe(frame, "widget-results");
    console.log("ok search");

    // Ask: a new tab with the full form, through sign-in, prefilled.
    await frame.fill("#w-title", TITLE);
    await frame.fill("#w-body", "Since the last update the paper tray squeaks on every page.");
    const [tab] = await Promise.all([page.context().waitForEvent("page"), frame.click("#w-ask-submit")]);
    tab.problems = [];
    tab.on("console", (m) => m.type() === "error" && tab.problems.push(`console: ${m.text()}`));
    tab.on("pageerror", (e) => tab.problems.push(`script error: ${e.message}`));
    await tab.waitForURL((u) => u.pathname === "/signin");
    await tab.fill("#username", user);
    await tab.fill("#password", password);
    await tab.click("form.stack button[type=submit]");
    await tab.waitForURL((u) => u.pathname === `/g/${group}/ask`);
    check((await tab.inputValue("#title")) === TITLE, "the title is prefilled");
    check((await tab.inputValue("#body")).includes("squeaks on every page"), "the details are prefilled");
    if (await tab.isVisible("#guidelines-ok")) await tab.check("#guidelines-ok");
    await tab.click("#ask-submit");
    await tab.waitForURL((u) => /^\/q\/\d+$/.test(u.pathname));
    check((await tab.textContent("h1")).includes(TITLE), "the question is posted");
    console.log(`ok asked ${new URL(tab.url()).pathname}`);

    const base_origin = new URL(base).origin;
    const foreign = requested.filter((u) => !u.startsWith("data:") && ![base_origin, docs].includes(new URL(u).origin));
    check(foreign.length === 0, `no third-party requests: ${foreign.join(", ")}`);
    check(requested.some((u) => u.startsWith(`${base_origin}/embed/g/${group}`)), "the frame was loaded");
    console.log(`ok ${requested.length} requests, all to the docs site or peerdesk`);
    noProblems(page, "docs page");
    noProblems(tab, "ask tab");
  } finally {
    server.close();
  }
});
