//! The thread page (`/q/{id}`): the question, its answers best first (the accepted one
//! on top and marked), staff marks, comments, scores, and the states locked, removed
//! and deleted shown as such; for a signed-in viewer the forms of `thread_forms` (answer,
//! comment, vote, accept, and links to edit, delete, report and the edit history).

use super::{date, Author};
use crate::actions::rules;
use crate::db::models::Post;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::read::posts::{load_thread, views, PostView};
use crate::state::Ctx;
use crate::web::form::FieldErrors;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// A question, answer or comment as the page shows it.
pub struct Item {
    pub id: String,
    /// `question`, `answer` or `comment`.
    pub kind: String,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer's vote: 1, -1 or 0.
    pub vote: i32,
    pub score: i64,
    /// Sanitised HTML; empty when the viewer may not read it.
    pub html: String,
    /// `shown`, `deleted` or `removed`.
    pub state: &'static str,
    pub accepted: bool,
    pub author: Author,
    pub published: String,
    pub date: String,
    pub edited: bool,
    pub comments: Vec<Item>,
    /// Staff-approved by an organisation: its name (see `staff`).
    pub approved: Option<String>,
}

impl Item {
    fn new(view: &PostView, post: &Post) -> Item {
        let state = if post.removed {
            "removed"
        } else if post.deleted {
            "deleted"
        } else {
            "shown"
        };
        Item {
            id: view.id.clone(),
            kind: post.kind.clone(),
            mine: false,
            vote: 0,
            score: view.score.into(),
            // Empty where the viewer may not read it (a removed post shows to its author
            // and the group's moderators).
            html: view.content_html.clone(),
            state,
            accepted: view.accepted,
            author: Author::new(&view.author),
            date: date(&view.published),
            published: view.published.clone(),
            edited: view.updated.is_some(),
            comments: Vec::new(),
            approved: None,
        }
    }
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    l: Layout,
    question: Item,
    locked: bool,
    solved: bool,
    tags: Vec<String>,
    group: Option<(String, String)>,
    answer_count: i64,
    answers: Vec<Item>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    head: super::seo::ThreadHead,
    /// The question's id, and the thread's address (the return-to of sign-in links).
    qid: i64,
    /// "Sign in to answer": the sign-in page, coming back here.
    signin: String,
    signed_in: bool,
    /// The viewer may choose the accepted answer.
    may_accept: bool,
    /// The viewer moderates the group (a link to each post's moderation page).
    may_moderate: bool,
    /// The viewer is staff of an organisation the group recognises (claim, staff-approve).
    staff_on: bool,
    /// The question's claim: (who, the viewer may release it).
    claim: Option<(String, bool)>,
    /// What the organisations' staff show of the question's cases: (organisation, note).
    case_notes: Vec<(String, String)>,
    /// For the asker: the organisations the group recognises, to open a case with.
    help_from: Vec<String>,
    /// The thread is solved and the viewer may turn it into a knowledge article.
    may_write_article: bool,
    /// The question is an idea: its status, history and forms.
    idea: Option<super::ideas::IdeaPanel>,
    draft: Draft,
}

/// What a refused (or previewed) form of the thread had: the typed text and the
/// messages, shown next to their field.
#[derive(Default)]
pub struct Draft {
    /// The answer form's text, and its rendered preview.
    pub answer: String,
    pub preview: Option<String>,
    /// The comment form (on the post `comment_on`) and its text.
    pub comment_on: String,
    pub comment: String,
    /// The post whose vote or accept button was refused (message under `post`).
    pub error_on: String,
    /// Messages by field: `answer`, `comment`, `post`.
    pub errors: FieldErrors,
    /// The answer form's warning of personal data found.
    pub personal: Option<super::personal_data::Notice>,
    /// The idea forms' values (messages under `idea` and `merge`).
    pub idea: super::ideas::IdeaDraft,
}

impl Draft {
    /// The message of `field`, when it concerns the post `id` (or any post for `answer`).
    pub fn error(&self, field: &str, id: &str) -> Option<&str> {
        let on = match field {
            "comment" => &self.comment_on,
            "post" => &self.error_on,
            _ => return self.errors.get(field),
        };
        self.errors.get(field).filter(|_| on == id)
    }
}

/// The thread of the question `id` (or of the question that answer or comment `id`
/// is in), one page of answers.
pub async fn thread_page(data: &Ctx, id: i64, page: i64, headers: &HeaderMap) -> Response {
    let (v, tr) = viewer_tr(data, headers).await;
    with_draft(data, id, page, &v, &tr, Draft::default(), None).await
}

/// The thread page with a form's draft (a refusal or a preview), answered with `status`
/// (the thread's own status when `None`).
pub async fn with_draft(
    data: &Ctx,
    id: i64,
    page: i64,
    v: &Viewer,
    tr: &Tr,
    draft: Draft,
    status: Option<StatusCode>,
) -> Response {
    match render(data, id, page.clamp(1, 100_000), v, tr, draft).await {
        Ok((own, page)) => respond(data, v, status.unwrap_or(own), &page),
        Err(e) => error_page(data, v, tr, &e),
    }
}

async fn render(
    data: &Ctx,
    id: i64,
    page: i64,
    v: &Viewer,
    tr: &Tr,
    draft: Draft,
) -> AppResult<(StatusCode, ThreadPage)> {
    let viewer = v.user.as_ref().map(|(_, a)| a.clone());
    let question = data
        .db
        .run(move |c| {
            let Some(post) = queries::posts::by_id(c, id)? else {
                return Ok(None);
            };
            let post = match post.question_id {
                Some(q) if !post.is_question() => queries::posts::by_id(c, q)?,
                _ => Some(post),
            };
            // A private group's thread is there for its members only.
            match post {
                Some(p) if rules::may_read_post(c, &p, viewer.as_ref())? => Ok(Some(p)),
                _ => Ok(None),
            }
        })
        .await?
        .filter(Post::is_question)
        .ok_or_else(|| AppError::NotFound("no such question".into()))?;
    let qid = question.id;
    let (posts, more) = load_thread(data, question.clone(), page).await?;
    let me = v.user.as_ref().map(|(_, a)| a);
    let shown = views(data, me, posts.clone()).await?;
    let (my_votes, may_accept, may_moderate) = match me {
        Some(me) => {
            let (me, ids, q) = (
                me.clone(),
                posts.iter().map(|p| p.id).collect::<Vec<_>>(),
                question.clone(),
            );
            data.db
                .run(move |c| {
                    let may_moderate = match crate::actions::rules::group_of(c, &q) {
                        Ok(g) => crate::actions::rules::may_moderate(c, &g, &me)?,
                        Err(_) => false,
                    };
                    Ok((
                        queries::posts::votes_by(c, me.id, &ids)?,
                        crate::actions::rules::may_accept(c, &me, &q)?,
                        may_moderate,
                    ))
                })
                .await?
        }
        None => (Vec::new(), false, false),
    };
    let my_votes: HashMap<i64, i32> = my_votes.into_iter().collect();
    let (approvals, staff_on, claim) = staff_marks(data, me, &question, &posts).await?;
    let (case_notes, help_from) = super::cases::thread_marks(data, me, &question).await?;
    let titles = role_titles(data, &question, &posts).await?;
    let mut items: Vec<(Item, &Post)> = shown
        .iter()
        .zip(posts.iter())
        .map(|(view, post)| {
            let mut item = Item::new(view, post);
            item.mine = me.is_some_and(|m| m.id == post.author_id);
            item.vote = my_votes.get(&post.id).copied().unwrap_or(0);
            item.approved = approvals.get(&post.id).map(|(name, _)| name.clone());
            item.author.roles = titles.get(&post.author_id).cloned().unwrap_or_default();
            (item, post)
        })
        .collect();
    // Comments go under the answer (or the question) their reply chain starts from.
    let parents: HashMap<i64, Option<i64>> = posts.iter().map(|p| (p.id, p.parent_id)).collect();
    let root_of = |mut id: i64| {
        for _ in 0..16 {
            match parents.get(&id).copied().flatten() {
                Some(p) if p == qid => return qid,
                Some(p) if posts.iter().any(|x| x.id == p && x.kind == "answer") => return p,
                Some(p) => id = p,
                None => break,
            }
        }
        qid
    };
    let mut comments: HashMap<i64, Vec<Item>> = HashMap::new();
    let mut rest = Vec::new();
    for (item, post) in items.drain(..) {
        if post.kind == "comment" {
            comments.entry(root_of(post.id)).or_default().push(item);
        } else {
            rest.push((item, post));
        }
    }
    let mut rest = rest.into_iter();
    let (mut q_item, _) = rest
        .next()
        .ok_or_else(|| AppError::NotFound("no such question".into()))?;
    q_item.comments = comments.remove(&qid).unwrap_or_default();
    let answers: Vec<Item> = rest
        .map(|(mut item, post)| {
            item.comments = comments.remove(&post.id).unwrap_or_default();
            item
        })
        .collect();
    let qview = &shown[0];
    let group = qview.group.as_ref().map(|h| {
        let href = match h.rsplit_once('@') {
            Some((name, host)) if host == data.domain() => format!("/g/{name}"),
            _ => String::new(),
        };
        (h.clone(), href)
    });
    let title = if question.visible() {
        question.title.clone().unwrap_or_default()
    } else if question.removed {
        tr.t("thread-removed-title")
    } else {
        tr.t("thread-deleted-title")
    };
    let link = |n: i64| {
        if n > 1 {
            format!("/q/{qid}?page={n}")
        } else {
            format!("/q/{qid}")
        }
    };
    let status = if question.visible() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let head = super::seo::thread_head(data, &question, &q_item, &answers, page);
    let mut draft = draft;
    let idea = match question.visible() {
        true => crate::read::ideas::detail(data, &question, me)
            .await?
            .map(|d| super::ideas::IdeaPanel::new(d, tr, std::mem::take(&mut draft.idea))),
        false => None,
    };
    Ok((
        status,
        ThreadPage {
            head,
            l: Layout::new(data, v, tr, title),
            question: q_item,
            locked: question.locked,
            solved: question.accepted_answer_id.is_some(),
            tags: if question.visible() {
                qview.tags.clone()
            } else {
                Vec::new()
            },
            group,
            answer_count: question.answer_count.into(),
            answers,
            page,
            prev: (page > 1).then(|| link(page - 1)),
            next: more.then(|| link(page + 1)),
            qid,
            signin: crate::web::form::signin_to(&link(page)),
            signed_in: me.is_some(),
            may_accept: may_accept && question.visible(),
            may_moderate,
            may_write_article: (may_moderate || staff_on)
                && question.visible()
                && question.accepted_answer_id.is_some(),
            staff_on: staff_on && question.visible(),
            claim,
            case_notes,
            help_from: if question.visible() {
                help_from
            } else {
                Vec::new()
            },
            idea,
            draft,
        },
    ))
}

type Approvals = HashMap<i64, (String, String)>;

/// The staff console's marks on a thread: staff approvals of its answers (for everyone),
/// whether the viewer is staff of an organisation that the group recognises, and then the
/// question's claim (who holds it, whether the viewer may release it).
async fn staff_marks(
    data: &Ctx,
    me: Option<&crate::db::models::Actor>,
    question: &Post,
    posts: &[Post],
) -> AppResult<(Approvals, bool, Option<(String, bool)>)> {
    use crate::db::queries::staff_console as scq;
    let ids: Vec<i64> = posts
        .iter()
        .filter(|p| p.kind == "answer")
        .map(|p| p.id)
        .collect();
    let (me, q) = (me.cloned(), question.clone());
    data.db
        .run(move |c| {
            let approvals = scq::approvals_of(c, &ids)?;
            let org = match &me {
                Some(me) => crate::actions::rules::staff_org(c, me)?,
                None => None,
            };
            let org = match (org, q.group_id) {
                (Some(o), Some(g)) if scq::recognises(c, g, o.id)? => o,
                _ => return Ok((approvals, false, None)),
            };
            let claim = scq::claims_of(c, &[q.id])?.remove(&q.id).map(|cl| {
                (
                    format!("@{}@{}", cl.handle_name, cl.handle_domain),
                    cl.organisation_id == org.id,
                )
            });
            Ok((approvals, true, claim))
        })
        .await
}

/// The community roles the thread's authors hold in its group: titles by author.
async fn role_titles(
    data: &Ctx,
    question: &Post,
    posts: &[Post],
) -> AppResult<HashMap<i64, Vec<String>>> {
    let Some(gid) = question.group_id else {
        return Ok(HashMap::new());
    };
    let mut ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut titles: HashMap<i64, Vec<String>> = HashMap::new();
    for (actor, name) in crate::actions::roles::titles(data, gid, ids).await? {
        titles.entry(actor).or_default().push(name);
    }
    Ok(titles)
}
