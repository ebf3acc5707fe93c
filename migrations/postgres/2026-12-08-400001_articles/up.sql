-- Knowledge articles: a solved thread written up by staff or moderators, kept per group,
-- edited with history and retired. Remote articles (received as `Article` from another
-- peerdesk group) are stored here too, with `local` false.
CREATE TABLE articles (
    id BIGINT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    content_html TEXT NOT NULL,
    -- space-separated product tags
    tags TEXT NOT NULL,
    -- the solved question it was written from (NULL when not stored here)
    source_question_id BIGINT REFERENCES posts (id) ON DELETE SET NULL,
    -- the question's id as the article names it (also for remote articles)
    source_ap_id TEXT,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    reviewed_at BIGINT NOT NULL,
    retired_at BIGINT,
    local BOOLEAN NOT NULL
);
CREATE INDEX articles_group ON articles (group_id, updated_at);

-- The earlier versions of an article, one row per edit.
CREATE TABLE article_revisions (
    id BIGINT PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    editor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, created_at);
