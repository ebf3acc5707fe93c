-- The ideas exchange. A group's kind: `ideas` makes its posts ideas (no row: a group of
-- questions).
CREATE TABLE group_kinds (
    group_id BIGINT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL
);

-- An idea's current status (no row: `new`), its explanation, and the idea it was merged
-- into (status `merged`). Kept for ideas of remote groups too, as their group sent it.
CREATE TABLE ideas (
    post_id BIGINT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    explanation TEXT NOT NULL,
    merged_into BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    changed_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX ideas_status ON ideas (status);

-- Every status change of an idea (its history; each notifies the idea's voters and
-- followers once).
CREATE TABLE idea_status_changes (
    id BIGINT PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    explanation TEXT NOT NULL,
    changed_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX idea_status_changes_post ON idea_status_changes (post_id, id);

-- People following an idea (told of its status changes).
CREATE TABLE idea_follows (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, actor_id)
);
CREATE INDEX idea_follows_actor ON idea_follows (actor_id);
