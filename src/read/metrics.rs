//! Support metrics over a period, as the metrics pages, their CSV export and the API
//! show them (the same numbers in all three): computed from the raw figures of
//! `db::queries::metrics` (one group, or an organisation's groups pooled). See the
//! README's "Support metrics" for the definitions.

use crate::db::queries::metric_days::DAY;
use crate::db::queries::metrics::{self as mq, GroupRaw};
use crate::db::{now_ms, rfc3339, DbConn};
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const WEEK: i64 = 7 * DAY;
/// Presets of the period, in days.
pub const PRESETS: [i64; 4] = [7, 30, 90, 365];
/// The preset without `from`/`to` or `days`.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest period (days).
pub const MAX_DAYS: i64 = 3660;

/// The period asked for: a preset (`days`, one of 7, 30, 90 or 365) ending now, or
/// dates (`from` and `to`, `YYYY-MM-DD`, both included, UTC).
#[derive(Deserialize, Default, Clone, Debug, IntoParams)]
#[serde(default)]
pub struct PeriodQuery {
    /// 7, 30, 90 or 365: the last that many days (default 30).
    pub days: Option<String>,
    /// First day, `YYYY-MM-DD` (with `to`).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included (with `from`).
    pub to: Option<String>,
}

/// A period `[from, to)` in ms, and the preset it came from (0 for dates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub preset: i64,
}

fn day_ms(s: &str, what: &str) -> AppResult<i64> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::Invalid(format!(
            "{what} must be a date written YYYY-MM-DD, not {s:?}"
        ))
    })?;
    Ok(d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis())
}

impl PeriodQuery {
    /// The period, or a 400 that says what is wrong.
    pub fn period(&self) -> AppResult<Period> {
        let empty = |o: &Option<String>| o.as_deref().is_none_or(|s| s.trim().is_empty());
        match (empty(&self.from), empty(&self.to)) {
            (true, true) => {
                let days = match self.days.as_deref().map(str::trim) {
                    None | Some("") => DEFAULT_DAYS,
                    Some(d) => d
                        .parse::<i64>()
                        .ok()
                        .filter(|d| PRESETS.contains(d))
                        .ok_or_else(|| {
                            AppError::Invalid(format!("days must be 7, 30, 90 or 365, not {d:?}"))
                        })?,
                };
                let to = now_ms();
                Ok(Period {
                    from: to - days * DAY,
                    to,
                    preset: days,
                })
            }
            (false, false) => {
                let from = day_ms(self.from.as_deref().unwrap_or_default(), "from")?;
                let to = day_ms(self.to.as_deref().unwrap_or_default(), "to")? + DAY;
                if to <= from {
                    return Err(AppError::Invalid("from must not be after to".into()));
                }
                if to - from > MAX_DAYS * DAY {
                    return Err(AppError::Invalid(format!(
                        "the period can be at most {MAX_DAYS} days"
                    )));
                }
                Ok(Period {
                    from,
                    to,
                    preset: 0,
                })
            }
            _ => Err(AppError::Invalid(
                "give both from and to, or neither".into(),
            )),
        }
    }
}

/// One week of the period (the last one may be shorter).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Week {
    /// Its first moment (RFC 3339).
    pub start: String,
    /// Questions asked in it.
    pub questions: i64,
    /// Median time to first answer of those questions that have one (seconds).
    pub median_first_answer_secs: Option<i64>,
}

/// Support metrics of a group, or of an organisation's groups pooled, over a period.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Metrics {
    /// The period's start (RFC 3339, included).
    pub from: String,
    /// The period's end (RFC 3339, excluded).
    pub to: String,
    /// The groups counted (names).
    pub groups: Vec<String>,
    /// Listed questions asked in the period.
    pub questions: i64,
    /// Of those, with at least one visible answer.
    pub answered: i64,
    /// `answered / questions` (0 without questions).
    pub answered_share: f64,
    /// Time from question to its earliest visible answer, over answered questions
    /// (seconds; nearest-rank median and 90th percentile).
    pub median_first_answer_secs: Option<i64>,
    pub p90_first_answer_secs: Option<i64>,
    /// Of the questions, with an accepted answer.
    pub accepted: i64,
    /// Time from question to the acceptance of its answer (seconds; nearest rank).
    pub median_accepted_secs: Option<i64>,
    pub p90_accepted_secs: Option<i64>,
    /// `accepted / questions` (0 without questions).
    pub resolution_rate: f64,
    /// Visible answers published in the period under listed questions.
    pub answers: i64,
    /// Of those, by staff of an organisation the answer's group recognises.
    pub staff_answers: i64,
    /// `staff_answers / answers` (0 without answers). Branded communities: 5–30 %.
    pub staff_share: f64,
    /// Listed questions asked before the period's end without a visible answer
    /// published before it.
    pub unanswered_backlog: i64,
    /// Questions escalated by the groups' rules in the period (once per rule and question).
    pub escalations: i64,
    /// Cases opened in the period from the groups' questions or pages.
    pub cases_opened: i64,
    /// Of those, solved or closed now.
    pub cases_resolved: i64,
    /// `cases_resolved / cases_opened` (0 without cases).
    pub case_resolution_rate: f64,
    /// Ask forms that opened a suggested question of these groups in the period.
    pub suggestions_opened: i64,
    /// Of those, the ones that did not post: deflected by self-service.
    pub deflected: i64,
    /// `deflected / suggestions_opened` (0 without any).
    pub deflection_rate: f64,
    /// Search results of these groups opened in the period.
    pub search_clicks: i64,
    /// Of those, not followed by a question from the same person (or browser) within a
    /// day: deflected by search.
    pub search_deflected: i64,
    /// `search_deflected / search_clicks` (0 without clicks).
    pub search_deflection_rate: f64,
    /// Satisfaction surveys ("Did this solve your problem?") sent in the period.
    pub surveys_sent: i64,
    /// Of those, answered.
    pub surveys_answered: i64,
    /// Of those, answered yes.
    pub satisfied: i64,
    /// `satisfied / surveys_answered` (0 without answers).
    pub satisfaction_rate: f64,
    /// `surveys_answered / surveys_sent` (0 without surveys).
    pub survey_response_rate: f64,
    pub weeks: Vec<Week>,
}

/// The nearest-rank percentile `pct` (1–100) of sorted `v`: the smallest value with at
/// least `pct` % of the values at or below it.
pub fn percentile(sorted: &[i64], pct: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// The nearest-rank percentiles `pcts` of unsorted `v` (reordered in place), without
/// sorting all of it.
fn percentiles<const N: usize>(v: &mut [u32], pcts: [usize; N]) -> [Option<i64>; N] {
    let mut out = [None; N];
    if v.is_empty() {
        return out;
    }
    for (o, pct) in out.iter_mut().zip(pcts) {
        let rank = (pct * v.len()).div_ceil(100).max(1);
        let (_, x, _) = v.select_nth_unstable(rank - 1);
        *o = Some(i64::from(*x));
    }
    out
}

fn share(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// The starts of the weeks of `period`: its start, then every seventh midnight (UTC)
/// after it, so that no whole day is cut; as many weeks as whole or begun 7-day stretches.
fn week_starts(period: Period) -> Vec<i64> {
    let n = ((period.to - period.from) + WEEK - 1) / WEEK;
    (0..n.max(0))
        .map(|i| {
            if i == 0 {
                period.from
            } else {
                (period.from + i * WEEK).div_euclid(DAY) * DAY
            }
        })
        .collect()
}

/// The metrics of `raw` (one per group, pooled) over `period`.
pub fn compute(period: Period, names: Vec<String>, raw: &[GroupRaw]) -> Metrics {
    let spans = || raw.iter().flat_map(|r| r.spans.iter());
    let mut firsts: Vec<u32> = spans().flat_map(|s| s.first_secs.iter().copied()).collect();
    let mut accepts: Vec<u32> = spans()
        .flat_map(|s| s.accepted_secs.iter().copied())
        .collect();
    let starts = week_starts(period);
    let mut weeks: Vec<(i64, Vec<u32>)> = vec![(0, Vec::new()); starts.len()];
    for s in spans() {
        let i = starts.partition_point(|&w| w <= s.start);
        if let Some(w) = i.checked_sub(1).and_then(|i| weeks.get_mut(i)) {
            w.0 += s.questions;
            w.1.extend_from_slice(&s.first_secs);
        }
    }
    let sum = |f: fn(&GroupRaw) -> i64| raw.iter().map(f).sum::<i64>();
    let questions = spans().map(|s| s.questions).sum::<i64>();
    let answered = firsts.len() as i64;
    let accepted = accepts.len() as i64;
    let answers = spans().map(|s| s.answers).sum::<i64>();
    let staff_answers = spans().map(|s| s.staff_answers).sum::<i64>();
    let (opened, deflected) = (sum(|r| r.opened), sum(|r| r.deflected));
    let (clicks, search_deflected) = (sum(|r| r.search_clicks.0), sum(|r| r.search_clicks.1));
    let (sent, replied, yes) = (
        sum(|r| r.surveys.0),
        sum(|r| r.surveys.1),
        sum(|r| r.surveys.2),
    );
    let [median_first, p90_first] = percentiles(&mut firsts, [50, 90]);
    let [median_accepted, p90_accepted] = percentiles(&mut accepts, [50, 90]);
    let (cases_opened, cases_resolved) = (sum(|r| r.cases_opened), sum(|r| r.cases_resolved));
    Metrics {
        from: rfc3339(period.from),
        to: rfc3339(period.to),
        groups: names,
        questions,
        answered,
        answered_share: share(answered, questions),
        median_first_answer_secs: median_first,
        p90_first_answer_secs: p90_first,
        accepted,
        median_accepted_secs: median_accepted,
        p90_accepted_secs: p90_accepted,
        resolution_rate: share(accepted, questions),
        answers,
        staff_answers,
        staff_share: share(staff_answers, answers),
        unanswered_backlog: sum(|r| r.backlog),
        escalations: sum(|r| r.escalations),
        cases_opened,
        cases_resolved,
        case_resolution_rate: share(cases_resolved, cases_opened),
        suggestions_opened: opened,
        deflected,
        deflection_rate: share(deflected, opened),
        search_clicks: clicks,
        search_deflected,
        search_deflection_rate: share(search_deflected, clicks),
        surveys_sent: sent,
        surveys_answered: replied,
        satisfied: yes,
        satisfaction_rate: share(yes, replied),
        survey_response_rate: share(replied, sent),
        weeks: weeks
            .into_iter()
            .zip(starts)
            .map(|((count, mut v), start)| Week {
                start: rfc3339(start),
                questions: count,
                median_first_answer_secs: percentiles(&mut v, [50])[0],
            })
            .collect(),
    }
}

/// The metrics of groups `(id, name)` over `period`, pooled, read from `source`.
pub fn of_groups_from(
    conn: &mut DbConn,
    groups: &[(i64, String)],
    period: Period,
    source: mq::Source,
) -> AppResult<Metrics> {
    let mut raw = Vec::with_capacity(groups.len());
    for (id, _) in groups {
        raw.push(mq::group_raw(conn, *id, (period.from, period.to), source)?);
    }
    let names = groups.iter().map(|(_, n)| n.clone()).collect();
    Ok(compute(period, names, &raw))
}

/// The metrics of groups `(id, name)` over `period`, pooled (from the daily roll-ups).
pub fn of_groups(
    conn: &mut DbConn,
    groups: &[(i64, String)],
    period: Period,
) -> AppResult<Metrics> {
    of_groups_from(conn, groups, period, mq::Source::RollUps)
}

/// The metrics of the local group `name` over `q`'s period, for `me`: its moderators
/// and the instance's admins; anyone else is refused (403).
pub async fn of_group(
    state: &crate::state::AppState,
    me: &crate::db::models::Actor,
    name: &str,
    q: &PeriodQuery,
) -> AppResult<Metrics> {
    let (_, group) = crate::domain::groups::local_group(state, name).await?;
    let me = me.clone();
    let q = q.clone();
    state
        .db
        .run(move |c| {
            if !crate::actions::rules::may_moderate(c, &group, &me)? {
                return Err(AppError::Forbidden(
                    "only the group's moderators and admins see its metrics".into(),
                ));
            }
            of_groups(c, &[(group.id, group.name.clone())], q.period()?)
        })
        .await
}

/// The metrics of the groups that recognise `me`'s organisation, pooled, over `q`'s
/// period: for staff of an organisation; anyone else is refused (403).
pub async fn of_organisation(
    state: &crate::state::AppState,
    me: &crate::db::models::Actor,
    q: &PeriodQuery,
) -> AppResult<(crate::db::models::Organisation, Metrics)> {
    let me = me.clone();
    let q = q.clone();
    state
        .db
        .run(move |c| {
            let org = crate::actions::rules::require_staff(c, &me)?;
            let groups = mq::org_groups(c, org.id)?;
            let m = of_groups(c, &groups, q.period()?)?;
            Ok((org, m))
        })
        .await
}

fn opt(v: Option<i64>) -> String {
    v.map(|s| s.to_string()).unwrap_or_default()
}

/// Formats a share as the pages and the CSV show it: a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

/// The CSV export: one `metric,value` line per figure as the page shows it (shares in
/// percent with one decimal, times in seconds), then the weeks.
pub fn csv(m: &Metrics) -> String {
    let mut out = String::from("metric,value\n");
    let mut line = |k: &str, v: String| {
        out.push_str(k);
        out.push(',');
        out.push_str(&v);
        out.push('\n');
    };
    line("from", m.from.clone());
    line("to", m.to.clone());
    line("groups", m.groups.join(" "));
    line("questions", m.questions.to_string());
    line("answered", m.answered.to_string());
    line("answered_percent", pct(m.answered_share));
    line("median_first_answer_secs", opt(m.median_first_answer_secs));
    line("p90_first_answer_secs", opt(m.p90_first_answer_secs));
    line("accepted", m.accepted.to_string());
    line("median_accepted_secs", opt(m.median_accepted_secs));
    line("p90_accepted_secs", opt(m.p90_accepted_secs));
    line("resolution_percent", pct(m.resolution_rate));
    line("answers", m.answers.to_string());
    line("staff_answers", m.staff_answers.to_string());
    line("staff_percent", pct(m.staff_share));
    line("unanswered_backlog", m.unanswered_backlog.to_string());
    line("escalations", m.escalations.to_string());
    line("cases_opened", m.cases_opened.to_string());
    line("cases_resolved", m.cases_resolved.to_string());
    line("case_resolution_percent", pct(m.case_resolution_rate));
    line("suggestions_opened", m.suggestions_opened.to_string());
    line("deflected", m.deflected.to_string());
    line("deflection_percent", pct(m.deflection_rate));
    line("search_clicks", m.search_clicks.to_string());
    line("search_deflected", m.search_deflected.to_string());
    line("search_deflection_percent", pct(m.search_deflection_rate));
    line("surveys_sent", m.surveys_sent.to_string());
    line("surveys_answered", m.surveys_answered.to_string());
    line("survey_response_percent", pct(m.survey_response_rate));
    line("satisfied", m.satisfied.to_string());
    line("satisfaction_percent", pct(m.satisfaction_rate));
    out.push_str("\nweek_start,questions,median_first_answer_secs\n");
    for w in &m.weeks {
        out.push_str(&format!(
            "{},{},{}\n",
            w.start,
            w.questions,
            opt(w.median_first_answer_secs)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{percentile, percentiles, week_starts, Period, DAY};

    #[test]
    fn nearest_rank() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[5], 90), Some(5));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10));
    }

    #[test]
    fn selected_percentiles_equal_sorted_ones() {
        let mut v: Vec<u32> = (0..1000).map(|i| (i * 7919 % 1009) as u32).collect();
        let mut sorted: Vec<i64> = v.iter().map(|&x| i64::from(x)).collect();
        sorted.sort_unstable();
        let [m, p] = percentiles(&mut v, [50, 90]);
        assert_eq!((m, p), (percentile(&sorted, 50), percentile(&sorted, 90)));
        assert_eq!(percentiles(&mut [], [50]), [None]);
    }

    #[test]
    fn weeks_start_at_midnight_after_the_first() {
        let from = 10 * DAY + 3_600_000;
        let p = Period {
            from,
            to: from + 14 * DAY,
            preset: 14,
        };
        assert_eq!(week_starts(p), vec![from, 17 * DAY]);
        let p = Period {
            from: 7 * DAY,
            to: 21 * DAY,
            preset: 0,
        };
        assert_eq!(week_starts(p), vec![7 * DAY, 14 * DAY]);
        let p = Period {
            from,
            to: from + 7 * DAY,
            preset: 7,
        };
        assert_eq!(week_starts(p), vec![from]);
    }
}
