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

/// A page as a browser asks for it (English), with the session `cookie` (`""` for none).
pub async fn page(base: &str, path: &str, cookie: &str) -> (reqwest::StatusCode, String) {
    let resp = client()
        .get(format!("{base}{path}"))
        .header("accept", "text/html")
        .header("accept-language", "en")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let s = resp.status();
    (s, resp.text().await.unwrap())
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

/// The session cookie of a bearer token (the web app's session is the API's token).
pub fn cookie(token: &str) -> String {
    format!("pd_session={token}")
}
