-- Timestamps are milliseconds since the Unix epoch (BIGINT) on both backends.
-- Ids are application-generated time-ordered 64-bit integers (see src/db/ids.rs).

CREATE TABLE actors (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    display_name TEXT,
    summary TEXT,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers_url TEXT,
    url TEXT,
    icon TEXT,
    public_key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    manually_approves BOOLEAN NOT NULL DEFAULT FALSE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    raw TEXT,
    fetched_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX actors_local_name ON actors (lower(name)) WHERE local;
CREATE INDEX actors_domain ON actors (domain);
CREATE INDEX actors_key_id ON actors (public_key_id);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id),
    username TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_staff BOOLEAN NOT NULL DEFAULT FALSE,
    can_create_groups BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE groups (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id),
    title TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    guidelines_md TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE group_moderators (
    group_id BIGINT NOT NULL REFERENCES actors (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, actor_id)
);

CREATE TABLE group_bans (
    group_id BIGINT NOT NULL REFERENCES actors (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    reason TEXT NOT NULL DEFAULT '',
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, actor_id)
);

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES actors (id),
    target_id BIGINT NOT NULL REFERENCES actors (id),
    pending BOOLEAN NOT NULL,
    activity_ap_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (follower_id, target_id)
);
CREATE INDEX follows_target ON follows (target_id, pending);

CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX received_activities_at ON received_activities (received_at);

CREATE TABLE activities (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_actor ON activities (actor_id, id);

CREATE TABLE deliveries (
    id BIGINT PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    inbox TEXT NOT NULL,
    domain TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (activity_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_domain ON deliveries (domain, status);

CREATE TABLE instances (
    domain TEXT PRIMARY KEY,
    first_seen_at BIGINT NOT NULL,
    last_success_at BIGINT,
    last_failure_at BIGINT,
    failure_streak INTEGER NOT NULL DEFAULT 0,
    retry_at BIGINT NOT NULL DEFAULT 0,
    delivered_count BIGINT NOT NULL DEFAULT 0,
    failed_count BIGINT NOT NULL DEFAULT 0,
    blocked BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE site (
    id INTEGER PRIMARY KEY,
    instance_actor_id BIGINT NOT NULL REFERENCES actors (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
