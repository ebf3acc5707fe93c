-- Private one-to-one conversations between two actors (local or remote). The pair is
-- stored ordered (low_id < high_id) so that there is one conversation per pair.
CREATE TABLE conversations (
    id BIGINT PRIMARY KEY,
    low_id BIGINT NOT NULL,
    high_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (low_id, high_id)
);
CREATE INDEX conversations_high ON conversations (high_id);

-- Its messages. `ap_id` is the id of the direct Note (ours or the remote author's):
-- replies chain by inReplyTo.
CREATE TABLE conversation_messages (
    id BIGINT PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    ap_id TEXT UNIQUE,
    in_reply_to TEXT,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX conversation_messages_conv ON conversation_messages (conversation_id, id);

-- What each local participant has read: the last message id seen.
CREATE TABLE conversation_reads (
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL,
    last_read_id BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, actor_id)
);
