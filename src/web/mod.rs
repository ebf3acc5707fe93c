//! Server-rendered pages (what a browser sees at an actor's URL).
//!
//! The web app: askama templates in `templates/`, Fluent catalogues in `locales/`, the
//! stylesheet and scripts in `static/` (embedded), sessions in cookies with CSRF tokens
//! on every form. `pages` holds one module per page.

pub mod assets;
pub mod csrf;
pub mod form;
pub mod i18n;
pub mod layout;
pub mod pages;
pub mod session;

/// The web app's own routes (the pages at actor and post URLs are served by the
/// federation routes, which negotiate between JSON and HTML).
pub fn router() -> axum::Router<()> {
    use axum::routing::{get, post};
    use pages::{account, feeds, remote_follow, seo};
    axum::Router::new()
        // Outreach: following from another server, feeds, robots.txt and the sitemap.
        .route(
            "/g/{name}/follow",
            get(remote_follow::group_form).post(remote_follow::group_submit),
        )
        .route("/g/{name}/follow-here", post(pages::group::follow_here))
        .route(
            "/u/{name}/follow",
            get(remote_follow::person_form).post(remote_follow::person_submit),
        )
        .route("/g/{name}/feed.atom", get(feeds::group_feed))
        .route("/q/{id}/feed.atom", get(feeds::question_feed))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/sitemap/{file}", get(seo::sitemap_file))
        .route("/static/{hash}/{*name}", get(assets::serve))
        .route("/search", get(pages::search::search))
        .route("/signin", get(account::signin_form).post(account::signin))
        .route("/signup", get(account::signup_form).post(account::signup))
        .route("/signout", post(account::signout))
        .route(
            "/settings/password",
            get(account::password_form).post(account::change_password),
        )
        // email
        .route(
            "/settings/email",
            get(pages::email::settings_form).post(pages::email::set_address),
        )
        .route("/email/verify", get(pages::email::verify))
        .route(
            "/email/unsubscribe",
            get(pages::email::unsubscribe_form).post(pages::email::unsubscribe),
        )
        .route(
            "/password/forgot",
            get(pages::email::forgot_form).post(pages::email::forgot),
        )
        .route(
            "/password/reset",
            get(pages::email::reset_form).post(pages::email::reset),
        )
        // The thread's forms and the pages of one post.
        .route("/p/{id}/reply", post(pages::thread_forms::reply))
        .route("/p/{id}/vote", post(pages::thread_forms::vote))
        .route("/p/{id}/accept", post(pages::thread_forms::accept))
        .route("/q/{id}/idea/status", post(pages::ideas::status))
        .route("/q/{id}/idea/merge", post(pages::ideas::merge))
        .route("/q/{id}/idea/follow", post(pages::ideas::follow))
        .route(
            "/p/{id}/edit",
            get(pages::post_forms::edit_form).post(pages::post_forms::edit),
        )
        .route("/p/{id}/history", get(pages::post_forms::history))
        .route(
            "/p/{id}/delete",
            get(pages::post_forms::delete_form).post(pages::post_forms::delete),
        )
        .route(
            "/p/{id}/report",
            get(pages::post_forms::report_form).post(pages::post_forms::report),
        )
        // The moderator console and the public moderation logs.
        .route("/g/{name}/mod/reports", get(pages::moderation::reports))
        .route(
            "/g/{name}/mod/reports/resolve",
            post(pages::moderation::resolve),
        )
        .route(
            "/g/{name}/mod/moderators",
            get(pages::mod_people::moderators).post(pages::mod_people::set_moderator),
        )
        .route(
            "/g/{name}/mod/members",
            get(pages::mod_members::members).post(pages::mod_members::act_on),
        )
        .route(
            "/g/{name}/join",
            get(pages::mod_members::join_page).post(pages::mod_members::join),
        )
        .route(
            "/g/{name}/mod/escalation",
            get(pages::mod_escalation::page).post(pages::mod_escalation::save),
        )
        .route(
            "/g/{name}/mod/settings",
            get(pages::mod_settings::settings).post(pages::mod_settings::save),
        )
        .route(
            "/g/{name}/mod/roles",
            get(pages::mod_roles::page).post(pages::mod_roles::save),
        )
        .route(
            "/g/{name}/mod/widget",
            get(pages::mod_widget::page).post(pages::mod_widget::save),
        )
        // The embeddable help widget: its loader and its framed page.
        .route("/embed.js", get(pages::embed::loader))
        .route("/embed/g/{name}", get(pages::embed::widget))
        .route("/u/{name}/ban", post(pages::mod_people::ban_from_profile))
        .route(
            "/p/{id}/moderate",
            get(pages::post_moderate::form).post(pages::post_moderate::moderate),
        )
        .route("/g/{name}/modlog", get(pages::modlog::group_log))
        .route("/modlog", get(pages::modlog::instance_log))
        // The staff console.
        .route("/staff", get(pages::staff::inbox))
        .route("/staff/verification", get(pages::staff::verification))
        .route("/staff/claim/{id}", post(pages::staff::claim))
        .route(
            "/staff/webhooks",
            get(pages::staff_webhooks::index).post(pages::staff_webhooks::create),
        )
        .route("/staff/webhooks/{id}", get(pages::staff_webhooks::log))
        .route(
            "/staff/webhooks/{id}/{op}",
            post(pages::staff_webhooks::act_on),
        )
        .route("/staff/listening", get(pages::staff_listening::index))
        .route(
            "/staff/listening/{target}/{op}",
            post(pages::staff_listening::act_on),
        )
        .route(
            "/admin/relays",
            get(pages::admin::relays::list).post(pages::admin::relays::add),
        )
        .route(
            "/admin/relays/{id}/remove",
            post(pages::admin::relays::remove),
        )
        // Cases: the customer's and the staff's.
        .route("/messages", get(pages::messages::list))
        .route(
            "/messages/new",
            get(pages::messages::new_form).post(pages::messages::create),
        )
        .route(
            "/messages/{id}",
            get(pages::messages::show).post(pages::messages::reply),
        )
        .route("/messages/report/{id}", post(pages::messages::report))
        .route("/block", post(pages::blocks::block))
        .route("/unblock", post(pages::blocks::unblock))
        .route(
            "/surveys/{id}",
            get(pages::survey::show).post(pages::survey::answer),
        )
        .route("/follow-tag", post(pages::interests::follow_tag))
        .route("/unfollow-tag", post(pages::interests::unfollow_tag))
        .route("/follow-person", post(pages::interests::follow_person))
        .route("/unfollow-person", post(pages::interests::unfollow_person))
        .route("/settings/following", get(pages::interests::list))
        .route("/cases", get(pages::cases::mine))
        .route(
            "/cases/new",
            get(pages::cases::new_form).post(pages::cases::create),
        )
        .route("/cases/{number}", get(pages::cases::show))
        .route("/cases/{number}/reply", post(pages::cases::reply))
        .route("/cases/{number}/update", post(pages::cases::update))
        .route("/staff/cases", get(pages::cases_staff::queue))
        .route("/staff/customers/{id}", get(pages::cases_staff::customer))
        .route(
            "/staff/crm-tokens",
            get(pages::cases_staff::tokens).post(pages::cases_staff::create_token),
        )
        .route(
            "/staff/crm-tokens/{id}/revoke",
            post(pages::cases_staff::revoke_token),
        )
        // Support metrics: an organisation's groups, and a group's.
        .route("/staff/metrics", get(pages::metrics::staff_page))
        .route("/staff/metrics.csv", get(pages::metrics::staff_csv))
        .route("/g/{name}/mod/metrics", get(pages::metrics::group_page))
        .route("/g/{name}/mod/metrics.csv", get(pages::metrics::group_csv))
        .route("/p/{id}/staff-approve", post(pages::staff::approve))
        // ask, settings, notifications
        .route("/ask", get(pages::ask::ask_form).post(pages::ask::ask))
        .route("/g/{name}/ask", get(pages::ask::ask_in_group))
        .route("/ask/similar", get(pages::ask::similar))
        .route("/g/{name}/kb", get(pages::kb::list))
        .route("/g/{name}/kb/{id}", get(pages::kb::in_group))
        .route(
            "/q/{id}/article",
            get(pages::kb::new_form).post(pages::kb::create),
        )
        .route(
            "/kb/{id}/edit",
            get(pages::kb::edit_form).post(pages::kb::edit),
        )
        .route("/kb/{id}/history", get(pages::kb::history))
        .route("/kb/{id}/reviewed", post(pages::kb::reviewed))
        .route("/kb/{id}/retire", post(pages::kb::retire))
        .route("/ask/preview", post(pages::ask::preview))
        .route("/ask/guidelines", get(pages::ask::guidelines))
        .route("/ask/open", get(pages::ask::open))
        .route("/search/open", get(pages::search_open::open))
        .route(
            "/settings",
            get(pages::settings::settings_form).post(pages::settings::save),
        )
        .route("/notifications", get(pages::notifications::list))
        // The admin console (admins only; everyone else gets the 403 page).
        .route("/admin/federation", get(pages::admin::federation::list))
        .route(
            "/admin/federation/policy",
            post(pages::admin::federation::set_policy),
        )
        .route(
            "/admin/federation/retry",
            post(pages::admin::federation::retry),
        )
        .merge(pages::admin::people::router())
        .route(
            "/admin/instance",
            get(pages::admin::instance::show).post(pages::admin::instance::save),
        )
        .route(
            "/admin/instance/invitations",
            post(pages::admin::instance::invite),
        )
        .route(
            "/admin/instance/invitations/revoke",
            post(pages::admin::instance::revoke),
        )
        .route(
            "/admin/instance/groups",
            post(pages::admin::instance::create_group),
        )
        .route(
            "/admin/instance/groups/hand-over",
            post(pages::admin::instance::hand_over),
        )
        .route(
            "/admin/instance/groups/{name}/delete",
            get(pages::admin::group_delete::form).post(pages::admin::group_delete::delete),
        )
        .route(
            "/notifications/read",
            post(pages::notifications::mark_all_read),
        )
        .route("/notifications/{id}/open", get(pages::notifications::open))
        .route(
            "/notifications/{id}/read",
            post(pages::notifications::mark_read),
        )
}

use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::text::{escape, markdown_to_html, sanitize_html};
use crate::error::AppResult;
use crate::state::Ctx;
use axum::response::{Html, IntoResponse, Response};

/// Where the pages' style sheet is served: pages use no inline styles or scripts, so that
/// the `Content-Security-Policy` (see `crate::server`) can allow `'self'` only.
pub const STYLESHEET: &str = "/static/peerdesk.css";

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;\
                   padding:0 1rem;line-height:1.5}.handle{color:#555}";

/// The pages' style sheet.
pub async fn stylesheet() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"{STYLESHEET}\"></head>\
         <body>{}</body></html>",
        escape(title),
        body
    )
}

/// The profile page of a local user or group.
pub async fn actor_page(data: &Ctx, actor: &Actor) -> AppResult<Response> {
    let id = actor.id;
    let (group, followers) = data
        .db
        .run(move |c| {
            Ok((
                queries::groups::by_actor_id(c, id)?,
                queries::follows::count_followers(c, id)?,
            ))
        })
        .await?;
    let title = group
        .as_ref()
        .map(|g| g.title.clone())
        .or_else(|| actor.display_name.clone())
        .unwrap_or_else(|| actor.name.clone());
    let mut body = format!(
        "<h1>{}</h1><p class=\"handle\">@{}</p><p>{} followers</p>",
        escape(&title),
        escape(&actor.handle()),
        followers
    );
    if let Some(g) = group {
        body.push_str(&markdown_to_html(&g.description_md));
        if !g.guidelines_md.is_empty() {
            body.push_str("<h2>Guidelines</h2>");
            body.push_str(&markdown_to_html(&g.guidelines_md));
        }
        body.push_str(&format!(
            "<p>Follow <code>@{}</code> from any fediverse account to ask and answer.</p>",
            escape(&actor.handle())
        ));
    } else if let Some(s) = &actor.summary {
        body.push_str(&sanitize_html(&markdown_to_html(s)));
    }
    Ok(Html(layout(&title, &body)).into_response())
}
