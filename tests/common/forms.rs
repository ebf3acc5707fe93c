//! Pages and forms over plain HTTP, as the web tests read them.
#![allow(dead_code)]

/// A client that does not follow redirects, so that a test sees where a form sends it.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The CSRF token in a page's form.
pub fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_string()
}

/// GET a page as a browser would (HTML, English) with the session `cookie`
/// (`pd_session=…`, or empty): (status, body).
pub async fn page(url: &str, cookie: &str) -> (reqwest::StatusCode, String) {
    let resp = client()
        .get(url)
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::ACCEPT_LANGUAGE, "en")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.text().await.unwrap())
}

/// POST a form as a browser would: (status, redirect target or "", body).
pub async fn post_form(
    url: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (reqwest::StatusCode, String, String) {
    let resp = client()
        .post(url)
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::ACCEPT_LANGUAGE, "en")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (resp.status(), location, resp.text().await.unwrap())
}

/// GET a page signed out: (the pre-session cookie `pd_anon=…` its forms need, body).
pub async fn anon_page(url: &str) -> (String, String) {
    let resp = client()
        .get(url)
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    let cookie = resp
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pd_anon="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a pre-session cookie");
    (cookie, resp.text().await.unwrap())
}

/// [`page`] of `base` + `path`.
pub async fn page_at(base: &str, path: &str, cookie: &str) -> (reqwest::StatusCode, String) {
    page(&format!("{base}{path}"), cookie).await
}

/// A form posted as a browser posts it (same origin), with the session `cookie`.
pub async fn post(
    base: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client()
        .post(format!("{base}{path}"))
        .header("accept", "text/html")
        .header("accept-language", "en")
        .header("cookie", cookie)
        .header("origin", base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish(),
        )
        .send()
        .await
        .unwrap()
}

/// The cookie of a signed-in browser whose session is the API token `token`.
pub fn cookie(token: &str) -> String {
    format!("pd_session={token}")
}
