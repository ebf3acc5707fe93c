//! Markdown rendering and HTML sanitising (ammonia) for everything users write.

use pulldown_cmark::{html, Options, Parser};

/// Renders markdown to sanitised HTML.
pub fn markdown_to_html(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, opts));
    sanitize_html(&out)
}

/// Cleans untrusted HTML (from remote servers or rendered markdown).
pub fn sanitize_html(html: &str) -> String {
    // Built once: the default builder is a set of hash sets of tags and attributes.
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = ammonia::Builder::default();
            b.link_rel(Some("nofollow noopener noreferrer"));
            b
        });
    CLEANER.clean(html).to_string()
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    ammonia::clean_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_scripts_removed() {
        let html = markdown_to_html("**hi** <script>alert(1)</script>");
        assert!(html.contains("<strong>hi</strong>"));
        assert!(!html.contains("<script"));
    }
}
