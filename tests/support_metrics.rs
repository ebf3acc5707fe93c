//! Support metrics: computed on a seeded data set (posts given chosen times through the
//! database) they equal hand-computed values; the page, its CSV and the API show the same
//! numbers; the organisation's metrics pool its groups; deflection counts per group; a
//! bad period is a 400 that says why; everyone without the role gets 403; the
//! Prometheus per-group gauges.

mod common;
use common::forms::client;
use common::*;
use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const H: i64 = 3_600_000;
const D: i64 = 24 * H;
/// 2026-01-05T00:00:00Z, a Monday: the period is two weeks from it.
const T0: i64 = 1_767_571_200_000;
const PERIOD: &str = "from=2026-01-05&to=2026-01-18";

async fn get(url: &str, cookie: &str) -> (StatusCode, String) {
    let resp = client()
        .get(url)
        .header(ACCEPT, "text/html")
        .header("accept-language", "en")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.text().await.unwrap())
}

fn id(v: &Value) -> i64 {
    v["id"].as_str().unwrap().parse().unwrap()
}

/// Asks a question in `help` as `token`; its id.
async fn ask(peer: &Peer, token: &str, title: &str) -> i64 {
    let (s, q) = peer
        .api(
            Method::POST,
            Some(token),
            "/questions",
            Some(json!({"group": "help", "title": title, "body": "Details of the problem"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    id(&q)
}

async fn answer(peer: &Peer, token: &str, q: i64, at: i64) -> i64 {
    let (s, a) = peer
        .api(
            Method::POST,
            Some(token),
            &format!("/questions/{q}/answers"),
            Some(json!({"body": format!("Try turning it off and on again, then check question {q}")})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let a = id(&a);
    peer.query(move |c| peerdesk::db::queries::metrics::set_times(c, a, at, None))
        .await;
    a
}

async fn accept(peer: &Peer, token: &str, q: i64, a: i64) {
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(token),
            &format!("/questions/{q}/accepted"),
            Some(json!({"answer_id": a.to_string()})),
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
}

async fn set_question(peer: &Peer, q: i64, asked: i64, accepted: Option<i64>) {
    peer.query(move |c| peerdesk::db::queries::metrics::set_times(c, q, asked, accepted))
        .await;
}

/// A satisfaction survey of question `q` sent at `sent`, answered an hour later.
async fn survey(peer: &Peer, q: i64, sent: i64, answer: Option<&'static str>) {
    peer.query(move |c| {
        let p = peerdesk::db::queries::posts::by_id(c, q)?.unwrap();
        let s = peerdesk::db::queries::surveys::Survey {
            id: peerdesk::db::ids::new_id(),
            question_id: q,
            group_id: p.group_id.unwrap(),
            asker_id: p.author_id,
            reason: "accepted".into(),
            sent_at: sent,
            note_ap_id: None,
            answer: answer.map(Into::into),
            answer_comment: None,
            answered_at: answer.map(|_| sent + H),
        };
        assert!(peerdesk::db::queries::surveys::insert(c, &s)?);
        Ok(())
    })
    .await
}

struct Seeded {
    peer: Peer,
    admin: String,
    bob: String,
    carol: String,
}

/// The data set (times from T0; the period is [T0, T0 + 14 d)):
/// - q1 at +1 h: carol (staff) answers after 10 min, bob after 1 h; carol's accepted
///   1 h after the question;
/// - q2 at +2 h: bob answers after 30 min, accepted after 2 h;
/// - q3 at +24 h: bob answers after 3 h, not accepted;
/// - q4 at +8 d: carol answers after 1 h, accepted after 1 d;
/// - q5 at +9 d: no answer;
/// - q6 at −2 d: no answer (backlog, not asked in the period);
/// - q7 at −3 d: erin answers at −2 d (neither asked nor answered in the period);
/// - q8 at +20 d: erin answers 1 h later (after the period).
///
/// Satisfaction surveys: q1's sent at +2 h, answered yes; q2's at +3 h, no; q3's at
/// +4 d, yes; q4's at +9 d, unanswered; q7's at −1 d, yes (before the period).
///
/// alice asks q1 to q4, dave the others.
async fn seeded(backend: Backend) -> Seeded {
    let peer = Peer::start_custom(backend, |s| {
        s.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
        // The surveys are seeded with chosen times.
        s.satisfaction_interval = 0;
    })
    .await;
    let (admin, _) = peer.user("admin", true).await;
    let (alice, _) = peer.user("alice", false).await;
    let (bob, _) = peer.user("bob", false).await;
    let (carol, _) = peer.user("carol", false).await;
    // New accounts may post 5 times a minute: the posts are shared out.
    let (dave, _) = peer.user("dave", false).await;
    let (erin, _) = peer.user("erin", false).await;
    peer.group("help").await;
    let (s, org) = peer
        .api(
            Method::POST,
            Some(&admin),
            "/admin/organisations",
            Some(json!({"name": "Acme", "domain": "acme.example"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/admin/users/carol/organisation",
            Some(json!({"organisation_id": org["id"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = peer
        .api(
            Method::PUT,
            Some(&admin),
            "/groups/help/organisations",
            Some(json!({"organisation_ids": [org["id"]]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let q1 = ask(&peer, &alice, "Printer jams on page two").await;
    let t = T0 + H;
    let a = answer(&peer, &carol, q1, t + 10 * 60_000).await;
    answer(&peer, &bob, q1, t + H).await;
    accept(&peer, &alice, q1, a).await;
    set_question(&peer, q1, t, Some(t + H)).await;

    let q2 = ask(&peer, &alice, "Scanner shows a blank page").await;
    let t = T0 + 2 * H;
    let a = answer(&peer, &bob, q2, t + 30 * 60_000).await;
    accept(&peer, &alice, q2, a).await;
    set_question(&peer, q2, t, Some(t + 2 * H)).await;

    let q3 = ask(&peer, &alice, "Toner light keeps blinking").await;
    let t = T0 + D;
    answer(&peer, &bob, q3, t + 3 * H).await;
    set_question(&peer, q3, t, None).await;

    let q4 = ask(&peer, &alice, "Wireless setup fails at step three").await;
    let t = T0 + 8 * D;
    let a = answer(&peer, &carol, q4, t + H).await;
    accept(&peer, &alice, q4, a).await;
    set_question(&peer, q4, t, Some(t + D)).await;

    let q5 = ask(&peer, &dave, "Duplex printing prints mirrored").await;
    set_question(&peer, q5, T0 + 9 * D, None).await;

    let q6 = ask(&peer, &dave, "Fax header shows the wrong date").await;
    set_question(&peer, q6, T0 - 2 * D, None).await;

    let q7 = ask(&peer, &dave, "Driver install needs a reboot").await;
    answer(&peer, &erin, q7, T0 - 2 * D).await;
    set_question(&peer, q7, T0 - 3 * D, None).await;

    let q8 = ask(&peer, &dave, "Paper tray reports empty when full").await;
    answer(&peer, &erin, q8, T0 + 20 * D + H).await;
    set_question(&peer, q8, T0 + 20 * D, None).await;

    survey(&peer, q1, T0 + 2 * H, Some("yes")).await;
    survey(&peer, q2, T0 + 3 * H, Some("no")).await;
    survey(&peer, q3, T0 + 4 * D, Some("yes")).await;
    survey(&peer, q4, T0 + 9 * D, None).await;
    survey(&peer, q7, T0 - D, Some("yes")).await;

    Seeded {
        peer,
        admin,
        bob,
        carol,
    }
}

/// The hand-computed metrics of the seeded data set over the period.
fn check_expected(m: &Value) {
    assert_eq!(m["from"], "2026-01-05T00:00:00Z", "{m}");
    assert_eq!(m["to"], "2026-01-19T00:00:00Z", "{m}");
    assert_eq!(m["questions"], 5, "{m}");
    assert_eq!(m["answered"], 4, "{m}");
    assert_eq!(m["answered_share"], 0.8, "{m}");
    // First answers: 600, 1800, 10800, 3600 s; nearest rank: 2nd and 4th of 4.
    assert_eq!(m["median_first_answer_secs"], 1800, "{m}");
    assert_eq!(m["p90_first_answer_secs"], 10800, "{m}");
    // Acceptances: 3600, 7200, 86400 s; nearest rank: 2nd and 3rd of 3.
    assert_eq!(m["accepted"], 3, "{m}");
    assert_eq!(m["median_accepted_secs"], 7200, "{m}");
    assert_eq!(m["p90_accepted_secs"], 86400, "{m}");
    assert_eq!(m["resolution_rate"], 0.6, "{m}");
    // Answers published in the period: q1 two, q2, q3, q4; carol's two are staff.
    assert_eq!(m["answers"], 5, "{m}");
    assert_eq!(m["staff_answers"], 2, "{m}");
    assert_eq!(m["staff_share"], 0.4, "{m}");
    // q5 and q6 had no answer at the period's end.
    assert_eq!(m["unanswered_backlog"], 2, "{m}");
    // Surveys sent in the period: q1, q2, q3, q4; answered three, yes two.
    assert_eq!(m["surveys_sent"], 4, "{m}");
    assert_eq!(m["surveys_answered"], 3, "{m}");
    assert_eq!(m["satisfied"], 2, "{m}");
    assert_eq!(m["survey_response_rate"], 0.75, "{m}");
    let rate = m["satisfaction_rate"].as_f64().unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-9, "{m}");
    let weeks = m["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 2, "{m}");
    assert_eq!(weeks[0]["start"], "2026-01-05T00:00:00Z");
    assert_eq!(weeks[0]["questions"], 3);
    assert_eq!(weeks[0]["median_first_answer_secs"], 1800);
    assert_eq!(weeks[1]["start"], "2026-01-12T00:00:00Z");
    assert_eq!(weeks[1]["questions"], 2);
    assert_eq!(weeks[1]["median_first_answer_secs"], 3600);
}

/// `key -> value` of the CSV's first part (`metric,value` lines).
fn csv_figures(csv: &str) -> BTreeMap<String, String> {
    csv.lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(',').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The exact value of figure `key` on the page (`id="m-KEY"><data value="…"`).
fn page_figure(html: &str, key: &str) -> Option<String> {
    let pattern = format!("id=\"m-{key}\"><data value=\"");
    let rest = &html[html.find(&pattern)? + pattern.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

async fn metrics_equal_hand_computed_values(backend: Backend) {
    let s = seeded(backend).await;
    let peer = &s.peer;
    let (status, m) = peer
        .api(
            Method::GET,
            Some(&s.admin),
            &format!("/groups/help/metrics?{PERIOD}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    check_expected(&m);
    assert_eq!(m["groups"], json!(["help"]));

    // The organisation's staff see the same figures (help is its only group).
    let (status, o) = peer
        .api(
            Method::GET,
            Some(&s.carol),
            &format!("/staff/metrics?{PERIOD}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{o}");
    check_expected(&o);

    // The CSV has the API's numbers, and so does the page.
    let admin = format!("pd_session={}", s.admin);
    let (status, csv) = get(
        &peer.url(&format!("/g/help/mod/metrics.csv?{PERIOD}")),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    let f = csv_figures(&csv);
    let expect = [
        ("questions", "5"),
        ("answered", "4"),
        ("answered_percent", "80.0"),
        ("median_first_answer_secs", "1800"),
        ("p90_first_answer_secs", "10800"),
        ("accepted", "3"),
        ("median_accepted_secs", "7200"),
        ("p90_accepted_secs", "86400"),
        ("resolution_percent", "60.0"),
        ("answers", "5"),
        ("staff_answers", "2"),
        ("staff_percent", "40.0"),
        ("unanswered_backlog", "2"),
        ("suggestions_opened", "0"),
        ("deflected", "0"),
        ("deflection_percent", "0.0"),
        ("surveys_sent", "4"),
        ("surveys_answered", "3"),
        ("survey_response_percent", "75.0"),
        ("satisfied", "2"),
        ("satisfaction_percent", "66.7"),
    ];
    for (k, v) in expect {
        assert_eq!(f.get(k).map(String::as_str), Some(v), "{k} in {csv}");
    }
    assert!(
        csv.contains("2026-01-05T00:00:00Z,3,1800\n2026-01-12T00:00:00Z,2,3600\n"),
        "{csv}"
    );
    let (status, html) = get(&peer.url(&format!("/g/help/mod/metrics?{PERIOD}")), &admin).await;
    assert_eq!(status, StatusCode::OK);
    for (k, v) in expect {
        assert_eq!(page_figure(&html, k).as_deref(), Some(v), "{k} on the page");
    }
    // Two accessible charts, each with its title, and the data table alternative.
    assert_eq!(html.matches("role=\"img\"").count(), 2, "{html}");
    assert!(html.contains("<title id=\"chart-questions-title\">Questions per week</title>"));
    assert!(html.contains("id=\"metrics-weeks\""));
    assert!(
        html.contains("<th scope=\"row\">2026-01-12</th><td>2</td>"),
        "{html}"
    );
    let carol = format!("pd_session={}", s.carol);
    let (status, staff_csv) = get(&peer.url(&format!("/staff/metrics.csv?{PERIOD}")), &carol).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv_figures(&staff_csv), f);
    let (status, html) = get(&peer.url(&format!("/staff/metrics?{PERIOD}")), &carol).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page_figure(&html, "staff_percent").as_deref(), Some("40.0"));
}
both_backends!(metrics_equal_hand_computed_values);

async fn refused_without_the_role_and_bad_periods(backend: Backend) {
    let s = seeded(backend).await;
    let peer = &s.peer;
    for (token, path) in [
        (&s.bob, "/groups/help/metrics"),
        (&s.carol, "/groups/help/metrics"),
        (&s.bob, "/staff/metrics"),
        (&s.admin, "/staff/metrics"),
    ] {
        let (status, v) = peer.api(Method::GET, Some(token), path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {v}");
    }
    let (status, _) = peer
        .api(Method::GET, None, "/groups/help/metrics", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let bob = format!("pd_session={}", s.bob);
    for path in [
        "/g/help/mod/metrics",
        "/g/help/mod/metrics.csv",
        "/staff/metrics",
        "/staff/metrics.csv",
    ] {
        assert_eq!(
            get(&peer.url(path), &bob).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            get(&peer.url(path), "").await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for (query, says) in [
        ("days=12", "days must be 7, 30, 90 or 365"),
        ("from=2026-01-05", "give both from and to"),
        ("from=2026-02-01&to=2026-01-01", "from must not be after to"),
        ("from=5.1.2026&to=2026-01-18", "YYYY-MM-DD"),
    ] {
        let (status, v) = peer
            .api(
                Method::GET,
                Some(&s.admin),
                &format!("/groups/help/metrics?{query}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {v}");
        assert!(v.to_string().contains(says), "{query}: {v}");
    }
    let admin = format!("pd_session={}", s.admin);
    let (status, html) = get(&peer.url("/g/help/mod/metrics?days=12"), &admin).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
}
both_backends!(refused_without_the_role_and_bad_periods);

async fn deflection_and_gauges_per_group(backend: Backend) {
    let s = seeded(backend).await;
    let peer = &s.peer;
    let (gid, uid) = peer
        .query(|c| {
            let g = peerdesk::db::queries::actors::local_by_name(c, "help")?.unwrap();
            let u = peerdesk::db::queries::users::by_username(c, "bob")?
                .unwrap()
                .0;
            Ok((g.id, u.id))
        })
        .await;
    // Three ask forms opened a suggestion in help; one posted anyway. One form of
    // another group does not count.
    peer.query(move |c| {
        use peerdesk::db::queries::asking::record;
        record(c, "form-one", uid, false, Some(gid))?;
        record(c, "form-two", uid, false, Some(gid))?;
        record(c, "form-three", uid, false, Some(gid))?;
        record(c, "form-three", uid, true, Some(gid))?;
        record(c, "form-other", uid, false, Some(gid + 1))
    })
    .await;
    let (status, m) = peer
        .api(
            Method::GET,
            Some(&s.admin),
            "/groups/help/metrics?days=7",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["suggestions_opened"], 3, "{m}");
    assert_eq!(m["deflected"], 2, "{m}");
    assert_eq!(m["weeks"].as_array().unwrap().len(), 1, "{m}");

    // Prometheus: all eight questions of help, two without an answer (q5 and q6; q8's
    // answer counts, though it came after the period).
    let addr = peer
        .inst
        .as_ref()
        .unwrap()
        .metrics_addr
        .expect("metrics bound");
    let text = peer
        .http
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("peerdesk_group_questions_total{group=\"help\"} 8"),
        "{text}"
    );
    assert!(
        text.contains("peerdesk_group_unanswered{group=\"help\"} 2"),
        "{text}"
    );
}
both_backends!(deflection_and_gauges_per_group);
