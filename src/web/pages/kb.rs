//! The knowledge base pages: a group's articles with their search (`/g/{name}/kb`), one
//! article (`/kb/{id}`, also `/g/{name}/kb/{id}`) with when it was last reviewed, its
//! source thread and history, the form that turns a solved thread into an article
//! (`/q/{id}/article`), the edit form, the history, and the "mark reviewed" and "retire"
//! buttons. Writing is for the group's moderators, admins and its recognised staff
//! (`actions::articles`); a refused form keeps its input with the message at the field.

use super::{date, Author};
use crate::actions::articles::{self, ArticleInput};
use crate::db::models::Actor;
use crate::domain::posts::{MAX_BODY, MAX_TAGS, MAX_TITLE, MIN_TITLE};
use crate::domain::ratelimit::Action;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::read::articles::{self as ra, ArticleView};
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// An article in a list.
pub struct Item {
    pub href: String,
    pub title: String,
    pub tags: Vec<String>,
    pub reviewed: String,
    pub stale: bool,
}

impl Item {
    fn new(a: &ArticleView) -> Item {
        Item {
            href: format!("/kb/{}", a.id),
            title: a.title.clone(),
            tags: a.tags.clone(),
            reviewed: date(&a.reviewed_at),
            stale: a.stale,
        }
    }
}

#[derive(Template)]
#[template(path = "kb_list.html")]
struct ListPage {
    l: Layout,
    name: String,
    q: String,
    searched: bool,
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
}

/// `GET /g/{name}/kb`: the group's articles, or those matching `q`.
pub async fn list(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let page = async {
        if q.q.len() > 200 {
            return Err(AppError::Invalid(
                "search terms are at most 200 characters".into(),
            ));
        }
        let group = ra::group_by_name(&data, &name).await?;
        let articles = ra::of_group(&data, group.id, &q.q).await?;
        let title = tr.s("kb-list-title", &group_title(&group));
        Ok(ListPage {
            l: Layout::new(&data, &v, &tr, title),
            name: name.clone(),
            searched: !q.q.trim().is_empty(),
            q: q.q.clone(),
            items: articles.iter().map(Item::new).collect(),
        })
    }
    .await;
    match page {
        Ok(p) => respond(&data, &v, StatusCode::OK, &p),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

fn group_title(group: &Actor) -> String {
    group
        .display_name
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| group.name.clone())
}

#[derive(Template)]
#[template(path = "kb_article.html")]
struct ArticlePage {
    l: Layout,
    art: ArticleView,
    author: Author,
    group_href: String,
    reviewed: String,
    /// The source thread: here (`/q/…`) or on its server.
    source: Option<String>,
    may_write: bool,
}

/// `GET /g/{name}/kb/{id}`: the article (the name must be its group's).
pub async fn in_group(
    data: Ctx,
    headers: HeaderMap,
    Path((name, id)): Path<(String, i64)>,
) -> Response {
    article_page(&data, id, Some(&name), &headers).await
}

/// The page of the article `id` (in the group `name`, when given).
pub async fn article_page(
    data: &Ctx,
    id: i64,
    name: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let (v, tr) = viewer_tr(data, headers).await;
    match render_article(data, &v, &tr, id, name).await {
        Ok(p) => respond(data, &v, StatusCode::OK, &p),
        Err(e) => error_page(data, &v, &tr, &e),
    }
}

async fn render_article(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    id: i64,
    name: Option<&str>,
) -> AppResult<ArticlePage> {
    let (a, _, group) = ra::one(data, id).await?;
    let group_name = if group.local {
        group.name.clone()
    } else {
        group.handle()
    };
    if name.is_some_and(|n| n != group_name) {
        return Err(AppError::NotFound("no such article".into()));
    }
    let may_write = match &v.user {
        Some((_, me)) if !a.retired => articles::may_write(data, &group, me).await?,
        _ => false,
    };
    let source = match (&a.source_question_id, &a.source_question) {
        (Some(q), _) => Some(format!("/q/{q}")),
        (None, Some(url)) if url.starts_with("https://") || url.starts_with("http://") => {
            Some(url.clone())
        }
        _ => None,
    };
    Ok(ArticlePage {
        l: Layout::new(data, v, tr, a.title.clone()),
        author: Author::new(&a.author),
        group_href: format!("/g/{group_name}/kb"),
        reviewed: date(&a.reviewed_at),
        source,
        may_write,
        art: a,
    })
}

#[derive(Template)]
#[template(path = "kb_edit.html")]
struct EditPage {
    l: Layout,
    /// Where the form posts.
    action: String,
    back: String,
    form: ArticleForm,
    preview: Option<String>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ArticleForm {
    pub csrf: String,
    pub title: String,
    pub body: String,
    /// Separated by commas or spaces.
    pub tags: String,
    /// Set by the preview button.
    pub preview: Option<String>,
}

impl ArticleForm {
    fn input(&self) -> ArticleInput {
        ArticleInput {
            title: self.title.clone(),
            body_md: self.body.clone(),
            tags: self
                .tags
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(|t| t.trim_start_matches('#'))
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

/// The signed-in viewer, or the sign-in page coming back to `back`.
#[allow(clippy::result_large_err)]
fn signed_in(v: &Viewer, back: &str) -> Result<Actor, Response> {
    match &v.user {
        Some((_, a)) => Ok(a.clone()),
        None => Err(redirect(&signin_to(back))),
    }
}

#[allow(clippy::too_many_arguments)]
fn render_edit(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    title: String,
    action: String,
    back: String,
    form: ArticleForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let preview = form.preview.is_some().then(|| markdown_to_html(&form.body));
    let page = EditPage {
        l: Layout::new(data, v, tr, title),
        action,
        back,
        form,
        preview,
        errors,
    };
    respond(data, v, status, &page)
}

/// The messages of what is wrong with `form`, at their fields.
fn field_errors(tr: &Tr, form: &ArticleForm) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for (field, key) in articles::problems(&form.input()) {
        let message = match field {
            "title" => tr.args(
                key,
                &[
                    ("min", (MIN_TITLE as i64).into()),
                    ("max", (MAX_TITLE as i64).into()),
                ],
            ),
            "body" => tr.n(key, MAX_BODY as i64),
            _ => tr.n(key, MAX_TAGS as i64),
        };
        errors.add(field, message);
    }
    errors
}

/// The status and message of a refused action, shown above the form.
fn refusal(tr: &Tr, e: &AppError) -> (StatusCode, String) {
    let status = match e {
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Gone(_) => StatusCode::GONE,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let key = match e {
        AppError::Forbidden(_) => "kb-error-forbidden",
        AppError::RateLimited { .. } => "kb-error-rate",
        AppError::Gone(_) => "kb-error-retired",
        _ => "kb-error-failed",
    };
    (status, tr.t(key))
}

/// `GET /q/{id}/article`: the new article's form, prefilled from the solved thread.
pub async fn new_form(data: Ctx, headers: HeaderMap, Path(qid): Path<i64>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/q/{qid}/article");
    let me = match signed_in(&v, &back) {
        Ok(me) => me,
        Err(r) => return r,
    };
    let draft = match articles::draft(&data, &me, qid).await {
        Ok(d) => d,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let form = ArticleForm {
        title: draft.input.title,
        body: draft.input.body_md,
        tags: draft.input.tags.join(" "),
        ..ArticleForm::default()
    };
    let title = tr.t("kb-new-title");
    let (ok, none) = (StatusCode::OK, FieldErrors::default());
    render_edit(
        &data,
        &v,
        &tr,
        title,
        back,
        format!("/q/{qid}"),
        form,
        none,
        ok,
    )
}

/// `POST /q/{id}/article`: writes the article (or previews it).
pub async fn create(
    data: Ctx,
    headers: HeaderMap,
    Path(qid): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> Response {
    let target = Target {
        back: format!("/q/{qid}/article"),
        title: "kb-new-title",
        cancel: format!("/q/{qid}"),
    };
    save(data, headers, form, target, |data, me, input| async move {
        let a = articles::create(&data, &me, qid, input).await?;
        Ok(format!("/kb/{}", a.id))
    })
    .await
}

/// Where an article form posts from and returns to.
struct Target {
    /// The form's own page (where CSRF and sign-in send the viewer back).
    back: String,
    /// The form's title (a catalogue key).
    title: &'static str,
    /// Where "cancel" goes.
    cancel: String,
}

/// An article form posted: CSRF, sign-in, the fields' checks and the preview, then
/// `write` (the action; it answers where to go), refusals shown at the form with its
/// text kept.
async fn save<F, Fut>(
    data: Ctx,
    headers: HeaderMap,
    form: ArticleForm,
    target: Target,
    write: F,
) -> Response
where
    F: FnOnce(Ctx, Actor, ArticleInput) -> Fut,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Target {
        back,
        title,
        cancel,
    } = target;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let me = match signed_in(&v, &back) {
        Ok(me) => me,
        Err(r) => return r,
    };
    let title = tr.t(title);
    let errors = field_errors(&tr, &form);
    if form.preview.is_some() || !errors.is_empty() {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return render_edit(&data, &v, &tr, title, back, cancel, form, errors, status);
    }
    let result = match limit(&data, &v) {
        Ok(()) => write(data.clone(), me, form.input()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(to) => redirect(&to),
        Err(e) => {
            let (status, message) = refusal(&tr, &e);
            let mut errors = FieldErrors::default();
            errors.add("", message);
            render_edit(&data, &v, &tr, title, back, cancel, form, errors, status)
        }
    }
}

fn limit(data: &Ctx, v: &Viewer) -> AppResult<()> {
    match &v.user {
        Some((u, a)) => data
            .limits
            .account(Action::Edit, a.id, crate::db::now_ms() - u.created_at),
        None => Ok(()),
    }
}

/// The article `id` and whether the viewer may change it (refused as an error).
async fn writable(data: &Ctx, me: &Actor, id: i64) -> AppResult<ArticleView> {
    let (a, _, group) = ra::one(data, id).await?;
    if a.retired {
        return Err(AppError::Gone("this article was retired".into()));
    }
    if !a.local || !articles::may_write(data, &group, me).await? {
        return Err(AppError::Forbidden(
            "only the group's moderators and its recognised staff can write its articles".into(),
        ));
    }
    Ok(a)
}

/// `GET /kb/{id}/edit`: the edit form, filled with the article.
pub async fn edit_form(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/kb/{id}/edit");
    let me = match signed_in(&v, &back) {
        Ok(me) => me,
        Err(r) => return r,
    };
    let a = match writable(&data, &me, id).await {
        Ok(a) => a,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let form = ArticleForm {
        title: a.title,
        body: a.body,
        tags: a.tags.join(" "),
        ..ArticleForm::default()
    };
    let (title, ok) = (tr.t("kb-edit-title"), StatusCode::OK);
    let cancel = format!("/kb/{id}");
    render_edit(
        &data,
        &v,
        &tr,
        title,
        back,
        cancel,
        form,
        FieldErrors::default(),
        ok,
    )
}

/// `POST /kb/{id}/edit`: saves the edit (the earlier version goes to the history).
pub async fn edit(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> Response {
    let target = Target {
        back: format!("/kb/{id}/edit"),
        title: "kb-edit-title",
        cancel: format!("/kb/{id}"),
    };
    save(data, headers, form, target, |data, me, input| async move {
        articles::edit(&data, &me, id, input).await?;
        Ok(format!("/kb/{id}"))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// `POST /kb/{id}/reviewed` and `POST /kb/{id}/retire`.
async fn button(data: Ctx, headers: HeaderMap, id: i64, form: CsrfForm, retire: bool) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = format!("/kb/{id}");
    if let Err(why) = csrf::check(&data.base, &headers, &v, &form.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let me = match signed_in(&v, &back) {
        Ok(me) => me,
        Err(r) => return r,
    };
    let result = if retire {
        articles::retire(&data, &me, id).await
    } else {
        articles::mark_reviewed(&data, &me, id).await
    };
    match result {
        Ok(()) => redirect(&back),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

pub async fn reviewed(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    button(data, headers, id, form, false).await
}

pub async fn retire(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    button(data, headers, id, form, true).await
}

/// One version on the history page.
pub struct Version {
    pub title: String,
    pub html: String,
    /// When it was written (the current one: last updated) or replaced.
    pub date: String,
    pub by: Option<String>,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "kb_history.html")]
struct HistoryPage {
    l: Layout,
    back: String,
    versions: Vec<Version>,
}

/// `GET /kb/{id}/history`: the current version, then the earlier ones, newest first.
pub async fn history(data: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let page = async {
        let (a, _, _) = ra::one(&data, id).await?;
        let earlier = ra::history(&data, id).await?;
        let mut versions = vec![Version {
            title: a.title.clone(),
            html: a.content_html.clone(),
            date: date(&a.updated_at),
            by: None,
            current: true,
        }];
        versions.extend(earlier.into_iter().map(|r| Version {
            title: r.title,
            html: markdown_to_html(&r.body),
            date: date(&r.replaced_at),
            by: r.replaced_by.map(|b| format!("@{}", b.handle)),
            current: false,
        }));
        Ok::<_, AppError>(HistoryPage {
            l: Layout::new(&data, &v, &tr, tr.s("kb-history-title", &a.title)),
            back: format!("/kb/{id}"),
            versions,
        })
    }
    .await;
    match page {
        Ok(p) => respond(&data, &v, StatusCode::OK, &p),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
