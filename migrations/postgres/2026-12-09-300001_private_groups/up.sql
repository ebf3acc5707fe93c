-- Private groups. A group is private when its actor manually approves followers
-- (`actors.manually_approves`, Lemmy's `manuallyApprovesFollowers`); its members are its
-- approved followers. An invitation is a one-use token a moderator hands out: whoever
-- joins with it becomes a member without waiting for approval.
CREATE TABLE group_invites (
    token TEXT PRIMARY KEY NOT NULL,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    used_by BIGINT,
    used_at BIGINT
);
CREATE INDEX group_invites_group ON group_invites (group_id);
CREATE INDEX follows_pending ON follows (target_id) WHERE pending;
