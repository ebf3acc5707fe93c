-- The FEP-7888 `context` that a question from another server names, when it is not the
-- `<id>/context` that peerdesk would use: replies written here use the thread's own.
-- Keyed by the post's ActivityPub id, so that it can be written with the post in batches.
CREATE TABLE post_contexts (
    ap_id TEXT PRIMARY KEY,
    context TEXT NOT NULL
);
