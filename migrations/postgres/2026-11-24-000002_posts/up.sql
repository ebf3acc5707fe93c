-- Questions (Page), answers and comments (Note), their edits and votes.
CREATE TABLE posts (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    group_id BIGINT REFERENCES actors (id),
    author_id BIGINT NOT NULL REFERENCES actors (id),
    question_id BIGINT,
    parent_id BIGINT,
    title TEXT,
    content_html TEXT NOT NULL,
    source_md TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    url TEXT,
    local BOOLEAN NOT NULL,
    public BOOLEAN NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    removed BOOLEAN NOT NULL DEFAULT FALSE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_answer_id BIGINT,
    upvotes INTEGER NOT NULL DEFAULT 0,
    downvotes INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL,
    updated_at BIGINT,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED
);
CREATE INDEX posts_group ON posts (group_id, kind, published_at);
CREATE INDEX posts_question ON posts (question_id);
CREATE INDEX posts_author ON posts (author_id, published_at);
CREATE INDEX posts_search ON posts USING GIN (search_vector);

CREATE TABLE post_edits (
    id BIGINT PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    title TEXT,
    content_html TEXT NOT NULL,
    source_md TEXT,
    edited_at BIGINT NOT NULL
);
CREATE INDEX post_edits_post ON post_edits (post_id, id);

CREATE TABLE votes (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    value INTEGER NOT NULL,
    ap_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, actor_id)
);
CREATE INDEX votes_ap_id ON votes (ap_id);
