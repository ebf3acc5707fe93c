-- Listening: the ActivityPub relays the instance actor subscribes to (Mastodon style:
-- a Follow of Public sent to the relay's inbox; LitePub style: a Follow of the relay's
-- actor), the organisations' listening terms, and the public posts that matched them.
CREATE TABLE listening_relays (
    id BIGINT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    inbox TEXT NOT NULL,
    actor_ap_id TEXT,
    style TEXT NOT NULL,
    follow_ap_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A term is stored normalised: `#tag` for a hashtag, lower-case words for a brand term.
CREATE TABLE listening_terms (
    id BIGINT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (organisation_id, term)
);

-- A matched post, once per organisation and object, however often it arrives.
CREATE TABLE listening_items (
    id BIGINT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    object_ap_id TEXT NOT NULL,
    url TEXT NOT NULL,
    author_ap_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    excerpt_html TEXT NOT NULL,
    matched_term TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    handled_by BIGINT,
    reply_ap_id TEXT UNIQUE,
    reply_md TEXT,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organisation_id, object_ap_id)
);
CREATE INDEX listening_items_queue ON listening_items (organisation_id, status, received_at);
