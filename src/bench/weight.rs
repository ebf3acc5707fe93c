//! The page weight budget: what a browser transfers for a page, compressed, the first time
//! it opens it: the HTML and the stylesheets and scripts it references, each asked for
//! with `Accept-Encoding: br, gzip` and counted as the bytes on the wire (the body as
//! sent, before any decompression). `peerdesk bench read --html` prints it for a thread
//! page; a test holds the thread page under [`BUDGET`].

use anyhow::Context;
use url::Url;

/// The most a thread page may weigh, HTML, CSS and JS together, compressed.
pub const BUDGET: usize = 50 * 1024;

/// The most the help widget may weigh: its framed page with its stylesheet and script,
/// and the `/embed.js` loader, compressed.
pub const WIDGET_BUDGET: usize = 30 * 1024;

/// One file of a page as transferred.
#[derive(Debug, Clone)]
pub struct Part {
    pub url: String,
    /// `html`, `css` or `js`.
    pub kind: &'static str,
    /// `Content-Encoding` of the answer (`identity` when none).
    pub encoding: String,
    /// Bytes of the body as sent.
    pub bytes: usize,
}

/// A page and what it references.
#[derive(Debug, Clone)]
pub struct Weight {
    pub parts: Vec<Part>,
}

impl Weight {
    /// Bytes transferred of one kind (`html`, `css`, `js`).
    pub fn of(&self, kind: &str) -> usize {
        self.parts
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.bytes)
            .sum()
    }

    /// Bytes transferred in all.
    pub fn total(&self) -> usize {
        self.parts.iter().map(|p| p.bytes).sum()
    }
}

/// The `attr` attribute of each `<tag ...>` in `html` whose tag text passes `keep`.
fn attributes<'a>(
    html: &'a str,
    tag: &str,
    attr: &str,
    keep: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let (open, name) = (format!("<{tag} "), format!(" {attr}=\""));
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let tail = &rest[at..];
        let end = tail.find('>').unwrap_or(tail.len());
        let text = &tail[..end];
        if keep(text) {
            if let Some(v) = text.find(&name).map(|i| &text[i + name.len()..]) {
                found.push(v.split('"').next().unwrap_or_default());
            }
        }
        rest = &tail[end..];
    }
    found
}

/// The stylesheets and scripts a page references: (kind, URL as written).
pub fn references(html: &str) -> Vec<(&'static str, String)> {
    let css = attributes(html, "link", "href", |t| t.contains("rel=\"stylesheet\""));
    let js = attributes(html, "script", "src", |_| true);
    css.into_iter()
        .map(|u| ("css", u.to_string()))
        .chain(js.into_iter().map(|u| ("js", u.to_string())))
        .collect()
}

/// A client that keeps bodies as sent (no decompression) and follows no redirects.
pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .no_zstd()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    kind: &'static str,
    accept: &str,
    encodings: &str,
) -> anyhow::Result<(Part, Vec<u8>)> {
    let resp = client
        .get(url.clone())
        .header("accept", accept)
        .header("accept-encoding", encodings)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    anyhow::ensure!(resp.status().is_success(), "GET {url}: {}", resp.status());
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_string();
    let body = resp.bytes().await?.to_vec();
    let part = Part {
        url: url.to_string(),
        kind,
        encoding,
        bytes: body.len(),
    };
    Ok((part, body))
}

/// The weight of the page at `url`: its HTML and every stylesheet and script it
/// references, compressed as the server sends them to a browser.
pub async fn page_weight(client: &reqwest::Client, url: &str) -> anyhow::Result<Weight> {
    let url = Url::parse(url)?;
    let (page, _) = fetch(client, &url, "html", "text/html", "br, gzip").await?;
    // The same page as text, to read what it references.
    let (_, body) = fetch(client, &url, "html", "text/html", "identity").await?;
    let html = String::from_utf8_lossy(&body);
    let mut parts = vec![page];
    for (kind, href) in references(&html) {
        let at = url.join(&href)?;
        parts.push(fetch(client, &at, kind, "*/*", "br, gzip").await?.0);
    }
    Ok(Weight { parts })
}

/// The bench's table of a page's weight, in KiB.
pub fn table(backend: &str, page: &str, w: &Weight) -> String {
    let kib = |b: usize| b as f64 / 1024.0;
    let encodings: Vec<&str> = w.parts.iter().map(|p| p.encoding.as_str()).collect();
    let mut encodings = encodings;
    encodings.dedup();
    format!(
        "| page weight | backend | page | HTML KiB | CSS KiB | JS KiB | total KiB | budget KiB | encoding |\n\
         |---|---|---|---|---|---|---|---|---|\n\
         | compressed | {backend} | {page} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {} |",
        kib(w.of("html")),
        kib(w.of("css")),
        kib(w.of("js")),
        kib(w.total()),
        kib(BUDGET),
        encodings.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found() {
        let html = r#"<html><head><link rel="icon" href="/favicon.ico">
            <link rel="stylesheet" href="/static/ab/peerdesk.css">
            <script type="application/ld+json">{"a": 1}</script>
            <script src="/static/ab/peerdesk.js" defer></script>
            <script src="/static/ab/vendor/htmx.min.js" defer></script></head></html>"#;
        assert_eq!(
            references(html),
            vec![
                ("css", "/static/ab/peerdesk.css".to_string()),
                ("js", "/static/ab/peerdesk.js".to_string()),
                ("js", "/static/ab/vendor/htmx.min.js".to_string()),
            ]
        );
    }
}
