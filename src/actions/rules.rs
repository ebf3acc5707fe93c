//! The product rules, each written once: who may moderate a group, who may accept an
//! answer, who is banned, who may ask in a group, what is locked, and what a ban does.
//! Actions, the API and the inbox all ask these (on a connection, so inside a transaction
//! where there is one).

use crate::db::models::{Actor, Post, User};
use crate::db::queries;
use crate::db::queries::moderation as mq;
use crate::db::DbConn;
use crate::domain::groups::WhoMayAsk;
use crate::error::{AppError, AppResult};

/// Only the instance's admins may do this.
pub fn require_admin(user: &User) -> AppResult<()> {
    if user.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only instance admins may do this".into(),
        ))
    }
}

/// The group a post is in.
pub fn group_of(c: &mut DbConn, post: &Post) -> AppResult<Actor> {
    let gid = post
        .group_id
        .ok_or_else(|| AppError::Invalid("this post is in no group".into()))?;
    queries::actors::by_id(c, gid)?.ok_or_else(|| AppError::NotFound("group not found".into()))
}

/// Whether `actor` moderates `group`: a listed moderator, or an admin of the group's
/// home (this instance, for a local group).
pub fn may_moderate(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<bool> {
    Ok(queries::groups::is_moderator(c, group.id, actor.id)?
        || (group.local && queries::users::by_actor_id(c, actor.id)?.is_some_and(|u| u.is_admin)))
}

/// [`may_moderate`], on a connection of its own (for reads outside an action).
pub async fn can_moderate(
    state: &crate::state::AppState,
    group: &Actor,
    actor: &Actor,
) -> AppResult<bool> {
    let (group, actor) = (group.clone(), actor.clone());
    state.db.run(move |c| may_moderate(c, &group, &actor)).await
}

/// [`may_moderate`], as an error when not.
pub fn require_moderator(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<()> {
    if may_moderate(c, group, actor)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the group's moderators can do this".into(),
        ))
    }
}

/// Whether `actor` may choose the accepted answer of `question`: its author, a moderator
/// of its group, an admin or staff member of the group's home instance.
pub fn may_accept(c: &mut DbConn, actor: &Actor, question: &Post) -> AppResult<bool> {
    if question.author_id == actor.id {
        return Ok(true);
    }
    let gid = question.group_id.unwrap_or(0);
    if queries::groups::is_moderator(c, gid, actor.id)? {
        return Ok(true);
    }
    let group_local = queries::actors::by_id(c, gid)?.is_some_and(|g| g.local);
    Ok(group_local
        && queries::users::by_actor_id(c, actor.id)?.is_some_and(|u| u.is_admin || u.is_staff))
}

/// Whether `actor` is banned from the group `group_id`.
pub fn is_banned(c: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<bool> {
    queries::groups::is_banned(c, group_id, actor_id)
}

/// [`is_banned`], as an error for the actor's own action.
pub fn check_not_banned(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<()> {
    if is_banned(c, group.id, actor.id)? {
        return Err(AppError::Forbidden("you are banned from this group".into()));
    }
    Ok(())
}

/// Why a group's posting rule refuses someone's new question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskRefusal {
    /// Only followers may ask, and they do not follow the group.
    NotFollower,
    /// Only members may ask: people with an account on the group's instance, and its
    /// moderators.
    NotMember,
}

/// Whether the posting rule of `group` refuses a new question by `author` (bans aside).
/// Moderators may always ask. Only a group hosted here has its rule known: elsewhere,
/// the group's own server decides. The one rule of local asking (API and pages) and of
/// questions received from other servers.
pub fn ask_refusal(c: &mut DbConn, group: &Actor, author: &Actor) -> AppResult<Option<AskRefusal>> {
    if !group.local {
        return Ok(None);
    }
    let rule = match queries::groups::by_actor_id(c, group.id)? {
        Some(g) => WhoMayAsk::of(&g),
        None => return Ok(None),
    };
    let refusal = match rule {
        WhoMayAsk::Everyone => return Ok(None),
        WhoMayAsk::Followers => {
            let follows =
                queries::follows::get(c, author.id, group.id)?.is_some_and(|f| !f.pending);
            (!follows).then_some(AskRefusal::NotFollower)
        }
        WhoMayAsk::Members => (!author.local).then_some(AskRefusal::NotMember),
    };
    match refusal {
        Some(r) if !may_moderate(c, group, author)? => Ok(Some(r)),
        _ => Ok(None),
    }
}

/// Whether `author` may ask a new question in `group`: allowed by its posting rule
/// ([`ask_refusal`], told first: the pages explain it), and not banned; as an error for
/// the author's own action.
pub fn check_may_ask(c: &mut DbConn, group: &Actor, author: &Actor) -> AppResult<()> {
    match ask_refusal(c, group, author)? {
        None => check_may_take_part(c, group, author),
        Some(AskRefusal::NotFollower) => Err(AppError::Forbidden(
            "only the group's followers may ask questions in it: follow the group first".into(),
        )),
        Some(AskRefusal::NotMember) => Err(AppError::Forbidden(
            "only the group's members (accounts on its instance, its moderators) may ask in it"
                .into(),
        )),
    }
}

/// The question a reply under `parent` goes to, refused when it is locked.
pub fn open_question(c: &mut DbConn, parent: &Post) -> AppResult<Post> {
    let question_id = parent.question_id.unwrap_or(parent.id);
    let question = queries::posts::by_id(c, question_id)?
        .ok_or_else(|| AppError::NotFound("question not found".into()))?;
    if question.locked {
        return Err(AppError::Forbidden("this question is locked".into()));
    }
    Ok(question)
}

/// A ban's effects: the ban itself, the end of the banned actor's follow of the group,
/// and with `remove_data` the removal of their posts in it.
pub fn apply_ban(
    c: &mut DbConn,
    group_id: i64,
    actor_id: i64,
    reason: &str,
    expires_at: Option<i64>,
    remove_data: bool,
) -> AppResult<()> {
    queries::groups::ban(c, group_id, actor_id, reason, expires_at)?;
    queries::follows::delete(c, actor_id, group_id)?;
    if remove_data {
        mq::remove_posts_of(c, actor_id, Some(group_id))?;
    }
    Ok(())
}

/// Lifts a ban.
pub fn lift_ban(c: &mut DbConn, group_id: i64, actor_id: i64) -> AppResult<()> {
    queries::groups::unban(c, group_id, actor_id)?;
    Ok(())
}

/// The organisation whose staff `actor` is (local users only: remote staff are not
/// staff here).
pub fn staff_org(
    c: &mut DbConn,
    actor: &Actor,
) -> AppResult<Option<crate::db::models::Organisation>> {
    if !actor.local {
        return Ok(None);
    }
    queries::staff::org_of_actor(c, actor.id)
}

/// [`staff_org`], as an error when `actor` is staff of no organisation.
pub fn require_staff(c: &mut DbConn, actor: &Actor) -> AppResult<crate::db::models::Organisation> {
    staff_org(c, actor)?
        .ok_or_else(|| AppError::Forbidden("only staff of an organisation can do this".into()))
}

/// Staff of an organisation that `post`'s group recognises: their organisation.
pub fn require_recognised_staff(
    c: &mut DbConn,
    actor: &Actor,
    post: &Post,
) -> AppResult<crate::db::models::Organisation> {
    let org = require_staff(c, actor)?;
    let recognised = match post.group_id {
        Some(g) => queries::staff_console::recognises(c, g, org.id)?,
        None => false,
    };
    if recognised {
        Ok(org)
    } else {
        Err(AppError::Forbidden(
            "this group does not recognise your organisation's staff".into(),
        ))
    }
}

/// How someone stands to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRole {
    /// The case's customer.
    Customer,
    /// Staff of the case's organisation.
    Staff,
    /// An admin of this instance.
    Admin,
}

impl CaseRole {
    /// Staff of the organisation or an admin: may change the case.
    pub fn handles(self) -> bool {
        matches!(self, CaseRole::Staff | CaseRole::Admin)
    }
}

/// How `viewer` stands to `case`: its customer, the staff of its organisation, an
/// admin; `None` for anyone else, for whom the case does not exist.
pub fn case_role(
    c: &mut DbConn,
    case: &crate::db::queries::cases::Case,
    viewer: &Actor,
) -> AppResult<Option<CaseRole>> {
    let user = match viewer.local {
        true => queries::users::by_actor_id(c, viewer.id)?,
        false => None,
    };
    Ok(match user {
        Some(u) if u.suspended() => None,
        Some(u) if u.organisation_id == Some(case.organisation_id) => Some(CaseRole::Staff),
        Some(u) if u.is_admin => Some(CaseRole::Admin),
        _ if case.customer_id == viewer.id => Some(CaseRole::Customer),
        _ => None,
    })
}
/// Whether `actor` may write, edit and retire the knowledge articles of `group`: its
/// moderators (and the instance's admins, for a group hosted here), and staff of an
/// organisation the group recognises.
pub fn may_write_articles(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<bool> {
    if may_moderate(c, group, actor)? {
        return Ok(true);
    }
    Ok(match staff_org(c, actor)? {
        Some(org) => queries::staff_console::recognises(c, group.id, org.id)?,
        None => false,
    })
}

/// [`may_write_articles`], as an error when not.
pub fn require_article_writer(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<()> {
    if is_private(group) {
        // Knowledge articles are public pages: a private group has none.
        return Err(AppError::Forbidden(
            "a private group's answers stay private: it has no knowledge articles".into(),
        ));
    }
    if may_write_articles(c, group, actor)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the group's moderators and its recognised staff can write its articles".into(),
        ))
    }
}

/// Whether `actor` may use `privilege` in `group`: its moderators may, and so may the
/// holders of a community role of the group that grants it (`domain::roles`).
pub fn may_use(
    c: &mut DbConn,
    group: &Actor,
    actor: &Actor,
    privilege: crate::domain::roles::Privilege,
) -> AppResult<bool> {
    if may_moderate(c, group, actor)? {
        return Ok(true);
    }
    Ok(queries::roles::privileges_of(c, group.id, actor.id)?
        .iter()
        .any(|p| crate::domain::roles::from_stored(p).contains(&privilege)))
}

/// [`may_use`], as an error when not.
pub fn require_privilege(
    c: &mut DbConn,
    group: &Actor,
    actor: &Actor,
    privilege: crate::domain::roles::Privilege,
) -> AppResult<()> {
    if may_use(c, group, actor, privilege)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the group's moderators and the roles they chose can do this".into(),
        ))
    }
}

/// [`may_use`], on a connection of its own (for reads outside an action).
pub async fn can_use(
    state: &crate::state::AppState,
    group: &Actor,
    actor: &Actor,
    privilege: crate::domain::roles::Privilege,
) -> AppResult<bool> {
    let (group, actor) = (group.clone(), actor.clone());
    state
        .db
        .run(move |c| may_use(c, &group, &actor, privilege))
        .await
}

/// Whether `group` is private: its content is for its members only. A group is private
/// when its actor manually approves followers (Lemmy's private communities say so with
/// `manuallyApprovesFollowers: true`), here or elsewhere.
pub fn is_private(group: &Actor) -> bool {
    group.is_group() && group.manually_approves
}

/// Whether `actor` is a member of `group`: an approved follower, a moderator, or an
/// admin of this instance.
pub fn is_member(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<bool> {
    Ok(
        queries::follows::get(c, actor.id, group.id)?.is_some_and(|f| !f.pending)
            || queries::groups::is_moderator(c, group.id, actor.id)?
            || queries::users::by_actor_id(c, actor.id)?.is_some_and(|u| u.is_admin),
    )
}

/// Who may read `group`'s questions and answers: everyone in a public group, only its
/// members ([`is_member`]) in a private one. The one rule of every page, list, feed, API
/// read and fetch.
pub fn may_read_group(c: &mut DbConn, group: &Actor, viewer: Option<&Actor>) -> AppResult<bool> {
    if !is_private(group) {
        return Ok(true);
    }
    match viewer {
        Some(v) => is_member(c, group, v),
        None => Ok(false),
    }
}

/// Whether `viewer` may read `post`: a public post, or one in a private group it may
/// read ([`may_read_group`]); a non-public post elsewhere only by its author.
pub fn may_read_post(c: &mut DbConn, post: &Post, viewer: Option<&Actor>) -> AppResult<bool> {
    if post.public {
        return Ok(true);
    }
    let group = match post.group_id {
        Some(gid) => queries::actors::by_id(c, gid)?,
        None => None,
    };
    match group {
        Some(g) if is_private(&g) => may_read_group(c, &g, viewer),
        _ => Ok(viewer.is_some_and(|v| v.id == post.author_id)),
    }
}

/// [`may_read_post`], as a `404` when not (a private group's question is not there for
/// those who may not read it).
pub fn require_may_read_post(c: &mut DbConn, post: &Post, viewer: Option<&Actor>) -> AppResult<()> {
    if may_read_post(c, post, viewer)? {
        Ok(())
    } else {
        Err(AppError::NotFound("no such post".into()))
    }
}

/// The private groups whose questions `viewer` sees in lists besides the public ones.
pub fn readable_private_groups(c: &mut DbConn, viewer: Option<&Actor>) -> AppResult<Vec<i64>> {
    let Some(v) = viewer else {
        return Ok(vec![]);
    };
    let admin = queries::users::by_actor_id(c, v.id)?.is_some_and(|u| u.is_admin);
    queries::private_groups::readable(c, v.id, admin)
}

/// Whether `actor` may take part in `group` (answer, comment, vote): not banned, and a
/// member when the group is private.
pub fn check_may_take_part(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<()> {
    check_not_banned(c, group, actor)?;
    if is_private(group) && !is_member(c, group, actor)? {
        return Err(AppError::Forbidden(
            "this group is private: only its members may take part".into(),
        ));
    }
    Ok(())
}

/// Whether `actor` may set the status of ideas in `group` and merge them: the same
/// people who write its knowledge articles ([`may_write_articles`]: its moderators, the
/// instance's admins, staff of an organisation the group recognises).
pub fn may_curate_ideas(c: &mut DbConn, group: &Actor, actor: &Actor) -> AppResult<bool> {
    may_write_articles(c, group, actor)
}
