-- Verified staff: organisations, their staff, and staff claims of remote actors.
CREATE TABLE organisations (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    logo_url TEXT,
    created_at BIGINT NOT NULL
);
ALTER TABLE users ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);

CREATE TABLE group_organisations (
    group_id BIGINT NOT NULL REFERENCES actors (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (group_id, organisation_id)
);

-- What a remote actor claims (organisation name and domain) and whether the
-- organisation's domain confirmed it.
CREATE TABLE staff_claims (
    actor_id BIGINT PRIMARY KEY REFERENCES actors (id),
    org_name TEXT NOT NULL,
    org_domain TEXT NOT NULL,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    reason TEXT NOT NULL DEFAULT '',
    checked_at BIGINT NOT NULL
);

-- Reputation: an append-only log; scores are recomputed from it.
CREATE TABLE reputation_events (
    id BIGINT PRIMARY KEY,
    subject_id BIGINT NOT NULL REFERENCES actors (id),
    group_id BIGINT,
    kind TEXT NOT NULL,
    value INTEGER NOT NULL,
    source_id BIGINT,
    source_domain TEXT NOT NULL,
    source_fresh BOOLEAN NOT NULL DEFAULT FALSE,
    post_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX reputation_events_subject ON reputation_events (subject_id, id);
CREATE INDEX reputation_events_group ON reputation_events (group_id, created_at);
CREATE INDEX reputation_events_source ON reputation_events (source_domain);

CREATE TABLE reputation_scores (
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    group_id BIGINT NOT NULL,
    score BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, group_id)
);

CREATE TABLE badges (
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    badge TEXT NOT NULL,
    awarded_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, badge)
);

CREATE TABLE group_privileges (
    group_id BIGINT NOT NULL REFERENCES actors (id),
    privilege TEXT NOT NULL,
    min_reputation BIGINT NOT NULL,
    PRIMARY KEY (group_id, privilege)
);
