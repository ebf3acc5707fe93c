-- Reports (Flag in and out), the public moderation log, instance policies.
CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    ap_id TEXT UNIQUE,
    reporter_id BIGINT NOT NULL REFERENCES actors (id),
    reporter_domain TEXT NOT NULL,
    group_id BIGINT REFERENCES actors (id),
    target_actor_id BIGINT REFERENCES actors (id),
    post_id BIGINT REFERENCES posts (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    resolution_note TEXT,
    resolved_by BIGINT REFERENCES actors (id),
    resolved_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX reports_queue ON reports (group_id, status, created_at);
CREATE INDEX reports_reporter ON reports (reporter_id);

CREATE TABLE mod_log (
    id BIGINT PRIMARY KEY,
    group_id BIGINT REFERENCES actors (id),
    moderator_id BIGINT REFERENCES actors (id),
    action TEXT NOT NULL,
    target_actor_id BIGINT REFERENCES actors (id),
    post_id BIGINT REFERENCES posts (id),
    domain TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX mod_log_group ON mod_log (group_id, id);

ALTER TABLE instances ADD COLUMN silenced BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE instances ADD COLUMN allowed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE posts ADD COLUMN featured BOOLEAN NOT NULL DEFAULT FALSE;
