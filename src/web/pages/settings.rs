//! The signed-in user's settings (`/settings`): display name and bio (as `PATCH /me`),
//! the email choice per notification kind (as `PUT /notifications/preferences`) and the
//! language of the pages (stored per user, used before `Accept-Language`).

use crate::db::notification_kinds::{Kind, EMAIL_CHOICES};
use crate::db::queries;
use crate::db::queries::notifications as nq;
use crate::domain::accounts::{check_profile, MAX_BIO, MAX_DISPLAY_NAME};
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, FieldErrors};
use crate::web::i18n::{Tr, LANGUAGES};
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// One notification kind's email choice on the form.
pub struct EmailChoice {
    pub kind: &'static str,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    l: Layout,
    done: bool,
    display_name: String,
    bio: String,
    /// `""` for the browser's language.
    language: String,
    /// (code, name) of the offered languages.
    languages: Vec<(&'static str, String)>,
    email: Vec<EmailChoice>,
    /// (value, label) of the email choices.
    choices: Vec<(&'static str, String)>,
    max_display_name: i64,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// What the form holds.
struct Values {
    display_name: String,
    bio: String,
    language: String,
    email: Vec<(Kind, String)>,
}

fn render(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    values: Values,
    done: bool,
    errors: FieldErrors,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = SettingsPage {
        l: Layout::new(data, v, tr, tr.t("settings-title")),
        done,
        display_name: values.display_name,
        bio: values.bio,
        language: values.language,
        languages: LANGUAGES
            .iter()
            .map(|(code, _)| (*code, tr.t(&format!("settings-language-{code}"))))
            .collect(),
        email: values
            .email
            .into_iter()
            .map(|(k, value)| EmailChoice {
                kind: k.as_str(),
                label: tr.t(&format!("settings-kind-{}", k.as_str())),
                value,
            })
            .collect(),
        choices: EMAIL_CHOICES
            .iter()
            .map(|c| (*c, tr.t(&format!("settings-email-{c}"))))
            .collect(),
        max_display_name: MAX_DISPLAY_NAME as i64,
        errors,
    };
    respond(data, v, status, &page)
}

pub async fn settings_form(data: Ctx, headers: HeaderMap, Query(q): Query<DoneQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((user, actor)) = &v.user else {
        return redirect("/signin");
    };
    let uid = user.id;
    let prefs = match data.db.run(move |c| nq::prefs(c, uid)).await {
        Ok(p) => p,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let values = Values {
        display_name: actor.display_name.clone().unwrap_or_default(),
        bio: actor.summary.clone().unwrap_or_default(),
        language: v.language.clone().unwrap_or_default(),
        email: Kind::ALL
            .iter()
            .map(|k| {
                let set = prefs.get(k.as_str()).map(String::as_str);
                (*k, set.unwrap_or(k.default_email()).to_string())
            })
            .collect(),
    };
    render(
        &data,
        &v,
        &tr,
        values,
        q.done.is_some(),
        FieldErrors::default(),
    )
}

/// Saves the settings; the pages answer in the chosen language from the next one on.
pub async fn save(
    data: Ctx,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if let Err(why) = csrf::check(&data.base, &headers, &v, &field("csrf")) {
        return csrf_refused(&data, &v, &tr, why, "/settings");
    }
    let Some((user, actor)) = &v.user else {
        return redirect("/signin");
    };
    let mut errors = FieldErrors::default();
    let display_name = field("display_name").trim().to_string();
    let bio = field("bio");
    if display_name.chars().count() > MAX_DISPLAY_NAME {
        errors.add(
            "display_name",
            tr.n("settings-display-name-long", MAX_DISPLAY_NAME as i64),
        );
    }
    if bio.len() > MAX_BIO {
        errors.add("bio", tr.n("settings-bio-long", MAX_BIO as i64));
    }
    let language = field("language");
    if !language.is_empty() && !LANGUAGES.iter().any(|(c, _)| *c == language) {
        errors.add("language", tr.t("error-bad-request-message"));
    }
    let mut email = Vec::new();
    for k in Kind::ALL {
        let value = field(&format!("email_{}", k.as_str()));
        let value = if value.is_empty() {
            k.default_email().to_string()
        } else {
            value
        };
        if !EMAIL_CHOICES.contains(&value.as_str()) {
            errors.add("email", tr.t("error-bad-request-message"));
        }
        email.push((k, value));
    }
    let values = Values {
        display_name,
        bio,
        language,
        email,
    };
    if errors.is_empty() {
        if let Err(e) = check_profile(Some(&values.display_name), Some(&values.bio)) {
            errors.add("", tr.t("error-bad-request-message"));
            tracing::debug!("settings refused: {e}");
        }
    }
    if !errors.is_empty() {
        return render(&data, &v, &tr, values, false, errors);
    }
    let (uid, aid) = (user.id, actor.id);
    let name = (!values.display_name.is_empty()).then(|| values.display_name.clone());
    let bio = (!values.bio.trim().is_empty()).then(|| values.bio.clone());
    let language = (!values.language.is_empty()).then(|| values.language.clone());
    let choices: Vec<(String, String)> = values
        .email
        .iter()
        .map(|(k, e)| (k.as_str().to_string(), e.clone()))
        .collect();
    let saved = data
        .db
        .run(move |c| {
            c.transaction(|c| {
                queries::actors::update_profile(c, aid, name, bio)?;
                nq::set_prefs(c, uid, &choices)?;
                queries::user_settings::set_language(c, uid, language.as_deref())
            })
        })
        .await;
    match saved {
        Ok(()) => redirect("/settings?done=1"),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
