//! The support metrics pages: a group's (`/g/{name}/mod/metrics`, its moderators and
//! admins) and an organisation's groups' (`/staff/metrics`, its staff), over a period
//! (presets of 7, 30, 90 or 365 days, or dates), with two server-rendered SVG charts
//! (questions per week, median time to first answer per week) each with a data table,
//! and a CSV export of the same numbers (`…/metrics.csv`). Everyone else gets the 403
//! page; a bad period the 400 page that says what is wrong.

use super::query_string;
use crate::error::AppError;
use crate::read::metrics::{self as rm, Metrics, PeriodQuery, PRESETS};
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// One figure of the page: its key (the CSV's and the API's name), label, the value as
/// shown, and the exact value (`<data value>`).
pub struct Figure {
    pub key: &'static str,
    pub label: String,
    pub shown: String,
    pub value: String,
    pub note: Option<String>,
}

pub struct WeekRow {
    pub start: String,
    pub questions: i64,
    pub median: String,
    pub median_secs: String,
}

#[derive(Template)]
#[template(path = "metrics.html")]
struct MetricsPage {
    l: Layout,
    intro: String,
    tabs: Vec<(String, String, bool)>,
    base: String,
    presets: Vec<(String, String, bool)>,
    from_date: String,
    to_date: String,
    csv_href: String,
    figures: Vec<Figure>,
    chart_questions: String,
    chart_first: String,
    weeks: Vec<WeekRow>,
}

/// A duration as the page shows it: minutes, hours and minutes, or days and hours.
fn duration(tr: &Tr, secs: Option<i64>) -> String {
    let Some(s) = secs else {
        return tr.t("metrics-none");
    };
    let (m, h) = (s / 60, s / 3600);
    if h >= 48 {
        tr.args(
            "metrics-days",
            &[("days", (h / 24).into()), ("hours", (h % 24).into())],
        )
    } else if h >= 1 {
        tr.args(
            "metrics-hours",
            &[("hours", h.into()), ("minutes", (m % 60).into())],
        )
    } else {
        tr.n("metrics-minutes", m)
    }
}

fn opt(v: Option<i64>) -> String {
    v.map(|s| s.to_string()).unwrap_or_default()
}

fn figures(tr: &Tr, m: &Metrics) -> Vec<Figure> {
    let count = |key, v: i64| Figure {
        key,
        label: tr.t(&format!("metrics-{key}")),
        shown: v.to_string(),
        value: v.to_string(),
        note: None,
    };
    let share = |key, v: f64| Figure {
        key,
        label: tr.t(&format!("metrics-{key}")),
        shown: format!("{} %", rm::pct(v)),
        value: rm::pct(v),
        note: None,
    };
    let time = |key, v: Option<i64>| Figure {
        key,
        label: tr.t(&format!("metrics-{key}")),
        shown: duration(tr, v),
        value: opt(v),
        note: None,
    };
    let mut staff = share("staff_percent", m.staff_share);
    staff.note = Some(tr.t("metrics-staff-reference"));
    vec![
        count("questions", m.questions),
        count("answered", m.answered),
        share("answered_percent", m.answered_share),
        time("median_first_answer_secs", m.median_first_answer_secs),
        time("p90_first_answer_secs", m.p90_first_answer_secs),
        count("accepted", m.accepted),
        time("median_accepted_secs", m.median_accepted_secs),
        time("p90_accepted_secs", m.p90_accepted_secs),
        share("resolution_percent", m.resolution_rate),
        count("answers", m.answers),
        count("staff_answers", m.staff_answers),
        staff,
        count("unanswered_backlog", m.unanswered_backlog),
        count("escalations", m.escalations),
        count("cases_opened", m.cases_opened),
        count("cases_resolved", m.cases_resolved),
        share("case_resolution_percent", m.case_resolution_rate),
        count("suggestions_opened", m.suggestions_opened),
        count("deflected", m.deflected),
        share("deflection_percent", m.deflection_rate),
        count("search_clicks", m.search_clicks),
        count("search_deflected", m.search_deflected),
        share("search_deflection_percent", m.search_deflection_rate),
        count("surveys_sent", m.surveys_sent),
        count("surveys_answered", m.surveys_answered),
        share("survey_response_percent", m.survey_response_rate),
        count("satisfied", m.satisfied),
        share("satisfaction_percent", m.satisfaction_rate),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar chart as inline SVG: `role="img"` with a `<title>` and a `<desc>` naming the
/// data table that holds the same values.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[(String, f64)], unit: &str) -> String {
    const W: f64 = 640.0;
    const H: f64 = 200.0;
    const PAD: f64 = 24.0;
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0);
    let n = bars.len().max(1) as f64;
    let slot = (W - 2.0 * PAD) / n;
    let mut out = format!(
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {W} {H}\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <line x1=\"{PAD}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" class=\"axis\"/>\
         <text x=\"{PAD}\" y=\"14\" class=\"label\">{} {}</text>",
        esc(title),
        esc(desc),
        fmt_num(max),
        esc(unit),
        b = H - PAD,
        r = W - PAD,
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let h = (v / max) * (H - 2.0 * PAD - 8.0);
        let x = PAD + i as f64 * slot + slot * 0.1;
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" class=\"bar\">\
             <title>{}: {} {}</title></rect>",
            H - PAD - h,
            slot * 0.8,
            esc(label),
            fmt_num(*v),
            esc(unit),
        ));
    }
    if let (Some(first), Some(last)) = (bars.first(), bars.last()) {
        out.push_str(&format!(
            "<text x=\"{PAD}\" y=\"{y}\" class=\"label\">{}</text>\
             <text x=\"{r}\" y=\"{y}\" class=\"label\" text-anchor=\"end\">{}</text>",
            esc(&first.0),
            esc(&last.0),
            y = H - 6.0,
            r = W - PAD,
        ));
    }
    out.push_str("</svg>");
    out
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The page's parts shared by both consoles.
#[allow(clippy::too_many_arguments)]
fn page(
    data: &Ctx,
    v: &Viewer,
    tr: &Tr,
    title: String,
    intro: String,
    tabs: Vec<(String, String, bool)>,
    base: &str,
    q: &PeriodQuery,
    m: &Metrics,
) -> Response {
    let period = q.period().ok();
    let preset = period.map(|p| p.preset).unwrap_or(rm::DEFAULT_DAYS);
    let presets = PRESETS
        .iter()
        .map(|d| {
            let ds = d.to_string();
            (
                tr.n("metrics-preset", *d),
                format!("{base}?{}", query_string(&[("days", ds.as_str())])),
                *d == preset,
            )
        })
        .collect();
    let day = |s: &str| s.get(..10).unwrap_or_default().to_string();
    // The last day included: the day before the (excluded) end.
    let to_date = period
        .map(|p| super::date_ms(p.to - 1))
        .unwrap_or_else(|| day(&m.to));
    let pairs = [
        ("days", q.days.as_deref().unwrap_or_default()),
        ("from", q.from.as_deref().unwrap_or_default()),
        ("to", q.to.as_deref().unwrap_or_default()),
    ];
    let qs = query_string(&pairs);
    let csv_href = if qs.is_empty() {
        format!("{base}.csv")
    } else {
        format!("{base}.csv?{qs}")
    };
    let weeks: Vec<WeekRow> = m
        .weeks
        .iter()
        .map(|w| WeekRow {
            start: day(&w.start),
            questions: w.questions,
            median: duration(tr, w.median_first_answer_secs),
            median_secs: opt(w.median_first_answer_secs),
        })
        .collect();
    let q_bars: Vec<(String, f64)> = weeks
        .iter()
        .map(|w| (w.start.clone(), w.questions as f64))
        .collect();
    let f_bars: Vec<(String, f64)> = m
        .weeks
        .iter()
        .zip(&weeks)
        .map(|(w, r)| {
            let hours = w.median_first_answer_secs.unwrap_or(0) as f64 / 3600.0;
            (r.start.clone(), (hours * 10.0).round() / 10.0)
        })
        .collect();
    let p = MetricsPage {
        intro,
        tabs,
        base: base.to_string(),
        presets,
        from_date: day(&m.from),
        to_date,
        csv_href,
        figures: figures(tr, m),
        chart_questions: bar_chart(
            "chart-questions",
            &tr.t("metrics-chart-questions"),
            &tr.t("metrics-chart-desc"),
            &q_bars,
            &tr.t("metrics-unit-questions"),
        ),
        chart_first: bar_chart(
            "chart-first-answer",
            &tr.t("metrics-chart-first"),
            &tr.t("metrics-chart-desc"),
            &f_bars,
            &tr.t("metrics-unit-hours"),
        ),
        weeks,
        l: Layout::new(data, v, tr, title),
    };
    respond(data, v, StatusCode::OK, &p)
}

fn csv_response(m: &Metrics, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        rm::csv(m),
    )
        .into_response()
}

fn group_tabs(tr: &Tr, name: &str) -> Vec<(String, String, bool)> {
    [
        ("mod-tab-open", "mod/reports", false),
        ("mod-tab-moderators", "mod/moderators", false),
        ("mod-tab-settings", "mod/settings", false),
        ("metrics-tab", "mod/metrics", true),
        ("escalation-tab", "mod/escalation", false),
        ("modlog-title", "modlog", false),
    ]
    .iter()
    .map(|(k, p, cur)| (tr.t(k), format!("/g/{name}/{p}"), *cur))
    .collect()
}

/// Who asks for a group's metrics, and the metrics; or the error page.
async fn group(
    data: &Ctx,
    headers: &HeaderMap,
    name: &str,
    q: &PeriodQuery,
) -> Result<(Viewer, Tr, Metrics), Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    let Some((_, me)) = v.user.clone() else {
        let e = AppError::Forbidden("only the group's moderators".into());
        return Err(error_page(data, &v, &tr, &e));
    };
    match rm::of_group(data, &me, name, q).await {
        Ok(m) => Ok((v, tr, m)),
        Err(e) => Err(error_page(data, &v, &tr, &e)),
    }
}

/// `GET /g/{name}/mod/metrics`.
pub async fn group_page(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let (v, tr, m) = match group(&data, &headers, &name, &q).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let title = tr.s("metrics-group-title", &name);
    let intro = tr.t("metrics-intro");
    let base = format!("/g/{name}/mod/metrics");
    let tabs = group_tabs(&tr, &name);
    page(&data, &v, &tr, title, intro, tabs, &base, &q, &m)
}

/// `GET /g/{name}/mod/metrics.csv`.
pub async fn group_csv(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    match group(&data, &headers, &name, &q).await {
        Ok((_, _, m)) => csv_response(&m, &format!("{name}-metrics.csv")),
        Err(r) => r,
    }
}

async fn organisation(
    data: &Ctx,
    headers: &HeaderMap,
    q: &PeriodQuery,
) -> Result<(Viewer, Tr, String, Metrics), Response> {
    let (v, tr) = viewer_tr(data, headers).await;
    let Some((_, me)) = v.user.clone() else {
        let e = AppError::Forbidden("staff only".into());
        return Err(error_page(data, &v, &tr, &e));
    };
    match rm::of_organisation(data, &me, q).await {
        Ok((org, m)) => Ok((v, tr, org.name, m)),
        Err(e) => Err(error_page(data, &v, &tr, &e)),
    }
}

/// `GET /staff/metrics`.
pub async fn staff_page(data: Ctx, headers: HeaderMap, Query(q): Query<PeriodQuery>) -> Response {
    let (v, tr, org, m) = match organisation(&data, &headers, &q).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let title = tr.s("metrics-staff-title", &org);
    let intro = tr.s("metrics-staff-intro", &m.groups.join(", "));
    let tabs = vec![
        (tr.t("staff-inbox-title"), "/staff".to_string(), false),
        (tr.t("metrics-tab"), "/staff/metrics".to_string(), true),
        (
            tr.t("staff-verification-link"),
            "/staff/verification".to_string(),
            false,
        ),
    ];
    page(&data, &v, &tr, title, intro, tabs, "/staff/metrics", &q, &m)
}

/// `GET /staff/metrics.csv`.
pub async fn staff_csv(data: Ctx, headers: HeaderMap, Query(q): Query<PeriodQuery>) -> Response {
    match organisation(&data, &headers, &q).await {
        Ok((_, _, _, m)) => csv_response(&m, "staff-metrics.csv"),
        Err(r) => r,
    }
}
