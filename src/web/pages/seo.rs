//! What search engines read: the thread page's head (schema.org `QAPage` JSON-LD, a
//! canonical URL, a meta description, OpenGraph tags, the feed link), `robots.txt` and
//! `sitemap.xml` (with a sitemap index once the questions do not fit one file).
//!
//! Nothing of a removed or deleted post is described: such a question's page carries no
//! JSON-LD and no description, and such answers are left out.

use super::thread::Item;
use crate::db::models::Post;
use crate::db::queries;
use crate::domain::posts::html_to_text;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// URLs in one sitemap file (the protocol allows 50 000).
pub const SITEMAP_URLS: i64 = 10_000;
/// Characters of a meta description at most.
const DESCRIPTION_CHARS: usize = 160;

/// The thread page's `<head>` additions (`templates/_thread_head.html`).
pub struct ThreadHead {
    pub canonical: String,
    pub feed: String,
    /// Empty for a removed or deleted question.
    pub description: String,
    pub og_title: String,
    /// Escaped for a `<script>` element; empty for a removed or deleted question.
    pub json_ld: String,
}

/// The first words of a text, at most [`DESCRIPTION_CHARS`] characters, ending at a word.
pub fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        let extra = if out.is_empty() { 0 } else { 1 } + w.chars().count();
        if out.chars().count() + extra > DESCRIPTION_CHARS {
            if out.is_empty() {
                out = w.chars().take(DESCRIPTION_CHARS - 1).collect();
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` as `\u00XX`, so
/// that no text in it can end the element (`</script>`) or open a comment.
pub fn script_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn absolute(base: &str, href: &str) -> String {
    if href.starts_with('/') {
        format!("{base}{href}")
    } else {
        href.to_string()
    }
}

fn person(base: &str, item: &Item) -> Value {
    let mut p = json!({"@type": "Person", "name": format!("@{}", item.author.handle)});
    if !item.author.href.is_empty() {
        p["url"] = json!(absolute(base, &item.author.href));
    }
    p
}

fn answer(base: &str, qid: i64, a: &Item) -> Value {
    json!({
        "@type": "Answer",
        "text": html_to_text(&a.html),
        "upvoteCount": a.score,
        "dateCreated": a.published,
        "url": format!("{base}/q/{qid}#p{}", a.id),
        "author": person(base, a),
    })
}

/// The head of the thread page of `question` (its page `page`; `q` and `answers` as the
/// page shows them).
pub fn thread_head(
    data: &Ctx,
    question: &Post,
    q: &Item,
    answers: &[Item],
    page: i64,
) -> ThreadHead {
    let base = data.base.as_str();
    let qid = question.id;
    let canonical = if page > 1 {
        format!("{base}/q/{qid}?page={page}")
    } else {
        format!("{base}/q/{qid}")
    };
    let feed = format!("/q/{qid}/feed.atom");
    if !question.visible() || q.state != "shown" {
        return ThreadHead {
            canonical,
            feed,
            description: String::new(),
            og_title: String::new(),
            json_ld: String::new(),
        };
    }
    let title = question.title.clone().unwrap_or_default();
    let text = html_to_text(&q.html);
    let shown: Vec<&Item> = answers.iter().filter(|a| a.state == "shown").collect();
    let mut main = json!({
        "@type": "Question",
        "name": title,
        "text": text,
        "answerCount": question.answer_count,
        "upvoteCount": q.score,
        "dateCreated": q.published,
        "author": person(base, q),
        "url": format!("{base}/q/{qid}"),
    });
    if let Some(a) = shown.iter().find(|a| a.accepted) {
        main["acceptedAnswer"] = answer(base, qid, a);
    }
    let suggested: Vec<Value> = shown
        .iter()
        .filter(|a| !a.accepted)
        .map(|a| answer(base, qid, a))
        .collect();
    if !suggested.is_empty() {
        main["suggestedAnswer"] = Value::Array(suggested);
    }
    let ld = json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": main,
    });
    ThreadHead {
        canonical,
        feed,
        description: first_words(&text),
        og_title: title,
        json_ld: script_json(&ld),
    }
}

fn text(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// `robots.txt`: pages may be crawled, the API, settings and forms may not; where the
/// sitemap is.
pub async fn robots(data: Ctx) -> Response {
    let body = format!(
        "User-agent: *\n\
         Allow: /\n\
         Disallow: /api/\n\
         Disallow: /settings\n\
         Disallow: /signin\n\
         Disallow: /signup\n\
         Disallow: /signout\n\
         Disallow: /search\n\
         Disallow: /g/*/follow\n\
         Disallow: /u/*/follow\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        data.base
    );
    text("text/plain; charset=utf-8", body)
}

/// XML's five escapes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// How many sitemap files `count` questions need (0 when one `urlset` holds them).
pub fn sitemap_files(count: i64, per_file: i64) -> i64 {
    if count <= per_file {
        0
    } else {
        (count + per_file - 1) / per_file
    }
}

async fn urlset(data: &Ctx, file: i64) -> AppResult<String> {
    let offset = (file - 1) * SITEMAP_URLS;
    let rows = data
        .db
        .run(move |c| queries::outreach::sitemap_questions(c, offset, SITEMAP_URLS))
        .await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (id, lastmod) in rows {
        out.push_str(&format!(
            "<url><loc>{}/q/{id}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&data.base),
            crate::db::rfc3339(lastmod)
        ));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// `sitemap.xml`: the questions of local groups with their last activity; a sitemap
/// index of `/sitemap/{n}.xml` files once they are more than [`SITEMAP_URLS`].
pub async fn sitemap(data: Ctx) -> AppResult<Response> {
    let count = data.db.run(queries::outreach::sitemap_count).await?;
    let files = sitemap_files(count, SITEMAP_URLS);
    if files == 0 {
        return Ok(text(
            "application/xml; charset=utf-8",
            urlset(&data, 1).await?,
        ));
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=files {
        out.push_str(&format!(
            "<sitemap><loc>{}/sitemap/{n}.xml</loc></sitemap>\n",
            xml_escape(&data.base)
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(text("application/xml; charset=utf-8", out))
}

/// One file of a sitemap index (`/sitemap/{n}.xml`).
pub async fn sitemap_file(data: Ctx, Path(file): Path<String>) -> AppResult<Response> {
    let n = file
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 1 && *n <= 100_000)
        .ok_or_else(|| AppError::NotFound("no such sitemap".into()))?;
    let count = data.db.run(queries::outreach::sitemap_count).await?;
    if n > sitemap_files(count, SITEMAP_URLS).max(1) {
        return Err(AppError::NotFound("no such sitemap".into()));
    }
    Ok(text(
        "application/xml; charset=utf-8",
        urlset(&data, n).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_end_the_script() {
        let v = json!({"text": "</script><script>alert(1)</script> & <!--"});
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn descriptions_end_at_a_word() {
        assert_eq!(
            first_words("  How do   I\nreset it? "),
            "How do I reset it?"
        );
        let long = "word ".repeat(100);
        let d = first_words(&long);
        assert!(d.chars().count() <= DESCRIPTION_CHARS + 1, "{d}");
        assert!(d.ends_with("word…"), "{d}");
    }

    #[test]
    fn sitemaps_split_when_large() {
        assert_eq!(sitemap_files(0, 10), 0);
        assert_eq!(sitemap_files(10, 10), 0);
        assert_eq!(sitemap_files(11, 10), 2);
        assert_eq!(sitemap_files(30, 10), 3);
        assert_eq!(xml_escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
